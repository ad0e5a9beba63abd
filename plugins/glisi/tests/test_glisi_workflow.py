"""GLISI's Leadership Preparation Performance Coaching Model and its workflow."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path

import pytest
from mentorcore_glisi import plugin

from mentorcore.checking import check_engagement
from mentorcore.io.loaders import load_engagement
from mentorcore.plugin import (
    Approval,
    ArtifactLogged,
    Engagement,
    Event,
    Leader,
    Mentor,
    Registry,
    Status,
    TaskDone,
    load_registry,
)
from mentorcore.process import (
    ProcessModel,
    StepRefused,
    check_step,
    describe_progress,
    progress,
    require_step,
)
from mentorcore.testing import assert_conformant

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "glisi"
DAY = dt.date(2024, 9, 1)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry([plugin], entry_points=False, strict=True)


@pytest.fixture(scope="module")
def model(registry: Registry) -> ProcessModel:
    process = registry.program("glisi").kind("performance_coaching").process
    assert process is not None
    return process


def engagement(*events: Event) -> Engagement:
    return Engagement(
        id="e1",
        program="glisi",
        kind="performance_coaching",
        leader=Leader(id="p", name="Performer", role="principal", role_started=dt.date(2024, 7, 1)),
        mentor=Mentor(id="c", name="Coach", role="other", role_started=dt.date(2010, 7, 1)),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
        events=events,
    )


def task(task_id: str, day: int = 0, module: str | None = None) -> TaskDone:
    return TaskDone(date=DAY + dt.timedelta(days=day), task=task_id, module=module)


APPROVED = (
    task("draft_ipcap"),
    ArtifactLogged(date=DAY, artifact="ipcap"),
    Approval(date=DAY, approved="ipcap", by="sponsor"),
    task("gain_ipcap_approval"),
)


# -- The model, as the seed lists it ---------------------------------------------------


def test_the_model_has_five_phases_in_the_seeds_order_with_their_purposes(
    model: ProcessModel,
) -> None:
    assert [(p.id, p.title) for p in model.phases] == [
        ("pre_coaching", "Pre-Coaching"),
        ("plan", "Plan"),
        ("do", "Do (Modules)"),
        ("check", "Check"),
        ("act", "Act"),
    ]
    assert [p.purpose for p in model.phases] == [
        "Plan for coaching; analyze factors; orient performer and sponsor",
        "Work with the performer to prepare for and schedule practice; provide resources",
        "Arrange support and observe practice &/or assessment; develop feedback",
        "Provide feedback; help performer self-assess; develop recommendations for interventions",
        "Communicate and document success; assist portfolio completion; plan for next goals",
    ]
    assert model.cycles
    assert [p.id for p in model.phases if p.per_module] == ["do"]


def test_every_phase_lists_the_seeds_tasks_exactly(model: ProcessModel) -> None:
    titles = {p.id: [t.title for t, _ in p.walk()] for p in model.phases}
    assert [len(titles[p.id]) for p in model.phases] == [6, 5, 6, 6, 10]
    assert titles["pre_coaching"][4] == "Draft Individual Performance Coaching Action Plan (IPCAP)"
    assert titles["plan"][0] == "Gain approval of the IPCAP"
    assert titles["do"][-1] == "Score performance & create written feedback"
    assert titles["check"] == [
        "Arrange the Feedback Session",
        "Conduct Feedback Session using observation, feedback & self-assessment forms",
        "Develop recommendations for performance interventions",
        "Communicate recommendations",
        "Direct performer to next steps",
        "Debrief the process",
    ]
    assert titles["act"][0] == "Recognize and communicate completion"
    assert titles["act"][-1] == (
        "Set next goals and next steps with performer, sponsor, and district representative"
    )


def test_act_keeps_the_seeds_nesting(model: ProcessModel) -> None:
    act = model.phases[-1]
    nested = {t.id: [c.title for c in t.children] for t in act.tasks if t.children}
    assert nested == {
        "schedule_portfolio_review": ["Review portfolio entry", "Provide portfolio feedback"],
        "set_goals": ["Communicate status", "Celebrate!"],
    }
    assert [t.id for t in act.tasks if t.starts_new_cycle] == ["set_next_goals"]


def test_the_roles_and_artifacts_are_the_seeds(model: ProcessModel) -> None:
    assert [r.id for r in model.roles] == [
        "coach",
        "performer",
        "sponsor",
        "district_representative",
    ]
    assert {a.id for a in model.artifacts} == {
        "ipcap",
        "observation_form",
        "feedback_form",
        "self_assessment_form",
        "participant_feedback_forms",
        "scored_performance",
        "recommendations",
        "portfolio_entry",
    }


def test_task_ids_are_stable(model: ProcessModel) -> None:
    ids = [t.id for _, t in model.tasks()]
    assert len(ids) == 33
    assert {"draft_ipcap", "gain_ipcap_approval", "observe", "score_performance"} <= set(ids)


# -- Refusals ------------------------------------------------------------------------------


def test_plan_work_before_the_ipcap_is_approved_is_refused(model: ProcessModel) -> None:
    logged = engagement(task("draft_ipcap"), ArtifactLogged(date=DAY, artifact="ipcap"))
    for task_id in ("organize_for_coaching", "schedule_practice", "prepare_resources"):
        step = check_step(model, logged, task_id)
        assert not step.allowed
        assert "the IPCAP has not been approved" in step.reason
    with pytest.raises(StepRefused, match=r"'Organize for coaching' \(Plan\) cannot be done yet"):
        require_step(model, logged, task("organize_for_coaching", 1))


def test_plan_work_is_allowed_once_the_ipcap_is_approved(model: ProcessModel) -> None:
    logged = engagement(*APPROVED)
    assert check_step(model, logged, "organize_for_coaching").allowed
    after = require_step(model, logged, task("schedule_practice", 1))
    assert after.events[-1] == task("schedule_practice", 1)


def test_seeking_approval_of_an_ipcap_not_yet_drafted_is_refused(model: ProcessModel) -> None:
    step = check_step(model, engagement(), "gain_ipcap_approval")
    assert not step.allowed
    assert "the IPCAP has not been drafted" in step.reason


def test_check_before_an_observation_in_do_is_refused(model: ProcessModel) -> None:
    logged = engagement(*APPROVED, task("organize_practice", 1, "practice"))
    step = check_step(model, logged, "arrange_feedback_session")
    assert not step.allowed
    assert "no practice or final assessment has been observed" in step.reason
    observed = logged.log(task("observe", 2, "practice"))
    assert check_step(model, observed, "arrange_feedback_session").allowed


def test_a_portfolio_review_before_an_entry_is_provided_is_refused(model: ProcessModel) -> None:
    # Act's gate is Check's feedback (issue 10 item 6): the log gives it first.
    logged = engagement(
        *APPROVED, task("observe", 1, "final_assessment"), task("conduct_feedback_session", 2)
    )
    step = check_step(model, logged, "review_portfolio_entry")
    assert not step.allowed
    assert "no portfolio entry has been provided" in step.reason
    entry = logged.log(ArtifactLogged(date=DAY + dt.timedelta(days=30), artifact="portfolio_entry"))
    assert check_step(model, entry, "review_portfolio_entry").allowed


def test_a_do_task_must_name_its_module(model: ProcessModel) -> None:
    logged = engagement(*APPROVED)
    with pytest.raises(StepRefused, match="runs once per module"):
        require_step(model, logged, task("observe", 1))
    assert check_step(model, logged, "observe", module="practice").allowed


# -- Progress and cycles ---------------------------------------------------------------------


def test_do_runs_per_module(model: ProcessModel) -> None:
    logged = engagement(
        *APPROVED,
        task("organize_practice", 1, "practice"),
        task("observe", 2, "practice"),
        task("organize_practice", 10, "final_assessment"),
    )
    reached = progress(model, logged)
    assert reached.phase == "do"
    assert [(m.module, m.done) for m in reached.modules] == [
        ("practice", ("organize_practice", "observe")),
        ("final_assessment", ("organize_practice",)),
    ]
    assert "observe" in reached.modules[1].open


def test_setting_next_goals_opens_a_new_cycle_and_keeps_the_history(model: ProcessModel) -> None:
    logged = engagement(
        *APPROVED,
        task("observe", 1, "final_assessment"),
        task("arrange_feedback_session", 2),
        task("conduct_feedback_session", 2),  # a new cycle opens only after Check's feedback
        task("set_next_goals", 3),
        task("review_assignment", 4),
    )
    reached = progress(model, logged)
    assert reached.cycle == 2
    assert [c.closed for c in reached.cycles] == [True, False]
    assert "set_next_goals" in reached.cycles[0].done
    assert reached.cycles[0].modules == ("final_assessment",)
    assert reached.done == ("review_assignment",)
    assert reached.phase == "pre_coaching"
    # The new cycle needs its own approved IPCAP before Plan work.
    assert not check_step(model, logged, "organize_for_coaching").allowed
    assert "1 earlier cycle(s) closed" in describe_progress(model, reached)[0]


def test_progress_lists_done_open_and_whether_each_next_step_is_allowed(
    model: ProcessModel,
) -> None:
    reached = progress(model, engagement(task("review_assignment"), task("draft_ipcap")))
    assert reached.phase == "pre_coaching"
    assert reached.done == ("review_assignment", "draft_ipcap")
    assert len(reached.open) == 31
    allowed = {s.task for s in reached.allowed}
    refused = {s.task: s.reason for s in reached.refused}
    assert {"plan_orientation", "gain_ipcap_approval"} <= allowed
    assert "organize_for_coaching" in refused
    # Issue 10 item 6: Do (Modules) waits for the IPCAP's approval (it was allowed before).
    assert "the IPCAP has not been approved" in refused["organize_practice"]
    assert refused["arrange_feedback_session"].startswith(
        "'Arrange the Feedback Session' (Check) cannot be done yet"
    )


def test_a_mid_cycle_engagement_checks_clean_with_its_progress(registry: Registry) -> None:
    logged = load_engagement(EXAMPLES / "engagement-mid-cycle.toml")
    checked = check_engagement(registry, logged, dt.date(2025, 2, 28))
    assert checked.status is Status.MET
    assert checked.progress is not None
    assert checked.progress.phase == "do"
    assert checked.progress.cycle == 1
    assert [m.module for m in checked.progress.modules] == ["practice", "final_assessment"]
    assert checked.progress.modules[0].open == ()


def test_a_step_logged_out_of_order_is_a_finding_with_the_reason(registry: Registry) -> None:
    logged = load_engagement(EXAMPLES / "engagement-out-of-order.toml")
    checked = check_engagement(registry, logged, dt.date(2024, 12, 1))
    order = next(f for f in checked.findings if f.requirement == "process_order")
    assert order.status is Status.NOT_MET
    assert order.figures["out_of_order"] == 2
    assert checked.progress is not None
    reasons = [reason for _, reason in checked.progress.out_of_order]
    assert reasons[0].startswith(
        "'Schedule practice or final assessment' (Plan) was logged before its prerequisite: "
        "the IPCAP has not been approved"
    )
    assert "no practice or final assessment has been observed" in reasons[1]


# -- The plug-in ------------------------------------------------------------------------------


def test_the_program_conforms(registry: Registry) -> None:
    assert_conformant(registry, "glisi")


def test_the_plugin_is_installed_as_an_entry_point() -> None:
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="mentorcore")}
    assert names.get("glisi") == "mentorcore_glisi.plugin"


# -- The whole cycle in order (issue 10 item 6) ----------------------------------------------


def test_approving_the_ipcap_needs_it_drafted(model: ProcessModel) -> None:
    approval = Approval(date=DAY, approved="ipcap", by="sponsor")
    with pytest.raises(StepRefused, match="approving 'ipcap' cannot be done yet"):
        require_step(model, engagement(task("review_assignment")), approval)
    drafted = engagement(task("draft_ipcap"))
    assert require_step(model, drafted, approval).events[-1] == approval


def test_an_approval_before_the_draft_is_out_of_order_and_opens_nothing(
    model: ProcessModel,
) -> None:
    early = Approval(date=DAY, approved="ipcap", by="sponsor")
    logged = engagement(early, task("draft_ipcap", 1))
    reached = progress(model, logged)
    assert [event for event, _ in reached.out_of_order] == [early]
    assert not check_step(model, logged, "organize_for_coaching").allowed
    assert not check_step(model, logged, "observe", module="practice").allowed


def test_a_later_phase_before_an_earlier_gate_is_refused_and_flagged(model: ProcessModel) -> None:
    drafted = engagement(task("draft_ipcap"))
    with pytest.raises(StepRefused, match="the IPCAP has not been approved"):
        require_step(model, drafted, task("observe", 1, "practice"))
    logged = drafted.log(task("observe", 1, "practice"))
    reasons = [reason for _, reason in progress(model, logged).out_of_order]
    assert reasons == [
        "'Observe practice/final assessment' (Do (Modules)) was logged before its "
        "prerequisite: the IPCAP has not been approved. Log its approval (an approval of "
        '"ipcap", from "Gain approval of the IPCAP") before practice or a final assessment'
    ]


def test_set_next_goals_right_after_an_observation_opens_no_new_cycle(
    model: ProcessModel,
) -> None:
    logged = engagement(*APPROVED, task("observe", 1, "practice"), task("set_next_goals", 2))
    reached = progress(model, logged)
    assert reached.cycle == 1
    assert len(reached.out_of_order) == 1
    assert "no feedback session has been conducted" in reached.out_of_order[0][1]
    with pytest.raises(StepRefused, match=r"\(Act\) cannot be done yet"):
        require_step(
            model, engagement(*APPROVED, task("observe", 1, "practice")), task("set_next_goals", 2)
        )


def test_every_gate_holds_for_every_later_phase(model: ProcessModel) -> None:
    gates = {phase.id: [p.task or p.approval for p in model.gates(phase)] for phase in model.phases}
    assert gates == {
        "pre_coaching": [],
        "plan": ["draft_ipcap"],
        "do": ["draft_ipcap", "ipcap"],
        "check": ["draft_ipcap", "ipcap", "observe"],
        "act": ["draft_ipcap", "ipcap", "observe", "conduct_feedback_session"],
    }
    assert model.ordered


def test_an_early_approval_is_reported_in_json(registry: Registry) -> None:
    from mentorcore.output import to_data

    logged = engagement(Approval(date=DAY, approved="ipcap", by="sponsor"))
    data = to_data(check_engagement(registry, logged, DAY))
    [entry] = data["progress"]["out_of_order"]
    assert entry["approval"] == "ipcap" and entry["task"] is None
    assert entry["date"] == "2024-09-01"
    assert "has not been produced" in entry["reason"]
