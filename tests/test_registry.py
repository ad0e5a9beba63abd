"""The registry: built-ins through the hooks, validation, fault isolation, amendments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from core_builders import DemoPlugin, leader

from mentorcore.errors import PluginError, UnknownIdError
from mentorcore.hookspecs import hookimpl
from mentorcore.programs import Program
from mentorcore.registry import load_registry
from mentorcore.rules.conditions import Compare
from mentorcore.rules.facts import Fact
from mentorcore.rules.requirements import Requirement


def test_the_core_registers_its_builtins_through_the_hooks() -> None:
    registry = load_registry(entry_points=False)
    assert registry.programs == {}
    assert {"role", "school.state", "memberships", "in_first_school_year"} <= set(registry.facts)
    assert {"hours_delivered", "sessions", "artifacts"} <= set(registry.metrics)
    assert [p.name for p in registry.plugins] == ["mentorcore"]
    assert registry.owners["fact:role"] == "mentorcore"


def test_a_test_plugin_registers_a_program_attributed_to_it(demo_program: Program) -> None:
    registry = load_registry({"demo-plugin": DemoPlugin(demo_program)}, entry_points=False)
    assert registry.program("demo").plugin == "demo-plugin"
    info = {p.name: p for p in registry.plugins}["demo-plugin"]
    assert info.contributions == ("program demo",)


def test_two_plugins_claiming_one_program_id_keep_the_first(demo_program: Program) -> None:
    registry = load_registry(
        {"first": DemoPlugin(demo_program), "second": DemoPlugin(demo_program)}, entry_points=False
    )
    assert registry.program("demo").plugin == "first"
    assert [(f.plugin, f.reason) for f in registry.failures] == [
        ("second", "program id 'demo' is already registered by plug-in 'first'")
    ]


def test_a_program_naming_an_unknown_fact_is_reported_and_left_out(demo_program: Program) -> None:
    rule = demo_program.eligibility[0]
    outcome = attrs.evolve(rule.outcomes[0], when=Compare(op="equals", value=1, fact="shoe_size"))
    broken = attrs.evolve(
        demo_program, eligibility=(attrs.evolve(rule, outcomes=(outcome, *rule.outcomes[1:])),)
    )
    registry = load_registry({"broken": DemoPlugin(broken)}, entry_points=False)
    assert "demo" not in registry.programs
    assert "names unknown fact 'shoe_size'" in registry.failures[0].reason
    with pytest.raises(UnknownIdError, match="plug-in 'broken' failed to load"):
        registry.program("demo")


def test_strict_mode_raises_at_the_first_failure(demo_program: Program) -> None:
    with pytest.raises(PluginError, match="already registered"):
        load_registry(
            [DemoPlugin(demo_program), DemoPlugin(demo_program)], entry_points=False, strict=True
        )


class Raising:
    @hookimpl
    def register_facts(self, register: Callable[[Fact], None]) -> None:
        register(Fact(id="half", description="half done", function=lambda p, d: 1))
        raise RuntimeError("database down")


def test_a_hook_that_raises_is_isolated_and_its_partial_work_withdrawn(
    demo_program: Program,
) -> None:
    registry = load_registry(
        {"raising": Raising(), "demo": DemoPlugin(demo_program)}, entry_points=False
    )
    assert "demo" in registry.programs
    assert "half" not in registry.facts
    assert registry.failures[0].plugin == "raising"
    assert "register_facts raised RuntimeError: database down" in registry.failures[0].reason


class Misspelled:
    @hookimpl
    def register_program(self, register: Callable[[Program], None]) -> None:  # no such hook
        raise AssertionError("never called")


def test_a_misspelled_hook_is_an_error_not_silence() -> None:
    registry = load_registry({"misspelled": Misspelled()}, entry_points=False)
    assert registry.failures[0].plugin == "misspelled"
    assert "unknown hook" in registry.failures[0].reason


class Amending:
    @hookimpl
    def register_amendments(
        self, register: Callable[[str, Callable[[Program], Program]], None]
    ) -> None:
        def add_requirement(program: Program) -> Program:
            kind = program.kind("mentoring")
            extra = Requirement(
                id="district_goals",
                title="District goals logged",
                metric="artifacts",
                params={"artifact": "district_goals"},
                at_least=1,
                by="end",  # type: ignore[arg-type]
            )
            return attrs.evolve(
                program, kinds=(attrs.evolve(kind, requirements=(*kind.requirements, extra)),)
            )

        register("demo", add_requirement)


def test_a_local_plugin_amends_another_organizations_program(demo_program: Program) -> None:
    registry = load_registry(
        {"demo": DemoPlugin(demo_program), "district": Amending()}, entry_points=False
    )
    requirements = [r.id for r in registry.program("demo").kind("mentoring").requirements]
    assert requirements == ["onsite", "district_goals"]
    assert registry.program("demo").plugin == "demo"


def test_an_amendment_of_an_unknown_program_is_reported() -> None:
    registry = load_registry({"district": Amending()}, entry_points=False)
    assert registry.failures[0].reason == "amends unknown program 'demo'"


def test_the_default_registry_is_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorcore import registry as module

    monkeypatch.setattr(module, "_CACHE", {})
    assert load_registry() is load_registry()
    assert load_registry(refresh=True) is not None


def test_decisions_need_a_rule_for_the_subject(demo_program: Program) -> None:
    registry = load_registry([DemoPlugin(demo_program)], entry_points=False)
    from core_builders import mentor

    with pytest.raises(UnknownIdError, match="eligibility rule of 'demo'"):
        registry.decide("demo", mentor(), dt.date(2023, 1, 1))
    assert registry.decide("demo", leader(), dt.date(2023, 1, 1)).outcome == "free"
