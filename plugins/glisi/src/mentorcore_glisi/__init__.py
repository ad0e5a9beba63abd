"""mentorcore plug-in: GLISI Leadership Preparation Performance Coaching Model.

Install it and ``mentorcore.load_registry()`` knows the program ``glisi``.
"""
