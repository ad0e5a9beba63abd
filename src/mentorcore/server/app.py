"""The ASGI application: mentorcore's services over HTTP, JSON in and out.

:func:`create_app` builds a Starlette application around one loaded
registry. Each endpoint structures its body with the core's input
converter, calls the same service the command line calls, and answers with
the same data as the command's ``--json`` (:func:`mentorcore.output.to_data`).
Who asks decides what they see: with a :class:`~mentorcore.server.keys.KeyRing`
every request needs ``Authorization: Bearer KEY`` and is answered for that
key's audience and programs at most.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mentorcore.audience import Audience, audience_of, may_read_as
from mentorcore.errors import InputError, MentorcoreError, PluginError, UnknownIdError
from mentorcore.registry import Registry
from mentorcore.server.keys import ApiKey, KeyRing
from mentorcore.server.problems import PROBLEM_JSON, Problem, problem_from_input_error
from mentorcore.server.requests import (
    CheckRequest,
    EligibilityRequest,
    MatchRequest,
    QuoteRequest,
    ReportRequest,
    SuggestRequest,
    people_of,
    request_of,
)

__all__ = ["DEFAULT_MAX_BODY_BYTES", "create_app", "plugins_header"]

#: The largest request body accepted, in bytes (32 MiB: about 50,000 people);
#: a larger one is answered ``413``. ``mentorcore serve --max-body-bytes`` changes it.
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024

_log = logging.getLogger("mentorcore.server")

#: A body whose Content-Length has at most this many digits (under 100 kB) is
#: answered on the event loop rather than in a worker thread.
_INLINE_DIGITS = 5

#: The audience of every request when the service runs without keys.
_NO_KEYS = ApiKey(sha256="0" * 64, audience=Audience.PROGRAM, name="no keys (loopback only)")


def plugins_header(registry: Registry) -> str:
    """The ``Mentorcore-Plugins`` header: each plug-in distribution with its version."""
    named = sorted(
        {f"{p.distribution or p.name}/{p.version or 'unknown'}" for p in registry.plugins}
    )
    return ", ".join(named)


class _Headers:
    """ASGI middleware: every response names the core's version and the plug-ins that answered."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, named)


def _json_response(data: Any) -> Response:
    """JSON of plain data (what :func:`~mentorcore.output.to_data` gives), written by orjson.

    orjson writes the same JSON values as the standard library, several
    times faster on the large answers of a cohort.
    """
    return Response(orjson.dumps(data), media_type="application/json")


def _problem_response(problem: Problem) -> Response:
    return Response(
        orjson.dumps(problem.to_data()),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


class _Service:
    """What each endpoint does, over one registry, one key ring and one body limit."""

    def __init__(self, registry: Registry, keys: KeyRing | None, max_body_bytes: int) -> None:
        self.registry = registry
        self.keys = keys
        self.max_body_bytes = max_body_bytes

    # -- the request's caller, body and program ---------------------------------------

    def caller(self, request: Request) -> ApiKey:
        if self.keys is None:
            return _NO_KEYS
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="mentorcore"'}
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(
                401,
                "Unauthorized",
                "send an API key as 'Authorization: Bearer KEY'",
                headers=challenge,
            )
        key = self.keys.find(token.strip())
        if key is None:
            raise Problem(401, "Unauthorized", "the API key is not known", headers=challenge)
        return key

    async def body(self, request: Request) -> Any:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self._too_large()
            chunks.append(chunk)
        try:
            text = b"".join(chunks).decode("utf-8")
        except UnicodeDecodeError:
            raise Problem(400, "Bad request", "the body is not UTF-8 text") from None
        from mentorcore.io.loaders import read_data

        try:
            return read_data("request.json", text)
        except InputError as exc:
            if exc.path:
                raise problem_from_input_error(exc) from None
            message = str(InputError(exc.problem, found=exc.found, expected=exc.expected))
            raise Problem(400, "Bad request", f"the body: {message}") from None

    def _too_large(self) -> Problem:
        return Problem(
            413,
            "Content too large",
            f"the body is larger than the limit of {self.max_body_bytes} bytes; "
            "send fewer people per request",
            extra={"limit": self.max_body_bytes},
        )

    def program(self, key: ApiKey, program_id: str) -> Any:
        try:
            program = self.registry.program(program_id)
        except UnknownIdError as exc:
            raise Problem(404, "Not found", str(exc)) from None
        if not key.allows_program(program.id):
            raise Problem(403, "Forbidden", f"this API key may not use program {program.id!r}")
        return program

    def audience(self, key: ApiKey, asked: str | None, path: str = "audience") -> Audience:
        if asked is None:
            return key.audience
        wanted = audience_of(asked, path)
        if not may_read_as(key.audience, wanted):
            raise Problem(
                403,
                "Forbidden",
                f"this API key reads as {key.audience.value}; an answer written for "
                f"{wanted.value} would show it what it may not see",
            )
        return wanted

    # -- the services ------------------------------------------------------------------

    def programs(self, key: ApiKey, _: Mapping[str, str], __: Any) -> Any:
        from mentorcore.listing import program_listing
        from mentorcore.output import to_data

        data = to_data(program_listing(self.registry))
        if key.programs is not None:
            data["programs"] = [p for p in data["programs"] if key.allows_program(p["id"])]
        return data

    def show(self, key: ApiKey, params: Mapping[str, str], _: Any) -> Any:
        from mentorcore.description import ShownProgram, describe_program
        from mentorcore.output import to_data

        program = self.program(key, params["program"])
        description = describe_program(program, self.registry)
        return to_data(ShownProgram(program=program, description=description))

    def eligibility(self, key: ApiKey, params: Mapping[str, str], body: Any) -> Any:
        from mentorcore.bulk import decide_many
        from mentorcore.output import to_data
        from mentorcore.people import Mentor

        program = self.program(key, params["program"])
        request = request_of(body, EligibilityRequest)
        if request.kind is not None:
            try:
                program.kind(request.kind)
            except UnknownIdError as exc:
                raise InputError(path="kind", found=request.kind, expected=str(exc)) from None
        people = people_of(request.people, "people")
        has_mentor_rule = any(rule.subject == "mentor" for rule in program.eligibility)
        chosen = [p for p in people if has_mentor_rule or not isinstance(p, Mentor)]
        if request.person is not None:
            chosen = [self._person(people, request.person, "person")]
        on = request.on or dt.date.today()
        return to_data(list(decide_many(self.registry, program, chosen, on, kind=request.kind)))

    def quote(self, key: ApiKey, params: Mapping[str, str], body: Any) -> Any:
        from mentorcore.bulk import quote_many
        from mentorcore.output import to_data
        from mentorcore.people import Mentor

        program = self.program(key, params["program"])
        request = request_of(body, QuoteRequest)
        people = people_of(request.people, "people")
        chosen = [p for p in people if not isinstance(p, Mentor)]
        if request.person is not None:
            chosen = [self._person(people, request.person, "person")]
        on = request.on or dt.date.today()
        try:
            return to_data(list(quote_many(self.registry, program, chosen, request.hours, on)))
        except InputError as exc:
            raise exc.located(prefix=exc.path or "hours") from None

    def _engagement(self, key: ApiKey, request: CheckRequest | ReportRequest) -> Any:
        from mentorcore.checking import validate_engagement
        from mentorcore.io.loaders import engagement_from_data

        people = people_of(request.people, "people") if request.people is not None else None
        try:
            engagement = engagement_from_data(request.engagement, "engagement", people)
        except InputError as exc:
            raise exc.located(file=None, prefix="engagement") from None
        self.program(key, engagement.program)
        try:
            validate_engagement(self.registry, engagement, "engagement")
        except InputError as exc:
            raise exc.located(file=None, prefix="engagement") from None
        return engagement

    def check(self, key: ApiKey, _: Mapping[str, str], body: Any) -> Any:
        from mentorcore.output import to_data

        request = request_of(body, CheckRequest)
        audience = self.audience(key, request.audience)
        engagement = self._engagement(key, request)
        return to_data(self.registry.check(engagement, request.as_of, audience=audience))

    def report(self, key: ApiKey, _: Mapping[str, str], body: Any) -> Any:
        from mentorcore.output import to_data

        request = request_of(body, ReportRequest)
        audience = self.audience(key, request.audience)
        engagement = self._engagement(key, request)
        return to_data(self.registry.report(engagement, audience.value, request.as_of))

    def match(self, key: ApiKey, params: Mapping[str, str], body: Any) -> Any:
        from mentorcore.output import to_data

        program = self.program(key, params["program"])
        request = request_of(body, MatchRequest)
        audience = self.audience(key, request.audience)
        leaders = people_of(request.leaders, "leaders").leaders
        mentors = people_of(request.mentors, "mentors").mentors
        result = self.registry.match(
            program,
            leaders,
            mentors,
            on=request.on,
            weights=self._weights(request.weights),
            exclude=self._pairs(request.exclude, "exclude"),
            pin=self._pairs(request.pin, "pin"),
            max_distance_km=request.max_distance_km,
            audience=_visibility_of(audience),
            objective=request.objective,
            min_score=request.min_score,
            pairs=self._pair_actions(request.pairs),
            explain_constraints=request.explain_constraints,
        )
        return to_data(result)

    def suggest(self, key: ApiKey, params: Mapping[str, str], body: Any) -> Any:
        from mentorcore.output import to_data

        program = self.program(key, params["program"])
        request = request_of(body, SuggestRequest)
        audience = self.audience(key, request.audience)
        leaders = people_of(request.leaders, "leaders").leaders
        mentors = people_of(request.mentors, "mentors").mentors
        result = self.registry.suggest(
            program,
            request.leader,
            leaders,
            mentors,
            top=request.top,
            on=request.on,
            weights=self._weights(request.weights),
            max_distance_km=request.max_distance_km,
            min_score=request.min_score,
            pairs=self._pair_actions(request.pairs),
            audience=_visibility_of(audience),
        )
        return to_data(result)

    # -- small checks --------------------------------------------------------------------

    @staticmethod
    def _person(people: Any, person_id: str, path: str) -> Any:
        try:
            return people.person(person_id)
        except UnknownIdError as exc:
            raise InputError(path=path, found=person_id, expected=str(exc)) from None

    def _weights(self, weights: dict[str, float] | None) -> dict[str, float] | None:
        if weights is None:
            return None
        from mentorcore.matching import parse_weights

        try:
            return parse_weights(
                [f"{k}={v!r}" for k, v in weights.items()], known=self.registry.criteria
            )
        except InputError as exc:
            raise exc.located(prefix="weights") from None

    @staticmethod
    def _pair_actions(rows: Any) -> Any:
        if rows is None:
            return ()
        from mentorcore.matching.pairs import pairs_from_data

        if not isinstance(rows, list):
            raise InputError(path="pairs", found=rows, expected="a list of pairs")
        return pairs_from_data({"pairs": rows})

    @staticmethod
    def _pairs(pairs: list[list[str]], path: str) -> list[tuple[str, str]]:
        for index, pair in enumerate(pairs):
            if len(pair) != 2:
                raise InputError(
                    path=f"{path}[{index}]", found=pair, expected="[leader id, mentor id]"
                )
        return [(leader, mentor) for leader, mentor in pairs]


def _visibility_of(audience: Audience) -> str:
    """A match's reasons are written for the pair, the sponsor or the program."""
    return "pair" if audience in (Audience.LEADER, Audience.MENTOR) else audience.value


_Handler = Callable[[_Service, ApiKey, Mapping[str, str], Any], Any]


def _endpoint(
    service: _Service, handler: _Handler, *, reads_body: bool
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            key = service.caller(request)
            body = await service.body(request) if reads_body else None
            if len(request.headers.get("content-length") or "") <= _INLINE_DIGITS:
                # A small request is answered on the event loop: a thread hop costs
                # more than the work. A large one goes to a worker thread, so that
                # the loop keeps reading other requests meanwhile.
                data = handler(service, key, request.path_params, body)
            else:
                data = await run_in_threadpool(handler, service, key, request.path_params, body)
        except Problem as problem:
            return _problem_response(problem)
        except InputError as exc:
            return _problem_response(problem_from_input_error(exc))
        except UnknownIdError as exc:
            return _problem_response(Problem(404, "Not found", str(exc)))
        except PluginError as exc:
            _log.error("plug-in fault on %s: %s", request.url.path, exc)
            return _problem_response(Problem(500, "Plug-in fault", str(exc)))
        except MentorcoreError as exc:
            return _problem_response(Problem(422, "Cannot answer", str(exc)))
        except Exception:
            _log.exception("unexpected error on %s", request.url.path)
            return _problem_response(
                Problem(500, "Internal error", "the service failed; the fault is logged")
            )
        return _json_response(data)

    return endpoint


def _docs_page() -> str:
    return """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mentorcore HTTP service</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head><body>
<div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
  validatorUrl: null, deepLinking: true});
</script>
</body></html>
"""


def create_app(
    registry: Registry | None = None,
    *,
    keys: KeyRing | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Starlette:
    """The ASGI application over ``registry`` (default: every installed plug-in, loaded now).

    Without ``keys`` every request is answered as the ``program`` audience;
    ``mentorcore serve`` then listens only on a loopback address.
    """
    from mentorcore import __version__
    from mentorcore.registry import load_registry
    from mentorcore.server.openapi import openapi_document

    chosen = registry if registry is not None else load_registry()
    service = _Service(chosen, keys, max_body_bytes)
    document = openapi_document(chosen)

    def route(path: str, handler: _Handler, method: str) -> Route:
        return Route(
            path,
            _endpoint(service, handler, reads_body=method == "POST"),
            methods=[method],
        )

    rendered = _json_response(document).body

    async def openapi(_: Request) -> Response:
        return Response(rendered, media_type="application/json")

    async def docs(_: Request) -> Response:
        return HTMLResponse(_docs_page())

    async def http_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        titles = {404: "Not found", 405: "Method not allowed"}
        detail = {
            404: "no such endpoint; see /openapi.json",
            405: "this endpoint does not take that method",
        }
        return _problem_response(
            Problem(
                exc.status_code,
                titles.get(exc.status_code, "Error"),
                detail.get(exc.status_code, str(exc.detail)),
                headers=dict(exc.headers or {}),
            )
        )

    import swagger_ui

    static = Path(swagger_ui.__file__).parent / "static"
    routes = [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Mount("/docs/static", StaticFiles(directory=static), name="docs-static"),
        route("/programs", _Service.programs, "GET"),
        route("/programs/{program}", _Service.show, "GET"),
        route("/programs/{program}/eligibility", _Service.eligibility, "POST"),
        route("/programs/{program}/quote", _Service.quote, "POST"),
        route("/programs/{program}/match", _Service.match, "POST"),
        route("/programs/{program}/suggest", _Service.suggest, "POST"),
        route("/engagements/check", _Service.check, "POST"),
        route("/engagements/report", _Service.report, "POST"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    headers = [
        (b"mentorcore-version", __version__.encode()),
        (b"mentorcore-plugins", plugins_header(chosen).encode()),
    ]
    app.add_middleware(_Headers, headers=headers)
    return app
