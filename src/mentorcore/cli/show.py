"""``mentorcore show PROGRAM``: a program in words, for a program coordinator."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.output import emit_json, table, write
from mentorcore.frameworks import Framework, Item
from mentorcore.programs import Program
from mentorcore.provenance import Source
from mentorcore.registry import Registry
from mentorcore.rules.conditions import describe
from mentorcore.rules.requirements import describe_requirement

__all__ = ["register", "render", "run"]


def register(subparsers: Any) -> None:
    """Add the ``show`` command."""
    parser = subparsers.add_parser("show", help="print a program: kinds, rules, prices, process")
    parser.add_argument("program", help="program id, as `mentorcore programs` lists")
    parser.add_argument("--json", action="store_true", help="print the program as JSON")
    parser.set_defaults(handler=run)


def _source(source: Source | None) -> str:
    return f"    Source: {source}" if source else ""


def _items(item: Item, depth: int) -> list[str]:
    pad = "  " * depth
    title = f" {item.title}" if item.title else ""
    text = f": {item.text}" if item.text else ""
    lines = [f"{pad}{item.code}{title}{text}"]
    for child in item.children:
        lines.extend(_items(child, depth + 1))
    return lines


def _framework(framework: Framework) -> list[str]:
    lines = [f"  {framework.title} ({framework.id}, {len(framework.codes)} items)"]
    for item in framework.items:
        lines.extend(_items(item, 2))
    if framework.source:
        lines.append(_source(framework.source))
    return lines


def render(program: Program, registry: Registry) -> list[str]:
    """The program as lines of text (the registry words its metrics and checks)."""
    lines = [f"{program.title}", f"{program.organization}"]
    if program.description:
        lines += ["", program.description]
    for source in program.sources:
        lines.append(f"Source: {source}")
    if program.kinds:
        lines += ["", "Kinds of engagement"]
        for kind in program.kinds:
            lines.append(f"  {kind.id}: {kind.title}")
            if kind.description:
                lines.append(f"    {kind.description}")
            for characteristic in kind.characteristics:
                heading = f"{characteristic.heading}: " if characteristic.heading else ""
                if characteristic.text:
                    first, *rest = f"{heading}{characteristic.text}".splitlines()
                    lines.append(f"    - {first}")
                    lines.extend(f"      {line}" for line in rest if line.strip())
            if kind.roles:
                lines.append(f"    Roles: {', '.join(kind.roles)}")
            if kind.central_artifact:
                lines.append(f"    Central artifact: {kind.central_artifact}")
            if kind.credential_pathway:
                lines.append(f"    Credential pathway: {kind.credential_pathway}")
            for credential in kind.required_credentials:
                lines.append(f"    Requires the mentor to hold: {credential}")
            if kind.requirements:
                lines.append("    Service requirements:")
                for requirement in kind.requirements:
                    words = describe_requirement(requirement, registry.metrics, registry.checks)
                    lines.append(f"      - {requirement.title} [{words}]")
            if kind.process is not None:
                process = kind.process
                lines.append(f"    Process: {process.title}")
                for index, phase in enumerate(process.phases, start=1):
                    per = " (per module)" if phase.per_module else ""
                    lines.append(f"      {index}. {phase.title}{per}: {phase.purpose}")
                    for task, parent in phase.walk():
                        pad = "           " if parent else "         "
                        lines.append(f"{pad}- {task.title}")
    for rule in program.eligibility:
        lines += ["", f"Eligibility: {rule.title} (for {rule.subject}s)"]
        if rule.description:
            lines.append(f"  {rule.description}")
        for outcome in rule.outcomes:
            if outcome.when is None:
                lines.append(f"  Otherwise: {outcome.title}")
            else:
                lines.append(f"  {outcome.title} when:")
                lines.extend(f"    {line}" for line in describe(outcome.when))
    for parameter in program.parameters:
        lines += ["", f"Dated values: {parameter.title} ({parameter.id})"]
        for entry, end in parameter.periods():
            span = f"{entry.start} to {end}" if end else f"from {entry.start}"
            lines.append(
                f"  {span}: {entry.value}" + (f"  [{entry.source}]" if entry.source else "")
            )
        for entry in parameter.values:
            if entry.value is None:
                lines.append(
                    f"  from {entry.start}: no value on record"
                    + (f" ({entry.note})" if entry.note else "")
                )
    if program.pricing is not None:
        pricing = program.pricing
        lines += ["", f"Prices ({pricing.table.currency})"]
        for schedule, end in pricing.table.periods():
            span = f"{schedule.start} to {end}" if end else f"from {schedule.start}"
            bases = [b.id for b in pricing.bases]
            lines.append(f"  In force {span}:")
            rows = [
                [f"{p.hours} hours", *(str(p.prices.get(b, "-")) for b in bases)]
                for p in schedule.packages
            ]
            lines.extend(
                f"    {row}"
                for row in table(["package", *[b.title for b in pricing.bases]], rows).splitlines()
            )
            if schedule.source:
                lines.append(_source(schedule.source))
        free = ", ".join(pricing.free_outcomes)
        lines.append(f"  Outcomes quoted free: {free}")
    for checklist in program.checklists:
        lines += ["", f"Checklist: {checklist.title}"]
        lines.extend(f"  - [{item.id}] {item.text}" for item in checklist.items)
    if program.matching is not None:
        matching = program.matching
        lines += ["", "Matching"]
        for factor in matching.factors:
            scored = f" (criterion {factor.criterion})" if factor.criterion else ""
            lines.append(f"  - {factor.title}{scored}")
        if matching.criteria:
            lines.append(
                "  Default weights: "
                + ", ".join(f"{c.criterion}={c.weight}" for c in matching.criteria)
            )
        if matching.max_distance_km is not None:
            lines.append(f"  Maximum distance for on-site work: {matching.max_distance_km} km")
        if matching.goal_areas:
            lines.append(
                "  Professional goal areas: " + "; ".join(g.text for g in matching.goal_areas)
            )
    if program.frameworks:
        lines += ["", "Frameworks"]
        for framework in program.frameworks:
            lines.extend(_framework(framework))
    for rubric in program.rubrics:
        lines += ["", f"Rubric: {rubric.title}"]
        lines.append(
            "  Levels: "
            + ", ".join(
                f"{level.title}" + (f" ({level.group})" if level.group else "")
                for level in rubric.levels
            )
        )
    if program.uses:
        lines += ["", "Shared frameworks it uses"]
        for used in program.uses:
            if used in registry.frameworks:
                lines.extend(_framework(registry.frameworks[used]))
            else:
                lines.append(f"  {used}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Print one program."""
    registry = registry_of(args)
    program = registry.program(args.program)
    if args.json:
        emit_json(program)
        return 0
    for line in render(program, registry):
        write(line)
    return 0
