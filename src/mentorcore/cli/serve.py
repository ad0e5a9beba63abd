"""``mentorcore serve``: the HTTP service (the optional extra ``mentorcore[server]``).

Without ``--keys`` the service answers every request as the ``program``
audience, so it listens only on a loopback address; with ``--keys FILE``
(see :mod:`mentorcore.server.keys`) every request needs a key, and each key
fixes the caller's audience and programs.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.errors import InputError, MentorcoreError

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``serve`` command."""
    from mentorcore.cli.options import add_command

    parser = add_command(
        subparsers,
        "serve",
        "serve mentorcore over HTTP (JSON, OpenAPI at /openapi.json, a page at /docs)",
        description="Serve eligibility, quotes, checks, reports and matching over HTTP.",
        example="mentorcore serve --port 8000 --keys keys.toml",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--keys",
        metavar="FILE",
        default=None,
        help="TOML file of [[keys]] (sha256, audience, programs, name); without it, "
        "only a loopback address is served",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=None,
        metavar="N",
        help="largest request body accepted (default: 33554432, 32 MiB)",
    )
    parser.add_argument(
        "--access-log", action="store_true", help="log each request's method, path and status"
    )
    parser.set_defaults(handler=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    """Load the registry once and serve until interrupted."""
    try:
        import uvicorn

        from mentorcore.server.app import DEFAULT_MAX_BODY_BYTES, create_app
    except ImportError as exc:
        raise MentorcoreError(
            f"mentorcore serve needs the 'server' extra ({exc.name} is not installed); "
            "install it with: pip install 'mentorcore[server]'"
        ) from None
    from mentorcore.server.keys import load_keys

    if not 0 < args.port < 65536:
        raise InputError(path="--port", found=args.port, expected="a port from 1 to 65535")
    limit = args.max_body_bytes if args.max_body_bytes is not None else DEFAULT_MAX_BODY_BYTES
    if limit < 1:
        raise InputError(path="--max-body-bytes", found=limit, expected="a positive number")
    registry = registry_of(args)
    keys = load_keys(args.keys, registry.programs) if args.keys else None
    if keys is None and not _is_loopback(args.host):
        raise MentorcoreError(
            f"refusing to serve {args.host} without --keys: without keys every request is "
            "answered as program staff, so only a loopback address (127.0.0.1, ::1) is served"
        )
    app = create_app(registry, keys=keys, max_body_bytes=limit)
    print(
        f"mentorcore: serving {len(registry.programs)} programs on http://{args.host}:{args.port} "
        f"({'keys from ' + args.keys if keys else 'no keys: program audience, loopback only'})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=args.access_log)
    return 0
