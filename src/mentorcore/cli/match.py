"""``mentorcore match PROGRAM --leaders FILE --mentors FILE``: pair a cohort with mentors.

Leaders come from the leaders of ``--leaders`` and mentors from the mentors
of ``--mentors`` (the same file may serve both): TOML or JSON people files,
or CSV with a header row (see :data:`mentorcore.io.loaders.PEOPLE_CSV_COLUMNS`).

Output is for a pair or sponsor by default: gender and race, and anything
that would reveal them, appear only with ``--audience program`` (program
staff). ``--json`` prints ``assignments`` (``leader``, ``mentor``,
``score``, ``reasons`` …), ``unmatched`` (``leader``, ``reason`` …),
``loads``, ``excluded_mentors``, ``total_score``, ``objective``
(``--objective participation``, the default, or ``score``) and
``min_score`` (``--min-score``), ``broken_keeps`` (``--pairs``: kept pairs
that could not stay) and ``constraints`` (``--explain-constraints``: what
each hard bound costs; each unmatched leader then has ``blocking``).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from mentorcore.cli.main import registry_of
from mentorcore.cli.options import FILE, add_command, add_date, add_format, add_json, one_stdin
from mentorcore.cli.output import emit_json, inline, table, write
from mentorcore.errors import shorten
from mentorcore.extras import require
from mentorcore.validation import MAX_DISTANCE_KM

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``match`` command."""
    parser = add_command(
        subparsers,
        "match",
        "match a cohort of leaders with mentors",
        description="Match leaders with mentors under a program's match settings: hard "
        "constraints first (mentor rule, capacity, distance for on-site work, conflicts of "
        "interest), then the assignment that matches the most leaders with the largest total "
        "score. Gender and race count only where a leader asked, and are shown only with "
        "--audience program. Needs the matching extra: pip install 'mentorcore[matching]'.",
        example="mentorcore match ipa --leaders examples/matching/leaders.toml \\\n"
        "  --mentors examples/matching/mentors.toml --on 2024-08-01",
    )
    parser.add_argument("program", help="program id (see mentorcore programs)")
    parser.add_argument(
        "--leaders",
        required=True,
        metavar=FILE,
        help="people file whose leaders to match (- for standard input)",
    )
    parser.add_argument(
        "--mentors",
        required=True,
        metavar=FILE,
        help="people file whose mentors to use (may be the same file)",
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
        "--pin",
        action="append",
        default=[],
        metavar="LEADER:MENTOR",
        help="fix a pair (repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="LEADER:MENTOR",
        help="rule a pair out (repeatable)",
    )
    parser.add_argument(
        "--max-distance",
        type=_distance,
        default=None,
        metavar="KM",
        help="bound for on-site work, overriding the program's",
    )
    parser.add_argument(
        "--audience",
        choices=("pair", "sponsor", "program"),
        default="pair",
        help="who the output is for; only 'program' (staff) sees gender and race (default: pair)",
    )
    parser.add_argument(
        "--objective",
        choices=("participation", "score"),
        default="participation",
        help="participation: the most leaders matched, then the largest total score "
        "(default); score: the largest total score, even if fewer leaders are matched",
    )
    parser.add_argument(
        "--min-score",
        type=_score,
        default=None,
        metavar="X",
        help="a pair scoring below X (gender and race not counted) is not a match",
    )
    parser.add_argument(
        "--pairs",
        default=None,
        metavar=FILE,
        help="existing matches to keep and pairs never to match (leader, mentor, action "
        "keep or never, reason), as CSV, TOML or JSON",
    )
    parser.add_argument(
        "--explain-constraints",
        action="store_true",
        help="say what each hard bound costs (leaders and score, relaxed one step) and what "
        "blocks each unmatched leader",
    )
    add_format(parser)
    add_json(parser)
    parser.set_defaults(handler=run)


def _distance(text: str) -> float:
    """``--max-distance``: kilometres within the documented bounds (not NaN or infinity)."""
    try:
        km = float(text)
    except ValueError:
        km = math.nan
    if not 0 <= km <= MAX_DISTANCE_KM:
        raise argparse.ArgumentTypeError(
            f"found {shorten(repr(text), 30)}, expected kilometres from 0 to {MAX_DISTANCE_KM:,}"
        )
    return km


def _score(text: str) -> float:
    """``--min-score``: a finite number (not NaN or infinity)."""
    try:
        score = float(text)
    except ValueError:
        score = math.nan
    if not math.isfinite(score):
        raise argparse.ArgumentTypeError(
            f"found {shorten(repr(text), 30)}, expected a finite number"
        )
    return score


def _progress(stream: TextIO) -> Callable[[int, int], None] | None:
    """A progress line on ``stream`` when it is a terminal, once matching takes over a second."""
    if not stream.isatty():
        return None
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        if time.monotonic() - started < 1.0:
            return
        end = "\n" if done >= total else ""
        stream.write(f"\rmatching: {done}/{total} leaders solved{end}")
        stream.flush()

    return report


def run(args: argparse.Namespace) -> int:
    """Match the cohort and print the assignments, unmatched leaders and loads."""
    require("matching", "mentorcore match")
    from mentorcore.io.loaders import load_people
    from mentorcore.matching import load_pairs, parse_pairs, parse_weights

    one_stdin(("--leaders", args.leaders), ("--mentors", args.mentors))
    registry = registry_of(args)
    program = registry.program(args.program)
    weights = parse_weights(args.weights, known=registry.criteria) if args.weights else None
    leaders_file = load_people(args.leaders, args.format)
    mentors_file = (
        leaders_file if args.mentors == args.leaders else load_people(args.mentors, args.format)
    )
    result = registry.match(
        program,
        leaders_file.leaders,
        mentors_file.mentors,
        on=args.on,
        weights=weights,
        pin=parse_pairs(args.pin, "--pin"),
        exclude=parse_pairs(args.exclude, "--exclude"),
        max_distance_km=args.max_distance,
        audience=args.audience,
        progress=_progress(sys.stderr),
        objective=args.objective,
        min_score=args.min_score,
        pairs=load_pairs(args.pairs) if args.pairs else (),
        explain_constraints=args.explain_constraints,
    )
    if args.json:
        emit_json(result)
        return 0
    names = {p.id: p.name for p in (*leaders_file.leaders, *mentors_file.mentors)}

    def who(ident: str) -> str:
        return f"{inline(names.get(ident, ident))} ({inline(ident)})"

    write(f"{program.title}: matching on {result.on} for the {result.audience.value} audience")
    weights_text = ", ".join(f"{k}={v:g}" for k, v in result.weights.items())
    write(f"Weights: {weights_text}")
    minimum = "" if result.min_score is None else f"; minimum score {result.min_score:g}"
    write(f"Objective: {result.objective}{minimum}")
    write(
        f"{len(result.assignments)} of {len(result.assignments) + len(result.unmatched)} leaders "
        f"matched; total score {result.total_score:.2f}"
    )
    for assignment in result.assignments:
        write()
        pinned = " [pinned]" if assignment.pinned else " [kept]" if assignment.kept else ""
        pair = f"{who(assignment.leader)} -> {who(assignment.mentor)}"
        write(f"{pair}: score {assignment.score:.2f}{pinned}")
        for reason in assignment.reasons:
            points = "  -  " if reason.score is None else f"{reason.points:+.2f}"
            criterion = reason.criterion.replace("_", " ")  # school_context → school context
            write(f"  {points}  {criterion}: {reason.reason}")
    if result.unmatched:
        write()
        write("Unmatched:")
        for unmatched in result.unmatched:
            write(f"  {who(unmatched.leader)}: {unmatched.reason}")
            if unmatched.blocking is not None:
                write(f"    blocking: {unmatched.blocking.reason}")
    if result.broken_keeps:
        write()
        write("Kept pairs that could not stay:")
        for broken in result.broken_keeps:
            write(f"  {who(broken.leader)} -> {who(broken.mentor)}: {broken.reason}")
    if result.constraints:
        write()
        write("What each hard bound costs (relaxed one step):")
        write(
            table(
                ["bound", "now", "relaxed", "more matched", "score change"],
                [
                    [
                        cost.bound,
                        cost.setting,
                        cost.relaxed_to,
                        f"{cost.more_matched:+d}",
                        f"{cost.score_change:+.2f}",
                    ]
                    for cost in result.constraints
                ],
            )
        )
    if result.excluded_mentors:
        write()
        write("Mentors who do not qualify:")
        for excluded in result.excluded_mentors:
            write(f"  {who(excluded.mentor)}: {excluded.reason}")
    write()
    write(
        table(
            ["mentor", "load", "capacity", "leaders"],
            [
                [who(load.mentor), load.load, load.capacity, ", ".join(load.leaders) or "-"]
                for load in result.loads
            ],
        ),
        wrapped=False,
    )
    return 0
