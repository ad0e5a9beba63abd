"""Process models and the workflow over an engagement's log.

A :class:`ProcessModel` is ordered :class:`Phase` objects, each with a
purpose and :class:`Task` objects (which may nest), plus the roles and
artifacts the process uses. A task or a phase may have
:class:`Prerequisite` objects: a task done, an artifact logged or an
approval given earlier in the same cycle. In an ``ordered`` model a phase's
prerequisites (its gate) hold for every later phase too, so a task of a
later phase logged before an earlier phase's gate is out of order. An
approval of an artifact that a task of the model produces counts only once
the artifact exists (the producing task done, or the artifact logged), and a
task that starts a new cycle opens one only when it is done in order.
:func:`progress` reads an
engagement's log against the model: the cycles, the phase reached, the tasks
done and open, each open task's next step with whether it is allowed, and any
step logged out of order. :func:`check_step` says whether one task may be
done now, with a reason a coach understands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from attrs import field, frozen

from mentorcore.engagements import Approval, ArtifactLogged, Engagement, Event, TaskDone
from mentorcore.errors import Described, InputError, MentorcoreError, UnknownIdError
from mentorcore.provenance import Source
from mentorcore.validation import non_empty

__all__ = [
    "ArtifactKind",
    "Cycle",
    "ModuleProgress",
    "Phase",
    "Prerequisite",
    "ProcessModel",
    "ProcessRole",
    "Progress",
    "StepCheck",
    "StepRefused",
    "Task",
    "check_approval",
    "check_step",
    "describe_progress",
    "progress",
    "require_step",
]


class StepRefused(MentorcoreError):
    """A step was asked for whose prerequisite is missing."""


@frozen(kw_only=True)
class Prerequisite:
    """What must come before: exactly one of a ``task`` done, an ``artifact`` logged,
    or an ``approval`` of an artifact, earlier in the same cycle.

    ``reason`` says in words why, and is shown when a step is refused.
    """

    task: str | None = None
    artifact: str | None = None
    approval: str | None = None
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        given = [name for name in ("task", "artifact", "approval") if getattr(self, name)]
        if len(given) != 1:
            raise InputError(
                found=Described(f"{len(given)} of task, artifact, approval"),
                expected="exactly one of task, artifact or approval",
            )

    def describe(self) -> str:
        """The prerequisite in words."""
        if self.task:
            return f"task {self.task!r} done"
        if self.artifact:
            return f"artifact {self.artifact!r} logged"
        return f"{self.approval!r} approved"


@frozen(kw_only=True)
class Task:
    """A task of a phase, with any sub-tasks the source nests under it."""

    id: str = field(validator=non_empty)
    title: str
    children: tuple[Task, ...] = ()
    requires: tuple[Prerequisite, ...] = ()
    produces: tuple[str, ...] = ()
    starts_new_cycle: bool = False


@frozen(kw_only=True)
class Phase:
    """A phase: its title, purpose line, tasks and prerequisites for any of its tasks.

    ``per_module=True`` marks a phase that runs once per module (practice or
    final assessment); its tasks are tracked per module.
    """

    id: str = field(validator=non_empty)
    title: str
    purpose: str = ""
    tasks: tuple[Task, ...] = ()
    requires: tuple[Prerequisite, ...] = ()
    per_module: bool = False

    def walk(self) -> Iterator[tuple[Task, Task | None]]:
        """Every task of the phase depth first, with its parent task (``None`` at the top)."""
        stack: list[tuple[Task, Task | None]] = [(t, None) for t in reversed(self.tasks)]
        while stack:
            task, parent = stack.pop()
            yield task, parent
            stack.extend((child, task) for child in reversed(task.children))


@frozen(kw_only=True)
class ProcessRole:
    """A role in the process (coach, performer, sponsor)."""

    id: str = field(validator=non_empty)
    title: str
    description: str = ""


@frozen(kw_only=True)
class ArtifactKind:
    """An artifact the process produces or uses (an IPCAP, a feedback form)."""

    id: str = field(validator=non_empty)
    title: str
    description: str = ""


@frozen(kw_only=True)
class ProcessModel:
    """Phases with tasks, roles and artifacts; ``cycles=True`` if it repeats.

    ``ordered=True`` says the phases are done in their order: the
    prerequisites of a phase (its gate) apply to the tasks of every later
    phase as well.
    """

    id: str = field(validator=non_empty)
    title: str
    phases: tuple[Phase, ...]
    roles: tuple[ProcessRole, ...] = ()
    artifacts: tuple[ArtifactKind, ...] = ()
    cycles: bool = False
    ordered: bool = False
    source: Source | None = None

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for phase in self.phases:
            for task, _ in phase.walk():
                if task.id in seen:
                    raise InputError(
                        path=f"phases.{phase.id}.tasks",
                        found=Described(f"task id {task.id!r} twice"),
                        expected="unique task ids",
                    )
                seen.add(task.id)

    def tasks(self) -> Iterator[tuple[Phase, Task]]:
        """Every task with its phase, in order."""
        for phase in self.phases:
            for task, _ in phase.walk():
                yield phase, task

    def task(self, task_id: str) -> tuple[Phase, Task]:
        """The phase and task with ``task_id``."""
        for phase, task in self.tasks():
            if task.id == task_id:
                return phase, task
        raise UnknownIdError(
            f"task of process {self.id!r}", task_id, [t.id for _, t in self.tasks()]
        )

    def gates(self, phase: Phase) -> tuple[Prerequisite, ...]:
        """The prerequisites of every task of ``phase``: its own, and in an ordered
        model those of every earlier phase first."""
        if not self.ordered:
            return phase.requires
        index = self.phase_index(phase.id)
        return tuple(p for earlier in self.phases[: index + 1] for p in earlier.requires)

    def producers(self, artifact: str) -> tuple[Task, ...]:
        """The tasks that produce ``artifact`` (``produces``), in order."""
        return tuple(task for _, task in self.tasks() if artifact in task.produces)

    def phase_index(self, phase_id: str) -> int:
        """The position of a phase, 0 for the first."""
        for index, phase in enumerate(self.phases):
            if phase.id == phase_id:
                return index
        raise UnknownIdError(f"phase of process {self.id!r}", phase_id, [p.id for p in self.phases])


@frozen(kw_only=True)
class StepCheck:
    """Whether a task may be done now, and why not when it may not."""

    task: str
    phase: str
    allowed: bool
    reason: str = ""
    title: str = ""


@frozen(kw_only=True)
class Cycle:
    """One pass through the process: its number (from 1) and the events logged in it."""

    number: int
    events: tuple[Event, ...]
    done: tuple[str, ...]
    modules: tuple[str, ...]
    closed: bool


@frozen(kw_only=True)
class ModuleProgress:
    """One module of a per-module phase (a practice or a final assessment) in a cycle."""

    phase: str
    module: str
    done: tuple[str, ...]
    open: tuple[str, ...]


@frozen(kw_only=True)
class Progress:
    """An engagement's progress through its process model on a date.

    ``cycle`` is the current cycle's number (from 1) and ``cycles`` every
    cycle so far, the closed ones first; ``phase`` is the furthest phase with
    a task done in the current cycle; ``done`` lists the tasks done at least
    once in the current cycle and ``open`` those still to do (for a
    per-module phase, the tasks not yet done in its latest module, so a new
    module opens them again); ``next_steps`` says for each open task whether
    it may be done now; ``modules`` tracks each module of a per-module phase;
    ``out_of_order`` pairs every step logged before its prerequisite with the
    reason: a task done, or an approval of an artifact not yet produced.
    """

    process: str
    as_of: dt.date
    cycle: int
    cycles: tuple[Cycle, ...]
    phase: str | None
    done: tuple[str, ...]
    open: tuple[str, ...]
    next_steps: tuple[StepCheck, ...]
    out_of_order: tuple[tuple[TaskDone | Approval, str], ...]
    modules: tuple[ModuleProgress, ...] = ()

    @property
    def allowed(self) -> tuple[StepCheck, ...]:
        """The open tasks that may be done now."""
        return tuple(step for step in self.next_steps if step.allowed)

    @property
    def refused(self) -> tuple[StepCheck, ...]:
        """The open tasks that may not be done yet, each with its reason."""
        return tuple(step for step in self.next_steps if not step.allowed)


def _satisfied(model: ProcessModel, prerequisite: Prerequisite, events: Sequence[Event]) -> bool:
    for index, event in enumerate(events):
        if prerequisite.task and isinstance(event, TaskDone) and event.task == prerequisite.task:
            return True
        if (
            prerequisite.artifact
            and isinstance(event, ArtifactLogged)
            and event.artifact == prerequisite.artifact
        ):
            return True
        if (
            prerequisite.approval
            and isinstance(event, Approval)
            and event.approved == prerequisite.approval
            and _unproduced(model, event.approved, events[:index]) is None
        ):
            return True
    return False


def _unproduced(model: ProcessModel, artifact: str, earlier: Sequence[Event]) -> str | None:
    """Why an approval of ``artifact`` cannot count yet, or ``None`` when it can.

    Only an artifact some task of the model produces is checked: approving
    it needs the producing task done (or the artifact logged) first.
    """
    producers = model.producers(artifact)
    ids = {task.id for task in producers}
    if not producers or any(
        (isinstance(event, TaskDone) and event.task in ids)
        or (isinstance(event, ArtifactLogged) and event.artifact == artifact)
        for event in earlier
    ):
        return None
    titles = {kind.id: kind.title for kind in model.artifacts}
    what = titles.get(artifact, artifact)
    tasks = " or ".join(repr(task.title) for task in producers)
    return f"the {what} has not been produced: it needs {tasks} done (or the artifact logged) first"


def _missing(
    model: ProcessModel,
    task_id: str,
    earlier: Sequence[Event],
    module: str | None = None,
    check_module: bool = False,
    logged: bool = False,
) -> str | None:
    phase, task = model.task(task_id)
    if check_module and phase.per_module and not module:
        verb = "was logged without its module" if logged else "needs its module"
        return (
            f"{task.title!r} ({phase.title}) {verb}: {phase.title} runs once per module, "
            "so name the practice or final assessment it belongs to (module = ...)"
        )
    for prerequisite in (*model.gates(phase), *task.requires):
        if not _satisfied(model, prerequisite, earlier):
            because = prerequisite.reason or f"it needs {prerequisite.describe()} first"
            verb = "was logged before its prerequisite" if logged else "cannot be done yet"
            return f"{task.title!r} ({phase.title}) {verb}: {because}"
    return None


def _cycles(model: ProcessModel, events: Sequence[Event]) -> list[list[Event]]:
    # A task that starts a new cycle opens one only when done in order: logged
    # before its prerequisites, it is out of order and the cycle goes on.
    cycles: list[list[Event]] = [[]]
    for event in events:
        opens = (
            model.cycles
            and isinstance(event, TaskDone)
            and model.task(event.task)[1].starts_new_cycle
            and _missing(model, event.task, cycles[-1], event.module, True) is None
        )
        cycles[-1].append(event)
        if opens:
            cycles.append([])
    return cycles


def _ordered(engagement: Engagement, as_of: dt.date | None) -> list[Event]:
    indexed = [
        (event.date, index, event)
        for index, event in enumerate(engagement.events)
        if as_of is None or event.date <= as_of
    ]
    return [event for _, _, event in sorted(indexed, key=lambda t: (t[0], t[1]))]


def check_step(
    model: ProcessModel,
    engagement: Engagement,
    task_id: str,
    as_of: dt.date | None = None,
    *,
    module: str | None = None,
) -> StepCheck:
    """Whether ``task_id`` may be done now in the engagement's current cycle.

    A task of a per-module phase must name its ``module``; without one it is
    refused. ``reason`` is a sentence a coach understands, naming the task,
    its phase and what must come first.
    """
    phase, task = model.task(task_id)
    current = _cycles(model, _ordered(engagement, as_of))[-1]
    reason = _missing(model, task_id, current, module, check_module=True)
    return StepCheck(
        task=task_id, phase=phase.id, allowed=reason is None, reason=reason or "", title=task.title
    )


def check_approval(
    model: ProcessModel, engagement: Engagement, artifact: str, as_of: dt.date | None = None
) -> str | None:
    """Why approving ``artifact`` now would be out of order, or ``None`` when it may be.

    An artifact a task of the model produces (GLISI's IPCAP, drafted in
    Pre-Coaching) may be approved only once that task is done in the
    current cycle, or the artifact logged.
    """
    current = _cycles(model, _ordered(engagement, as_of))[-1]
    why = _unproduced(model, artifact, current)
    return f"approving {artifact!r} cannot be done yet: {why}" if why else None


def require_step(
    model: ProcessModel, engagement: Engagement, event: TaskDone | Approval
) -> Engagement:
    """Log a completed task or an approval, or raise :class:`StepRefused` saying what is missing."""
    if isinstance(event, Approval):
        why = check_approval(model, engagement, event.approved, event.date)
        if why:
            raise StepRefused(why)
        return engagement.log(event)
    check = check_step(model, engagement, event.task, event.date, module=event.module)
    if not check.allowed:
        raise StepRefused(check.reason)
    return engagement.log(event)


def progress(model: ProcessModel, engagement: Engagement, as_of: dt.date | None = None) -> Progress:
    """Read the engagement's log against ``model`` on ``as_of`` (default: every event).

    A task unknown to the model raises :class:`~mentorcore.errors.UnknownIdError`
    listing the known task ids.
    """
    events = _ordered(engagement, as_of)
    split = _cycles(model, events)
    out_of_order: list[tuple[TaskDone | Approval, str]] = []
    cycles: list[Cycle] = []
    for number, cycle_events in enumerate(split, start=1):
        done: list[str] = []
        modules: list[str] = []
        for index, event in enumerate(cycle_events):
            if isinstance(event, Approval):
                why = _unproduced(model, event.approved, cycle_events[:index])
                if why:
                    out_of_order.append(
                        (event, f"the approval of {event.approved!r} was logged too early: {why}")
                    )
                continue
            if not isinstance(event, TaskDone):
                continue
            reason = _missing(
                model, event.task, cycle_events[:index], event.module, True, logged=True
            )
            if reason:
                out_of_order.append((event, reason))
            if event.task not in done:
                done.append(event.task)
            if event.module and event.module not in modules:
                modules.append(event.module)
        closed = number < len(split)
        cycles.append(
            Cycle(
                number=number,
                events=tuple(cycle_events),
                done=tuple(done),
                modules=tuple(modules),
                closed=closed,
            )
        )
    current = cycles[-1]
    reached: str | None = None
    for phase, task in model.tasks():
        if task.id in current.done and (
            reached is None or model.phase_index(phase.id) > model.phase_index(reached)
        ):
            reached = phase.id
    module_progress: list[ModuleProgress] = []
    for phase in model.phases:
        if not phase.per_module:
            continue
        phase_tasks = [task.id for task, _ in phase.walk()]
        for module in current.modules:
            module_done = tuple(
                dict.fromkeys(
                    event.task
                    for event in current.events
                    if isinstance(event, TaskDone)
                    and event.module == module
                    and event.task in phase_tasks
                )
            )
            if not module_done:
                continue
            module_progress.append(
                ModuleProgress(
                    phase=phase.id,
                    module=module,
                    done=module_done,
                    open=tuple(t for t in phase_tasks if t not in module_done),
                )
            )
    # A per-module phase's tasks are open again in each new module: the open
    # ones are those not yet done in the phase's latest module.
    latest: dict[str, tuple[str, ...]] = {}
    for phase in model.phases:
        modules_here = [
            event.module
            for event in current.events
            if isinstance(event, TaskDone)
            and event.module
            and model.task(event.task)[0].id == phase.id
        ]
        if phase.per_module and modules_here:
            last = next(
                m for m in module_progress if m.phase == phase.id and m.module == modules_here[-1]
            )
            latest[phase.id] = last.open
    open_tasks = tuple(
        task.id
        for phase, task in model.tasks()
        if (task.id in latest[phase.id] if phase.id in latest else task.id not in current.done)
    )
    next_steps = []
    for task_id in open_tasks:
        phase, task = model.task(task_id)
        reason = _missing(model, task_id, current.events)
        next_steps.append(
            StepCheck(
                task=task_id,
                phase=phase.id,
                allowed=reason is None,
                reason=reason or "",
                title=task.title,
            )
        )
    day = as_of or max((e.date for e in events), default=engagement.start)
    return Progress(
        process=model.id,
        as_of=day,
        cycle=current.number,
        cycles=tuple(cycles),
        phase=reached,
        done=current.done,
        open=open_tasks,
        next_steps=tuple(next_steps),
        out_of_order=tuple(out_of_order),
        modules=tuple(module_progress),
    )


def describe_progress(model: ProcessModel, reached: Progress, limit: int = 5) -> list[str]:
    """Progress in sentences for people: the cycle, the phase, the tasks, what comes next.

    At most ``limit`` next steps of each kind (allowed, refused) are listed.
    """

    def title(task_id: str) -> str:
        return model.task(task_id)[1].title

    def phase_title(phase_id: str | None) -> str:
        if phase_id is None:
            return "not started"
        return model.phases[model.phase_index(phase_id)].title

    closed = sum(1 for cycle in reached.cycles if cycle.closed)
    lines = [
        f"Cycle {reached.cycle}"
        + (f" ({closed} earlier cycle(s) closed)" if closed else "")
        + f", phase reached: {phase_title(reached.phase)}",
        f"{len(reached.done)} task(s) done, {len(reached.open)} open in this cycle",
    ]
    for module in reached.modules:
        lines.append(
            f"{phase_title(module.phase)} module {module.module!r}: "
            f"{len(module.done)} task(s) done, {len(module.open)} open"
        )
    allowed = reached.allowed
    if allowed:
        lines.append("Next steps allowed now:")
        lines.extend(
            f"  - {title(step.task)} ({phase_title(step.phase)})" for step in allowed[:limit]
        )
        if len(allowed) > limit:
            lines.append(f"  … and {len(allowed) - limit} more")
    refused = reached.refused
    if refused:
        lines.append("Not yet allowed:")
        lines.extend(f"  - {step.reason}" for step in refused[:limit])
        if len(refused) > limit:
            lines.append(f"  … and {len(refused) - limit} more")
    for event, reason in reached.out_of_order:
        lines.append(f"Out of order on {event.date}: {reason}")
    return lines
