"""The plug-in contract: the hooks a mentorcore plug-in may implement.

A plug-in is a module (or object) with functions marked ``@hookimpl``
(``from mentorcore.plugin import hookimpl``) and named as below, made known
through an entry point in the group ``mentorcore``::

    [project.entry-points.mentorcore]
    ipa = "mentorcore_ipa.plugin"

(or, for a plug-in that is only a program data file,
``my_program = "my_package:program.toml"``).

Each ``register_*`` hook receives a ``register`` callback: the plug-in calls
it once per thing it adds, and the registry records which plug-in added
what, validates it, and keeps going if one plug-in fails. Hooks are called
through pluggy (``tryfirst``, ``trylast`` and wrappers mean what pluggy's
documentation says), once, when :func:`mentorcore.load_registry` runs,
never at import time. The
core's own facts, metrics, checks and criteria come in through these same
hooks (:mod:`mentorcore.builtins`).

Implementations take exactly the arguments named here, with no defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from mentorcore.frameworks import Framework, Rubric
    from mentorcore.matching.criteria import Criterion
    from mentorcore.programs import Program
    from mentorcore.rules.facts import Fact
    from mentorcore.rules.requirements import Metric, RequirementCheck

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The pluggy project name and the entry-point group.
PROJECT = "mentorcore"

hookspec = pluggy.HookspecMarker(PROJECT)
#: Marks a plug-in's hook implementation: ``@hookimpl def register_programs(register): ...``
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_programs(register: Callable[[Program], None]) -> None:
    """Add the programs this plug-in provides.

    Called once per registry load. Call ``register(program)`` for each
    :class:`~mentorcore.programs.Program`, usually built from a data file in
    the package with :func:`mentorcore.plugin.load_resource`. A program id
    is owned by one plug-in: an id two plug-ins register is a conflict, and
    neither program is served (``mentorcore programs`` lists it; using the
    id says how to choose). Change another organization's program with
    :func:`register_amendments` instead.
    """


@hookspec
def register_frameworks(register: Callable[[Framework | Rubric], None]) -> None:
    """Add shared frameworks and rubrics that any program may use by id.

    Called before programs are validated. Call ``register(framework)`` with
    a :class:`~mentorcore.frameworks.Framework` or
    :class:`~mentorcore.frameworks.Rubric` (CPSEL, PSEL 2015): a program
    names it in ``uses``, and an artifact logs its item codes.
    """


@hookspec
def register_facts(register: Callable[[Fact], None]) -> None:
    """Add facts that conditions may name.

    Call ``register(fact)`` with a :class:`~mentorcore.rules.facts.Fact`
    whose function computes a value for a person on a date. Prefix ids with
    the program id (``acsa.seeks_tier2``) to avoid collisions: a fact id two
    plug-ins register is a conflict (neither is used), and one of the core's
    own ids is reserved. A fact that raises at run time raises a
    :class:`~mentorcore.errors.PluginError` naming the plug-in and the fact.
    """


@hookspec
def register_metrics(register: Callable[[Metric], None]) -> None:
    """Add metrics that service requirements may name.

    Call ``register(metric)`` with a
    :class:`~mentorcore.rules.requirements.Metric`: a number derived from an
    engagement's log on a date (hours delivered, sessions on site).
    """


@hookspec
def register_checks(register: Callable[[RequirementCheck], None]) -> None:
    """Add service requirement checks written in Python.

    For what a metric and a bound cannot say (ACSA's monthly band of coaching
    hours), call ``register(check)`` with a
    :class:`~mentorcore.rules.requirements.RequirementCheck`; a requirement
    names it with ``check = "<id>"`` and passes ``params``.
    """


@hookspec
def register_criteria(register: Callable[[Criterion], None]) -> None:
    """Add matching criteria that a program's match settings may weigh.

    Call ``register(criterion)`` with a
    :class:`~mentorcore.matching.criteria.Criterion`. Scores are in [0, 1]
    and each comes with a short reason. The simplest way to write one is
    :func:`~mentorcore.matching.criteria.pair_criterion`, from a function
    ``(leader, mentor, params) -> (score, reason) | None``; for cohorts of
    thousands, give ``Criterion(prepare=...)`` a vectorised
    :class:`~mentorcore.matching.criteria.PairScorer`. A program weighs the
    criterion by its id in ``[matching] criteria``.
    """


@hookspec
def register_amendments(register: Callable[[str, Callable[[Program], Program]], None]) -> None:
    """Amend another organization's program from a local plug-in.

    Call ``register(program_id, amend)``: after every program is loaded,
    ``amend(program)`` is called and must return the amended program
    (``attrs.evolve`` it: add a requirement, a rule, a price period). The
    amended program is validated like any other; a failing amendment is
    reported against the plug-in that made it, and the program stays as it was.
    """
