"""``mentorcore suggest PROGRAM --leader ID --leaders FILE --mentors FILE``: mentors for one leader.

The top ``--top`` (default 5) feasible mentors for the leader by score,
each with the reasons, the mentor's load (leaders kept with them in
``--pairs``) and capacity, and how many mentors each hard constraint ruled
out, without solving the cohort. ``--json`` prints ``leader``,
``suggestions`` (``mentor``, ``score``, ``reasons``, ``load``,
``capacity``) and ``infeasible``. Gender and race reasons appear only with
``--audience program``; for every other audience, the order and the top
``K`` follow the score shown, without gender and race. ``--min-score``
compares the score without gender and race for every audience, as ``match``
does.
"""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.match import _distance, _score
from mentorcore.cli.options import FILE, add_command, add_date
from mentorcore.cli.output import emit_json, table, write
from mentorcore.extras import require

__all__ = ["register", "run"]


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"found {text!r}, expected a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"found {value}, expected a number from 1 to 1000")
    return value


def register(subparsers: Any) -> None:
    """Add the ``suggest`` command."""
    parser = add_command(
        subparsers,
        "suggest",
        "the best feasible mentors for one leader",
        example="mentorcore suggest ipa --leader amara \\\n"
        "  --leaders examples/matching/leaders.toml \\\n"
        "  --mentors examples/matching/mentors.toml --on 2024-08-01",
        description="Score one leader against every mentor under a program's match settings "
        "and list the best feasible mentors, with how many mentors each hard constraint "
        "(mentor rule, declines, conflicts of interest, distance, capacity, minimum score) "
        "ruled out. The cohort is not solved.",
    )
    parser.add_argument("program", help="program id")
    parser.add_argument("--leader", required=True, metavar="ID", help="the leader's id")
    parser.add_argument(
        "--leaders", required=True, metavar=FILE, help="people file with the leader (- for stdin)"
    )
    parser.add_argument(
        "--mentors", required=True, metavar=FILE, help="people file whose mentors to use"
    )
    parser.add_argument(
        "--top", type=_top, default=5, metavar="K", help="how many mentors (default 5)"
    )
    add_date(parser, "--on", "date mentor rules are decided on", "today")
    parser.add_argument(
        "--weights",
        action="append",
        default=[],
        metavar="NAME=W,...",
        help="override criterion weights, e.g. goals=2,distance=0.5 (0 turns one off)",
    )
    parser.add_argument(
        "--pairs",
        default=None,
        metavar=FILE,
        help="keeps (load on the mentor) and declines (never), as CSV, TOML or JSON",
    )
    parser.add_argument(
        "--max-distance",
        type=_distance,
        default=None,
        metavar="KM",
        help="bound for on-site work, overriding the program's",
    )
    parser.add_argument(
        "--min-score",
        type=_score,
        default=None,
        metavar="X",
        help="leave out mentors scoring below X (gender and race not counted)",
    )
    parser.add_argument(
        "--audience",
        choices=("pair", "sponsor", "program"),
        default="pair",
        help="who the output is for; only 'program' (staff) sees gender and race (default: pair)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the best feasible mentors for the leader."""
    require("matching", "mentorcore suggest")
    from mentorcore.io.loaders import load_people
    from mentorcore.matching import load_pairs, parse_weights

    registry = registry_of(args)
    program = registry.program(args.program)
    weights = parse_weights(args.weights, known=registry.criteria) if args.weights else None
    leaders_file = load_people(args.leaders)
    mentors_file = leaders_file if args.mentors == args.leaders else load_people(args.mentors)
    result = registry.suggest(
        program,
        args.leader,
        leaders_file.leaders,
        mentors_file.mentors,
        top=args.top,
        on=args.on,
        weights=weights,
        pairs=load_pairs(args.pairs) if args.pairs else (),
        max_distance_km=args.max_distance,
        min_score=args.min_score,
        audience=args.audience,
    )
    if args.json:
        emit_json(result)
        return 0
    names = {p.id: p.name for p in (*leaders_file.leaders, *mentors_file.mentors)}
    write(
        f"{program.title}: mentors for {names.get(result.leader, result.leader)} "
        f"({result.leader}) on {result.on}, for the {result.audience.value} audience"
    )
    write(f"{result.feasible} of {result.mentors} mentors are feasible")
    for rank, suggestion in enumerate(result.suggestions, 1):
        write()
        who = f"{names.get(suggestion.mentor, suggestion.mentor)} ({suggestion.mentor})"
        write(
            f"{rank}. {who}: score {suggestion.score:.2f}, "
            f"load {suggestion.load} of {suggestion.capacity}"
        )
        for reason in suggestion.reasons:
            points = "  -  " if reason.score is None else f"{reason.points:+.2f}"
            criterion = reason.criterion.replace("_", " ")  # school_context → school context
            write(f"  {points}  {criterion}: {reason.reason}")
    ruled = [[name, count] for name, count in result.infeasible.items() if count]
    if ruled:
        write()
        write("Ruled out:")
        write(table(["constraint", "mentors"], ruled))
    return 0
