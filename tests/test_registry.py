"""The registry: built-ins through the hooks, validation, fault isolation, amendments."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from core_builders import DemoPlugin, leader, mentor

from mentorcore.errors import ConflictError, PluginError, UnknownIdError
from mentorcore.hookspecs import hookimpl
from mentorcore.matching.criteria import Criterion, pair_criterion
from mentorcore.programs import Program
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.conditions import Compare
from mentorcore.rules.facts import Fact
from mentorcore.rules.requirements import Metric, Requirement, RequirementCheck


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


def test_two_plugins_claiming_one_program_id_is_a_conflict_served_by_neither(
    demo_program: Program,
) -> None:
    """Issue 11: the first claimant no longer keeps the id; neither is served."""
    registry = load_registry(
        {"first": DemoPlugin(demo_program), "second": DemoPlugin(demo_program)}, entry_points=False
    )
    assert "demo" not in registry.programs
    assert registry.failures == ()
    assert [(c.kind, c.id, [p.plugin for p in c.claimants]) for c in registry.conflicts] == [
        ("program", "demo", ["first", "second"])
    ]
    with pytest.raises(ConflictError, match="program 'demo' is claimed by 'first' and 'second'"):
        registry.program("demo")


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

    with pytest.raises(UnknownIdError, match="eligibility rule of 'demo'"):
        registry.decide("demo", mentor(), dt.date(2023, 1, 1))
    assert registry.decide("demo", leader(), dt.date(2023, 1, 1)).outcome == "free"


# -- hooks are called through pluggy --------------------------------------------


class _Recording:
    """A plug-in recording, in ``calls``, when its ``register_facts`` ran."""

    def __init__(self, name: str, calls: list[str]) -> None:
        self.__name__ = name
        self.calls = calls


def _fact_plugin(name: str, calls: list[str], **opts: bool) -> object:
    plugin = _Recording(name, calls)

    @hookimpl(**opts)
    def register_facts(register: Callable[[Fact], None]) -> None:
        calls.append(name)
        register(Fact(id=f"{name}.x", description=name, function=lambda p, d: 1))

    plugin.register_facts = register_facts  # type: ignore[attr-defined]
    return plugin


def test_tryfirst_and_trylast_mean_what_pluggy_says() -> None:
    calls: list[str] = []
    plugins = {
        "early": _fact_plugin("early", calls, tryfirst=True),
        "plain_a": _fact_plugin("plain_a", calls),
        "plain_b": _fact_plugin("plain_b", calls),
        "late": _fact_plugin("late", calls, trylast=True),
    }
    # registered in the order early, plain_a, plain_b, late: pluggy calls the
    # plain ones last registered first, tryfirst before them and trylast after
    late_first = dict(reversed(list(plugins.items())))
    for given in (plugins, late_first):
        calls.clear()
        registry = load_registry(given, entry_points=False, strict=True)
        assert calls[0] == "early" and calls[-1] == "late"
        assert {"early.x", "plain_a.x", "plain_b.x", "late.x"} <= set(registry.facts)
    calls.clear()
    load_registry(plugins, entry_points=False)
    assert calls == ["early", "plain_b", "plain_a", "late"]


class _NewStyleWrapper:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    @hookimpl(wrapper=True)
    def register_programs(self, register: Callable[[Program], None]) -> Iterator[None]:
        self.calls.append("before")
        result = yield
        self.calls.append("after")
        return result


class _OldStyleWrapper:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    @hookimpl(hookwrapper=True)
    def register_programs(self, register: Callable[[Program], None]) -> Iterator[None]:
        self.calls.append("old before")
        outcome = yield
        outcome.get_result()  # type: ignore[attr-defined]
        self.calls.append("old after")


class _Inner:
    def __init__(self, calls: list[str], program: Program) -> None:
        self.calls = calls
        self.program = program

    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        self.calls.append("inner")
        register(self.program)


@pytest.mark.parametrize("strict", [False, True])
def test_wrappers_wrap_the_other_implementations_and_are_never_dropped(
    demo_program: Program, strict: bool
) -> None:
    calls: list[str] = []
    registry = load_registry(
        {
            "wrapper": _NewStyleWrapper(calls),
            "old": _OldStyleWrapper(calls),
            "inner": _Inner(calls, demo_program),
        },
        entry_points=False,
        strict=strict,
    )
    # wrappers outermost, the last registered outside the first (pluggy's LIFO)
    assert calls == ["old before", "before", "inner", "after", "old after"]
    assert registry.program("demo").plugin == "inner"


class _WrapperFailingAfter:
    @hookimpl(wrapper=True)
    def register_facts(self, register: Callable[[Fact], None]) -> Iterator[None]:
        register(Fact(id="wrapped.before", description="x", function=lambda p, d: 1))
        yield
        raise RuntimeError("teardown failed")


def test_a_wrapper_that_raises_after_yield_is_isolated_and_withdrawn(
    demo_program: Program,
) -> None:
    calls: list[str] = []
    registry = load_registry(
        {"wrapping": _WrapperFailingAfter(), "inner": _Inner(calls, demo_program)},
        entry_points=False,
    )
    assert "wrapped.before" not in registry.facts
    assert registry.program("demo").plugin == "inner"
    assert [(f.plugin, f.reason) for f in registry.failures] == [
        ("wrapping", "register_facts raised RuntimeError: teardown failed")
    ]


class _NotAGenerator:
    @hookimpl(wrapper=True)
    def register_facts(self, register: Callable[[Fact], None]) -> None:
        raise AssertionError("never called")


class _WrongArgument:
    @hookimpl
    def register_facts(self, registrar: Callable[[Fact], None]) -> None:
        raise AssertionError("never called")


@pytest.mark.parametrize(
    ("plugin", "reason"),
    [
        (_NotAGenerator(), "generator"),
        (_WrongArgument(), "registrar"),
    ],
)
def test_an_implementation_pluggy_refuses_is_reported_not_dropped(
    plugin: object, reason: str
) -> None:
    registry = load_registry({"odd": plugin}, entry_points=False)
    assert [f.plugin for f in registry.failures] == ["odd"]
    assert reason in registry.failures[0].reason
    with pytest.raises(PluginError, match="plug-in 'odd'"):
        load_registry({"odd": plugin}, entry_points=False, strict=True)


class _Exits:
    @hookimpl
    def register_facts(self, register: Callable[[Fact], None]) -> None:
        register(Fact(id="exits.half", description="x", function=lambda p, d: 1))
        raise SystemExit(3)


def test_system_exit_in_a_hook_is_contained_like_any_other_fault(demo_program: Program) -> None:
    registry = load_registry(
        {"exits": _Exits(), "demo": DemoPlugin(demo_program)}, entry_points=False
    )
    assert "demo" in registry.programs
    assert "exits.half" not in registry.facts
    assert registry.failures[0].reason == "register_facts raised SystemExit: 3"


def test_the_registry_is_frozen(registry: Registry) -> None:
    with pytest.raises(TypeError):
        registry.programs["other"] = registry.program("demo")  # type: ignore[index]
    with pytest.raises(AttributeError):
        registry.programs = {}  # type: ignore[misc]


# -- run-time faults name the plug-in ---------------------------------------------


class _RunTimeFaults:
    @hookimpl
    def register_metrics(self, register: Callable[[Metric], None]) -> None:
        register(Metric(id="odd.metric", description="x", function=lambda e, d, p: "many"))

    @hookimpl
    def register_checks(self, register: Callable[[RequirementCheck], None]) -> None:
        def check(*_args: object) -> object:
            raise KeyError("visits")

        register(RequirementCheck(id="odd.check", description="x", function=check))

    @hookimpl
    def register_criteria(self, register: Callable[[Criterion], None]) -> None:
        def score(leader: object, mentor: object, params: object) -> tuple[float, str]:
            raise ValueError("no region")

        register(pair_criterion("odd.criterion", "x", score))


def test_a_metric_check_or_criterion_that_fails_names_its_plugin() -> None:
    registry = load_registry({"odd": _RunTimeFaults()}, entry_points=False)
    metric = registry.metrics["odd.metric"]
    with pytest.raises(PluginError, match=r"plug-in 'odd': metric 'odd\.metric' returned str"):
        metric.function(None, dt.date(2024, 1, 1), {})  # type: ignore[arg-type]
    check = registry.checks["odd.check"]
    requirement = Requirement(id="r", title="r", check="odd.check")
    with pytest.raises(
        PluginError, match=r"plug-in 'odd': check 'odd\.check' raised KeyError for requirement 'r'"
    ):
        check.function(requirement, None, dt.date(2024, 1, 1), None)  # type: ignore[arg-type]
    criterion = registry.criteria["odd.criterion"]
    from mentorcore.matching.criteria import Cohort

    scorer = criterion.prepare(Cohort([leader()], [mentor()]), {})
    with pytest.raises(PluginError, match=r"plug-in 'odd': criterion 'odd\.criterion' raised"):
        scorer.reason(0, 0)


# -- one face for services ---------------------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("mentorcore_ipa") is None
    or importlib.util.find_spec("mentorcore_practice12") is None,
    reason="needs the IPA and Practice 12 plug-ins",
)
def test_every_service_is_a_registry_method_equal_to_its_module_function() -> None:
    from mentorcore.assessing import load_assessment, summarize_assessment
    from mentorcore.checking import check_engagement
    from mentorcore.io.loaders import load_engagement, load_people
    from mentorcore.matching import match, suggest
    from mentorcore.reports import report

    examples = Path(__file__).resolve().parent.parent / "examples"
    registry = load_registry(only=["ipa", "practice12"])
    people = load_people(examples / "ipa" / "people.toml")
    engagement = load_engagement(examples / "ipa" / "engagement-met.toml", people)
    on = dt.date(2024, 6, 30)
    assert registry.check(engagement, on) == check_engagement(registry, engagement, on)
    assert registry.report(engagement, "sponsor", on) == report(registry, engagement, "sponsor", on)
    cohort = load_people(examples / "matching" / "leaders.toml")
    mentors = load_people(examples / "matching" / "mentors.toml")
    leaders_, mentors_ = cohort.leaders, mentors.mentors
    assert registry.match("ipa", leaders_, mentors_, on=on) == match(
        registry, "ipa", leaders_, mentors_, on=on
    )
    first = leaders_[0].id
    assert registry.suggest("ipa", first, leaders_, mentors_, on=on) == suggest(
        registry, "ipa", first, leaders_, mentors_, on=on
    )
    assessment = load_assessment(examples / "practice12" / "district-self-assessment.toml")
    assert registry.assess(assessment) == summarize_assessment(registry, assessment)
