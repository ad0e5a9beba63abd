"""``mentorcore credential ENGAGEMENT --as-of DATE --issuer FILE [--key FILE]``: an Open Badge."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mentorcore.checking import validate_engagement
from mentorcore.cli.main import parse_date, registry_of
from mentorcore.cli.options import FILE, add_command, one_stdin
from mentorcore.errors import InputError, MentorcoreError
from mentorcore.io.sources import display_name

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``credential`` command."""
    parser = add_command(
        subparsers,
        "credential",
        "issue an Open Badges 3.0 credential for a completed engagement",
        example="mentorcore credential examples/ipa/engagement-met.toml --as-of 2025-06-30 \\\n"
        "  --people examples/ipa/people.toml --issuer examples/credentials/issuer.toml",
        description="Write an OpenBadgeCredential (Open Badges 3.0, JSON-LD) for an engagement "
        "that is complete on the date, by its program's completion rule; with --key, sign it "
        "as a VC-JWT (Ed25519) and write the compact JWT. An engagement that is not complete "
        "gets no credential: exit 1 and what is missing.",
    )
    parser.add_argument(
        "engagement", metavar=FILE, help="engagement file (.toml or .json; - for standard input)"
    )
    parser.add_argument(
        "--people", default=None, metavar=FILE, help="people file resolving leader and mentor ids"
    )
    parser.add_argument(
        "--as-of",
        dest="as_of",
        type=parse_date,
        required=True,
        metavar="DATE",
        help="the date completion is checked on, and the credential's validFrom, as YYYY-MM-DD",
    )
    parser.add_argument(
        "--issuer",
        required=True,
        metavar="FILE",
        help="issuer file (TOML: id, a URL or DID; name; optional url and email)",
    )
    parser.add_argument(
        "--key",
        default=None,
        metavar="FILE",
        help="an Ed25519 private key as a JWK (JSON): sign the credential as a VC-JWT",
    )
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to this file")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the credential, or say what is missing and return 1."""
    from mentorcore.credentials import NotComplete, credential_for, load_issuer, load_key, sign
    from mentorcore.io.loaders import load_engagement, load_people

    if args.json:
        raise MentorcoreError(
            "credential writes the credential itself (JSON-LD, or a JWT with --key); "
            "--json means nothing here"
        )
    one_stdin(("engagement", args.engagement), ("--people", args.people))
    registry = registry_of(args)
    issuer = load_issuer(args.issuer)
    key = load_key(args.key, private=True) if args.key else None
    people = load_people(args.people) if args.people else None
    engagement = load_engagement(args.engagement, people)
    validate_engagement(registry, engagement, display_name(args.engagement))
    try:
        credential = credential_for(registry, engagement, args.as_of, issuer)
    except NotComplete as exc:
        print(f"mentorcore: {exc}", file=sys.stderr)
        return 1
    if key is not None:
        text = sign(credential, key) + "\n"
    else:
        text = json.dumps(credential, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc}", file=args.output) from None
        return 0
    sys.stdout.write(text)
    return 0
