"""The ``mentorcore`` command line: a thin layer over the Python API.

Each command lives in its own module with ``register(subparsers)``, which
adds its parser and sets ``handler`` to a function ``(args) -> int``.
"""
