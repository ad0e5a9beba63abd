"""mentorcore plug-in: Practice 12 (leader partnerships and coaching).

Install it and ``mentorcore.load_registry()`` knows the program ``practice12``.
"""
