"""Plug-ins that go wrong in every way the registry must survive (test fixtures).

Each module is a plug-in as an organization would write one, with one fault:

* :mod:`.healthy`: no fault; contributes the program ``healthy``.
* :mod:`.import_fails`: raises while it is imported.
* :mod:`.hook_raises`: its ``register_programs`` hook raises.
* :mod:`.wrong_shape`: registers a plain table instead of a ``Program``.
* :mod:`.bad_data`: its program data file has a misspelled key.
* :mod:`.same_id`: claims the program id ``healthy`` a second time.
* :mod:`.unknown_fact`: its rule names a fact nobody registers.
"""
