"""The pytest plug-in of the kit: scenario files collected and run as tests.

pytest loads it through the ``pytest11`` entry point wherever mentorcore is
installed. It collects only files named ``scenario_*.toml`` or
``*.scenario.toml`` (see :mod:`mentorcore.testing.scenarios` for the
format): each ``[[scenario]]`` becomes one test item, named by its
``name``, and ``conformance = true`` adds an item checking the program's
conformance. A file that does not read (a misspelled key, a bad date) is a
collection error that names the file and the path inside it, without a
traceback; a failing scenario lists every mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mentorcore.testing.scenarios import Scenario, ScenarioFile

__all__ = [
    "ConformanceItem",
    "ScenarioCollector",
    "ScenarioFailure",
    "ScenarioItem",
    "pytest_collect_file",
]


class ScenarioFailure(Exception):
    """A scenario (or a conformance check) did not hold; ``problems`` lists every mismatch."""

    def __init__(self, heading: str, problems: list[str]) -> None:
        self.heading = heading
        self.problems = problems
        super().__init__(heading)

    def __str__(self) -> str:
        return "\n".join([self.heading, *(f"  - {p}" for p in self.problems)])


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect ``scenario_*.toml`` and ``*.scenario.toml`` files (pytest ≥ 7 signature)."""
    name = file_path.name
    if name.endswith(".scenario.toml") or (name.startswith("scenario_") and name.endswith(".toml")):
        collector: ScenarioCollector = ScenarioCollector.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioCollector(pytest.File):
    """A scenario file: one item per scenario, plus a conformance item when asked for."""

    def collect(self) -> Iterator[pytest.Item]:
        """Read the file strictly; a fault is a collection error with the file and path."""
        from mentorcore.errors import MentorcoreError
        from mentorcore.testing.scenarios import load_scenario_file, scenario_line

        try:
            loaded = load_scenario_file(self.path)
        except MentorcoreError as exc:
            raise self.CollectError(f"scenario file does not read: {exc}") from None
        names = [scenario.name for scenario in loaded.scenario]
        for name in names:
            if names.count(name) > 1:
                raise self.CollectError(
                    f"{self.path}: scenario name {name!r} is used twice: "
                    "give each scenario its own name"
                )
        text = self.path.read_text(encoding="utf-8")
        if loaded.conformance:
            yield ConformanceItem.from_parent(
                self, name=f"conformance of {loaded.program}", scenarios=loaded
            )
        for index, scenario in enumerate(loaded.scenario):
            yield ScenarioItem.from_parent(
                self,
                name=scenario.name,
                scenarios=loaded,
                scenario=scenario,
                index=index,
                line=scenario_line(text, scenario),
            )


class _Item(pytest.Item):
    def __init__(self, *, scenarios: ScenarioFile, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenarios = scenarios

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """A failure in words: every mismatch, or the input or plug-in error, no traceback."""
        from mentorcore.errors import MentorcoreError

        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        if isinstance(excinfo.value, MentorcoreError):
            return f"{self.name}: {type(excinfo.value).__name__}: {excinfo.value}"
        return super().repr_failure(excinfo, style=style)


class ScenarioItem(_Item):
    """One scenario of a file, run against the registry the file names."""

    def __init__(self, *, scenario: Scenario, index: int, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.index = index
        self.line = line

    def runtest(self) -> None:
        """Run the scenario; raise :class:`ScenarioFailure` listing every mismatch."""
        from mentorcore.testing.scenarios import registry_for, run_scenario

        registry = registry_for(self.scenarios)
        problems = run_scenario(
            self.scenario,
            registry,
            self.scenarios.program,
            people=self.scenarios.load_people(),
            base=self.scenarios.directory,
            file=str(self.path),
            path=f"scenario[{self.index}]",
        )
        if problems:
            raise ScenarioFailure(
                f"scenario {self.scenario.name!r} ({self.path.name}, scenario[{self.index}], "
                f"on {self.scenario.on}) did not hold:",
                problems,
            )

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the scenario is: the file, the line of its name, and its name."""
        return self.path, self.line, f"scenario: {self.scenario.name}"


class ConformanceItem(_Item):
    """The conformance check of the file's program."""

    def runtest(self) -> None:
        """Check conformance; raise :class:`ScenarioFailure` listing every problem."""
        from mentorcore.testing.conformance import conformance_problems
        from mentorcore.testing.scenarios import registry_for

        problems = conformance_problems(registry_for(self.scenarios), self.scenarios.program)
        if problems:
            raise ScenarioFailure(f"program {self.scenarios.program!r} does not conform:", problems)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The file and the check's name."""
        return self.path, 0, f"conformance of {self.scenarios.program}"
