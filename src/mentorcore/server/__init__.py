"""mentorcore over HTTP: ``mentorcore serve``, for systems that are not Python.

An ASGI application (Starlette, served by uvicorn; the optional extra
``mentorcore[server]``) with one endpoint per service, the same JSON as the
command line's ``--json``, an OpenAPI 3.1 description at ``/openapi.json``
and a browsable page at ``/docs`` that needs no internet access. Errors are
RFC 9457 problems; API keys (:mod:`mentorcore.server.keys`) fix each
caller's audience and programs.

* :func:`~mentorcore.server.app.create_app` builds the application;
* :func:`~mentorcore.server.keys.load_keys` reads a keys file.
"""

from __future__ import annotations

__all__: list[str] = []
