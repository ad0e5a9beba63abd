"""The service's OpenAPI 3.1 description, generated from the result and request types.

Response schemas come from :func:`mentorcore.output.json_schema`, the very
generator behind ``mentorcore schema COMMAND``, so the description, the
command line's ``--json`` and every answer agree. Request schemas come from
the body types of :mod:`mentorcore.server.requests`.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, get_args, get_origin, get_type_hints

import attrs

from mentorcore.registry import Registry
from mentorcore.server import requests

__all__ = ["ENDPOINTS", "Endpoint", "openapi_document"]


@attrs.frozen
class Endpoint:
    """One operation: its method and path, what it does, its body type and its result."""

    method: str
    path: str
    summary: str
    #: The name of the command whose ``--json`` output the answer equals.
    command: str
    body: type | None = None


#: Every operation of the service.
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("get", "/programs", "The installed programs and plug-ins", "programs"),
    Endpoint("get", "/programs/{program}", "One program, described", "show"),
    Endpoint(
        "post",
        "/programs/{program}/eligibility",
        "Decide eligibility for each person",
        "eligibility",
        requests.EligibilityRequest,
    ),
    Endpoint(
        "post",
        "/programs/{program}/quote",
        "Quote a package of hours for each leader",
        "quote",
        requests.QuoteRequest,
    ),
    Endpoint(
        "post",
        "/engagements/check",
        "Check an engagement against its requirements",
        "check",
        requests.CheckRequest,
    ),
    Endpoint(
        "post",
        "/engagements/report",
        "An engagement's report for an audience",
        "report",
        requests.ReportRequest,
    ),
    Endpoint("post", "/programs/{program}/match", "Match a cohort", "match", requests.MatchRequest),
    Endpoint(
        "post",
        "/programs/{program}/suggest",
        "The best feasible mentors for one leader",
        "suggest",
        requests.SuggestRequest,
    ),
)

_PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem: what went wrong, and for bad input where.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "path": {"type": "string", "description": "a JSON pointer into the request body"},
        "found": {"type": "string"},
        "expected": {"type": "string"},
        "limit": {"type": "integer"},
    },
}

_PEOPLE = {
    "description": (
        "Leaders and mentors as in a people file: a list of person records (each with an "
        "optional `kind`, `leader` or `mentor`), or an object with `leaders` and `mentors` lists."
    ),
    "oneOf": [
        {"type": "array", "items": {"type": "object"}},
        {
            "type": "object",
            "properties": {
                "leaders": {"type": "array", "items": {"type": "object"}},
                "mentors": {"type": "array", "items": {"type": "object"}},
            },
            "additionalProperties": False,
        },
    ],
}


def _field_schema(annotation: Any) -> dict[str, Any]:
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        schema = (
            _field_schema(options[0])
            if len(options) == 1
            else {"anyOf": [_field_schema(a) for a in options]}
        )
        return (
            {"anyOf": [schema, {"type": "null"}]} if type(None) in get_args(annotation) else schema
        )
    if origin is list:
        (item,) = get_args(annotation)
        return {"type": "array", "items": _field_schema(item)}
    if origin is dict:
        _, value = get_args(annotation)
        return {"type": "object", "additionalProperties": _field_schema(value)}
    simple: dict[Any, dict[str, Any]] = {
        str: {"type": "string"},
        int: {"type": "integer"},
        float: {"type": "number"},
        bool: {"type": "boolean"},
        dt.date: {"type": "string", "format": "date"},
    }
    return dict(simple.get(annotation, {}))


def request_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of a request body type (an attrs class of :mod:`requests`)."""
    hints = get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for spec in attrs.fields(cls):
        schema = dict(spec.metadata.get("schema") or _field_schema(hints[spec.name]))
        properties[spec.name] = schema
        if spec.default is attrs.NOTHING:
            required.append(spec.name)
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


def _result_type(command: str) -> Any:
    from mentorcore.output import command_results

    results = command_results()
    return results.get(command)


def openapi_document(registry: Registry) -> dict[str, Any]:
    """The OpenAPI 3.1 description of the service over ``registry``."""
    from mentorcore import __version__
    from mentorcore.output import json_schema

    components: dict[str, Any] = {"Problem": _PROBLEM, "PeopleInput": _PEOPLE}
    paths: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        result = _result_type(endpoint.command)
        if result is None:
            continue
        schema = json_schema(result, ref_prefix="#/components/schemas/")
        components.update(schema.pop("$defs", {}))
        schema.pop("$schema", None)
        schema.pop("title", None)
        name = f"answer.{endpoint.command}"
        components[name] = schema
        operation: dict[str, Any] = {
            "operationId": endpoint.command,
            "summary": endpoint.summary,
            "description": (
                f"Answers with the same data as `mentorcore {endpoint.command} --json`."
            ),
            "responses": {
                "200": {
                    "description": "the answer",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                },
                **{
                    str(status): {
                        "description": text,
                        "content": {
                            "application/problem+json": {
                                "schema": {"$ref": "#/components/schemas/Problem"}
                            }
                        },
                    }
                    for status, text in _ERRORS
                },
            },
        }
        if "{program}" in endpoint.path:
            operation["parameters"] = [
                {
                    "name": "program",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": sorted(registry.programs)},
                    "description": "a program id",
                }
            ]
        if endpoint.body is not None:
            body_name = endpoint.body.__name__
            components[body_name] = request_schema(endpoint.body)
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{body_name}"}}
                },
            }
        paths.setdefault(endpoint.path, {})[endpoint.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mentorcore",
            "version": __version__,
            "description": (
                "Eligibility, quotes, engagement checks, reports and matching for programs "
                "that mentor and coach school leaders. Every answer names the core's version "
                "(`Mentorcore-Version`) and the plug-ins that gave it (`Mentorcore-Plugins`)."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"apiKey": []}],
    }


_ERRORS = (
    (400, "the body is not a JSON object"),
    (401, "no API key, or an unknown one"),
    (403, "the key may not use this program or read as this audience"),
    (404, "an unknown program or id"),
    (413, "the body is larger than the service's limit"),
    (422, "the body does not have the expected shape; `path` points at the fault"),
)
