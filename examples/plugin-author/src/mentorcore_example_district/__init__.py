"""A worked example of a mentorcore plug-in, for the plug-in author's guide.

Example Unified School District is fictional; nothing here is an
organization's rule.
"""
