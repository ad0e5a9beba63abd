"""The conformance check of a program: what every bundled and third-party program must pass.

:func:`conformance_problems` lists, in words, everything that keeps a
program from conforming:

* it is not loaded (its plug-in failed: the failure is quoted);
* it does not validate (:func:`~mentorcore.registry.validate_program`:
  every fact, metric, check, framework, item and criterion it names exists);
* it does not round-trip through TOML
  (:func:`~mentorcore.io.export.program_to_toml` then
  :func:`~mentorcore.io.export.program_from_toml` gives an equal program);
* a rule is not explained: a comparison in an eligibility outcome or a
  price basis has no ``says`` (the words a decision's explanation uses);
* it names no source.

:func:`assert_conformant` fails with every problem at once.
"""

from __future__ import annotations

from attrs import fields

from mentorcore.errors import MentorcoreError
from mentorcore.io.export import program_from_toml, program_to_toml
from mentorcore.programs import Program
from mentorcore.registry import Registry, validate_program
from mentorcore.rules.conditions import Condition, leaves

__all__ = ["ConformanceError", "assert_conformant", "conformance_problems", "unexplained"]


class ConformanceError(AssertionError):
    """A program does not conform; the message lists every problem."""

    def __init__(self, program: str, problems: list[str]) -> None:
        self.program = program
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"program {program!r} does not conform:\n{listing}")


def _conditions(program: Program) -> list[tuple[str, Condition]]:
    found: list[tuple[str, Condition]] = []
    for rule in program.eligibility:
        for outcome in rule.outcomes:
            if outcome.when is not None:
                found.append(
                    (f"eligibility rule {rule.id!r}, outcome {outcome.id!r}", outcome.when)
                )
    if program.pricing is not None:
        for basis in program.pricing.bases:
            if basis.when is not None:
                found.append((f"price basis {basis.id!r}", basis.when))
    return found


def unexplained(program: Program) -> list[str]:
    """Every comparison of the program's rules that has no ``says``, in words."""
    problems: list[str] = []
    for where, condition in _conditions(program):
        for leaf in leaves(condition):
            if not leaf.says.strip():
                problems.append(
                    f"{where}: the comparison of {leaf.subject!r} ({leaf.expectation()}) has no "
                    "'says': add the condition in plain words"
                )
    return problems


def _differences(before: Program, after: Program) -> list[str]:
    return [
        attribute.name
        for attribute in fields(Program)
        if attribute.eq and getattr(before, attribute.name) != getattr(after, attribute.name)
    ]


def conformance_problems(registry: Registry, program_id: str) -> list[str]:
    """Everything that keeps ``program_id`` in ``registry`` from conforming (empty: it conforms)."""
    if program_id not in registry.programs:
        reasons = [f"{f.plugin}: {f.reason}" for f in registry.failures]
        known = ", ".join(sorted(registry.programs)) or "none"
        problems = [f"program {program_id!r} is not loaded (programs loaded: {known})"]
        problems.extend(f"plug-in failure: {reason}" for reason in reasons)
        return problems
    program = registry.programs[program_id]
    problems = [
        f"plug-in failure: {f.plugin}: {f.reason}"
        for f in registry.failures
        if f.plugin == program.plugin
    ]
    problems.extend(f"does not validate: {p}" for p in validate_program(program, registry))
    try:
        text = program_to_toml(program)
    except Exception as exc:
        problems.append(f"cannot be written as TOML: {type(exc).__name__}: {exc}")
    else:
        try:
            again = program_from_toml(text, file=f"<{program_id} written as TOML>")
        except MentorcoreError as exc:
            problems.append(f"its TOML does not read back: {exc}")
        else:
            changed = _differences(program, again)
            if changed:
                problems.append(
                    "does not round-trip through TOML: these fields differ after writing and "
                    f"reading back: {', '.join(changed)}"
                )
    problems.extend(unexplained(program))
    if not program.sources:
        problems.append("names no source: add [[sources]] (a seed or a public document)")
    return problems


def assert_conformant(registry: Registry, program_id: str) -> None:
    """Raise :class:`ConformanceError` listing every problem, unless the program conforms."""
    problems = conformance_problems(registry, program_id)
    if problems:
        raise ConformanceError(program_id, problems)
