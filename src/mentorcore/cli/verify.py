"""``mentorcore verify FILE [--key PUBLIC_JWK_FILE]``: check a credential."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mentorcore.cli.options import FILE, add_command
from mentorcore.io.sources import read_text

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``verify`` command."""
    parser = add_command(
        subparsers,
        "verify",
        "check an Open Badges 3.0 credential: signature, dates and shape",
        example="mentorcore verify badge.jwt --key issuer-public.jwk\n"
        "mentorcore verify badge.json --json",
        description="Check a credential written by 'mentorcore credential' (a compact VC-JWT "
        "or JSON): its Open Badges 3.0 shape, its dates (today) and its signature (with the "
        "issuer's public key, --key; without it, only against the key in the JWT's own "
        "header). Exit 0 when every check passes, 1 when any fails.",
    )
    parser.add_argument(
        "file", metavar=FILE, help="the credential: a compact JWT or a JSON file (- for stdin)"
    )
    parser.add_argument(
        "--key",
        default=None,
        metavar=FILE,
        help="the issuer's Ed25519 public JWK (a .json or .jwk file); without it a signed "
        "credential is not valid, since its signer cannot be checked",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print each check; 0 when all pass, 1 when any fails."""
    from mentorcore.credentials import load_key, verify

    key = load_key(args.key, private=False) if args.key else None
    text = read_text(args.file)  # a regular file or -, within the size limit
    result = verify(text, key)
    if args.json:
        data = {
            "ok": result.ok,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in result.checks],
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        for check in result.checks:
            mark = "ok  " if check.ok else "FAIL"
            sys.stdout.write(f"{mark}  {check.name}: {check.detail}\n")
        sys.stdout.write("valid\n" if result.ok else "not valid\n")
    return 0 if result.ok else 1
