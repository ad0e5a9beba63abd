"""The plug-in author's kit: conformance checks and scenario files for pytest.

Enabled automatically as the pytest plug-in ``mentorcore`` (entry point in
group ``pytest11``); it does nothing in a project without scenario files.
"""
