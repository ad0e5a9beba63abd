"""mentorcore plug-in: ULead West Georgia Performance Mentor.

Install it and ``mentorcore.load_registry()`` knows the program ``ulead``.
"""
