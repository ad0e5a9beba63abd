"""The plug-in door: how :func:`mentorcore.load_registry` loads plug-ins.

Installed plug-ins are found through entry points in the group
``mentorcore`` (an entry point naming a data file, ``"package:program.toml"``,
is a plug-in that is only that program), imported with standard output
sent to standard error, and registered with pluggy as stand-ins whose hook
implementations are guards around the plug-in's own, with the same pluggy
options and argument names. Each hook is then called through pluggy, by a
typed wrapper over ``pm.hook`` (the pattern of tox 4's plug-in manager), so
``tryfirst``, ``trylast`` and wrappers mean what pluggy's documentation
says. A guard attributes what is registered to its plug-in and contains any
fault but ``KeyboardInterrupt``: the plug-in is recorded as failed, what it
registered is withdrawn, and the other implementations run on. Claims are
settled after every hook has run, so no order decides an id: an id with two
claimants is a :class:`~mentorcore.registry.Conflict`. A plug-in still
importing or in a hook after :data:`~mentorcore.registry.SLOW_PLUGIN_SECONDS`
is named on standard error while loading goes on.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import inspect
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pluggy
from attrs import evolve

from mentorcore import hookspecs
from mentorcore.attribution import attributed
from mentorcore.errors import PluginError
from mentorcore.frameworks import Framework, Rubric
from mentorcore.matching.criteria import Criterion
from mentorcore.programs import Program
from mentorcore.registry import (
    CORE,
    DATA_FILE_SUFFIXES,
    PLUGINS_ENV,
    SLOW_PLUGIN_SECONDS,
    Claimant,
    Conflict,
    PluginFailure,
    PluginInfo,
    Registry,
    validate_program,
)
from mentorcore.rules.facts import Fact
from mentorcore.rules.requirements import Metric, RequirementCheck

__all__ = ["load"]

_HOOK_ORDER = (
    "register_facts",
    "register_metrics",
    "register_checks",
    "register_criteria",
    "register_frameworks",
    "register_programs",
    "register_amendments",
)

#: What each ``register`` callback accepts.
_EXPECTED: dict[str, tuple[type, ...]] = {
    "register_facts": (Fact,),
    "register_metrics": (Metric,),
    "register_checks": (RequirementCheck,),
    "register_criteria": (Criterion,),
    "register_frameworks": (Framework, Rubric),
    "register_programs": (Program,),
}

#: The registry's tables, by the label of what they hold.
_LABELS = ("fact", "metric", "check", "criterion", "framework", "rubric", "program")


def _label(value: Any) -> str:
    if isinstance(value, Fact):
        return "fact"
    if isinstance(value, Metric):
        return "metric"
    if isinstance(value, RequirementCheck):
        return "check"
    if isinstance(value, Criterion):
        return "criterion"
    if isinstance(value, Framework):
        return "framework"
    if isinstance(value, Rubric):
        return "rubric"
    return "program"


def _distribution(entry_point: importlib.metadata.EntryPoint) -> tuple[str | None, str | None]:
    dist = getattr(entry_point, "dist", None)
    if dist is None:
        return None, None
    return dist.metadata["Name"], dist.version


def _only_from_env() -> list[str] | None:
    value = os.environ.get(PLUGINS_ENV)
    if value is None:
        return None
    value = value.strip()
    if value.lower() in ("", "none"):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


class _DataFilePlugin:
    """A plug-in that is one program data file: ``name = "package:program.toml"``.

    The file is read (never executed) when the registry calls
    ``register_programs``; a plug-in with no rule in Python needs no Python.
    """

    def __init__(self, package: str, file: str) -> None:
        self.package = package
        self.file = file

    @hookspecs.hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        """Register the program the data file describes."""
        from mentorcore.io.loaders import load_resource

        register(load_resource(self.package, self.file, Program))


class _Hooks:
    """The hooks, typed, each called through pluggy (the pattern of tox 4's plug-in manager)."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self._hook = manager.hook

    def register_facts(self, register: Callable[[Fact], None]) -> None:
        """Call every ``register_facts`` implementation, in pluggy's order."""
        self._hook.register_facts(register=register)

    def register_metrics(self, register: Callable[[Metric], None]) -> None:
        """Call every ``register_metrics`` implementation, in pluggy's order."""
        self._hook.register_metrics(register=register)

    def register_checks(self, register: Callable[[RequirementCheck], None]) -> None:
        """Call every ``register_checks`` implementation, in pluggy's order."""
        self._hook.register_checks(register=register)

    def register_criteria(self, register: Callable[[Criterion], None]) -> None:
        """Call every ``register_criteria`` implementation, in pluggy's order."""
        self._hook.register_criteria(register=register)

    def register_frameworks(self, register: Callable[[Framework | Rubric], None]) -> None:
        """Call every ``register_frameworks`` implementation, in pluggy's order."""
        self._hook.register_frameworks(register=register)

    def register_programs(self, register: Callable[[Program], None]) -> None:
        """Call every ``register_programs`` implementation, in pluggy's order."""
        self._hook.register_programs(register=register)

    def register_amendments(
        self, register: Callable[[str, Callable[[Program], Program]], None]
    ) -> None:
        """Call every ``register_amendments`` implementation, in pluggy's order."""
        self._hook.register_amendments(register=register)


class _Watch:
    """Names on stderr a plug-in still importing or in a hook after :data:`SLOW_PLUGIN_SECONDS`.

    One daemon thread per load looks, a few times a second, at what the
    loader is doing; loading itself goes on undisturbed.
    """

    def __init__(self, describe: Callable[[str], str]) -> None:
        self.describe = describe
        self.current: tuple[str, float] | None = None
        self.warned: set[tuple[str, float]] = set()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mentorcore-slow-plugin", daemon=True)

    def __enter__(self) -> _Watch:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.done.set()

    def enter(self, plugin: str | None) -> None:
        """The loader now works on ``plugin`` (``None``: on nothing of a plug-in's)."""
        self.current = None if plugin is None else (plugin, time.monotonic())

    def _run(self) -> None:
        while not self.done.wait(0.1):
            current = self.current
            if current is None or current in self.warned:
                continue
            if time.monotonic() - current[1] >= SLOW_PLUGIN_SECONDS:
                self.warned.add(current)
                print(
                    f"mentorcore: plug-in {self.describe(current[0])} is still loading "
                    f"after {SLOW_PLUGIN_SECONDS:g} s",
                    file=sys.stderr,
                    flush=True,
                )


class _Loader:
    """One registry load: plug-ins found, registered with pluggy, their hooks called, checked."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.hooks = _Hooks(self.manager)
        self.meta: dict[str, tuple[str | None, str | None]] = {CORE: (CORE, _version(CORE))}
        self.order: list[str] = []
        self.contributions: dict[str, list[str]] = {}
        self.claims: dict[tuple[str, str], list[tuple[str, Any]]] = {}
        self.amendments: list[tuple[str, str, Callable[[Program], Program]]] = []
        self.broken: set[str] = set()
        self.failures: list[PluginFailure] = []
        self.warnings: list[str] = []
        self.active: list[str] = []
        self.selectable: list[str] = []
        self.tables: dict[str, dict[str, Any]] = {label: {} for label in _LABELS}
        self.owners: dict[str, str] = {}
        self.conflicts: list[Conflict] = []
        self.watch = _Watch(self.describe)
        self.hooks_called = False

    # -- faults ------------------------------------------------------------

    def describe(self, plugin: str) -> str:
        """The plug-in with its distribution and version."""
        return Claimant(plugin, *self.meta.get(plugin, (None, None))).describe()

    def fail(self, plugin: str, reason: str, *, withdraw: bool = True) -> None:
        """Record a failure against ``plugin`` and withdraw it (or raise, in strict mode)."""
        if withdraw:
            self.broken.add(plugin)
        if self.strict:
            raise PluginError(plugin, reason)
        self.failures.append(PluginFailure(plugin, reason, *self.meta.get(plugin, (None, None))))

    def fail_hook(self, plugin: str, hook: str, exc: BaseException) -> None:
        """A hook implementation of ``plugin`` raised ``exc``."""
        if isinstance(exc, PluginError) and exc.plugin == plugin:
            if plugin in self.broken and not self.strict:
                return  # its register call already recorded why
            self.fail(plugin, exc.reason)
        else:
            self.fail(plugin, f"{hook} raised {type(exc).__name__}: {exc}")

    def warn(self, message: str) -> None:
        """Record a warning and say it on stderr."""
        self.warnings.append(message)
        print(f"mentorcore: warning: {message}", file=sys.stderr)

    @contextlib.contextmanager
    def acting_as(self, plugin: str) -> Iterator[None]:
        """Attribute what is registered meanwhile to ``plugin``."""
        self.active.append(plugin)
        self.watch.enter(plugin)
        try:
            yield
        finally:
            self.active.pop()
            self.watch.enter(self.active[-1] if self.active else None)

    # -- finding and registering plug-ins ----------------------------------

    def candidates(
        self,
        plugins: Iterable[object] | Mapping[str, object],
        entry_points: bool,
        only: Iterable[str] | None,
    ) -> list[tuple[str, object]]:
        """The built-ins, the given plug-ins, then the installed ones that import."""
        from mentorcore import builtins

        found: list[tuple[str, object]] = [(CORE, builtins)]
        if isinstance(plugins, Mapping):
            found.extend(plugins.items())
        else:
            taken: dict[str, int] = {}
            for plugin in plugins:
                name = str(getattr(plugin, "__name__", None) or type(plugin).__name__)
                taken[name] = taken.get(name, 0) + 1
                if taken[name] > 1:  # two instances of one class: number them
                    name = f"{name}-{taken[name]}"
                found.append((name, plugin))
        if entry_points:
            found.extend(self.installed(only))
        return found

    def installed(self, only: Iterable[str] | None) -> list[tuple[str, object]]:
        """Every installed plug-in selected (by ``only`` or ``MENTORCORE_PLUGINS``), imported."""
        available = list(importlib.metadata.entry_points(group=hookspecs.PROJECT))
        names = sorted({ep.name for ep in available})
        source = "only"
        wanted: list[str] | None = list(only) if only is not None else None
        if wanted is None:
            wanted = _only_from_env()
            source = PLUGINS_ENV
        if wanted is not None:
            for name in wanted:
                if name not in names:
                    self.warn(
                        f"{source} names {name!r}, which is not an installed plug-in; "
                        f"installed: {', '.join(names) or 'none'}"
                    )
            available = [ep for ep in available if ep.name in set(wanted)]
        self.selectable = names
        found: list[tuple[str, object]] = []
        for entry_point in sorted(available, key=lambda ep: ep.name):
            name = entry_point.name
            self.meta[name] = _distribution(entry_point)
            attr = entry_point.attr or ""
            if attr.endswith(DATA_FILE_SUFFIXES):
                found.append((name, _DataFilePlugin(entry_point.module, attr)))
                continue
            with self.acting_as(name):
                try:
                    found.append((name, entry_point.load()))
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:
                    self.fail(name, f"failed to import: {type(exc).__name__}: {exc}")
        return found

    def register(self, candidates: list[tuple[str, object]]) -> None:
        """Register each plug-in with pluggy, its hook implementations guarded."""
        for name, plugin in candidates:
            try:
                if self.manager.get_plugin(name) is not None or name in self.order:
                    raise PluginError(name, "a plug-in of this name is already registered")
                self.manager.register(self.guarded(name, plugin), name=name)
            except KeyboardInterrupt:
                raise
            except PluginError as exc:
                self.fail(name, f"failed to register: {exc.reason}", withdraw=False)
                continue
            except BaseException as exc:
                self.fail(name, f"failed to register: {exc}", withdraw=False)
                continue
            self.order.append(name)
            self.contributions.setdefault(name, [])
        while True:
            try:
                self.manager.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                bad = self.manager.get_name(exc.plugin) or str(exc.plugin)
                self.manager.unregister(exc.plugin)
                self.order.remove(bad)
                self.fail(bad, f"unknown hook: {exc}")

    def guarded(self, name: str, plugin: object) -> object:
        """A stand-in for ``plugin`` whose hook implementations are guarded, with the same options.

        pluggy reads each implementation's options (``tryfirst``,
        ``wrapper`` …) and its argument names from the guard exactly as from
        the original (``functools.wraps``), so it orders and calls them as
        it would the plug-in's own.
        """
        stand_in = _StandIn(name)
        marker = f"{hookspecs.PROJECT}_impl"
        for attribute in dir(plugin):
            opts = self.manager.parse_hookimpl_opts(plugin, attribute)
            if opts is None:
                continue
            function = getattr(plugin, attribute)
            guard = self.guard(name, attribute, function, opts)
            setattr(guard, marker, opts)
            setattr(stand_in, attribute, guard)
        return stand_in

    def guard(
        self, plugin: str, hook: str, function: Callable[..., Any], opts: Mapping[str, Any]
    ) -> Callable[..., Any]:
        """``function`` called as ``plugin``, its faults recorded against ``plugin``."""
        loader = self
        wrapper = bool(opts.get("wrapper") or opts.get("hookwrapper"))
        if wrapper and inspect.isgeneratorfunction(function):

            @functools.wraps(function)
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                inner = None
                if plugin not in loader.broken:
                    with loader.acting_as(plugin):
                        try:
                            inner = function(*args, **kwargs)
                            next(inner)
                        except StopIteration:
                            inner = None
                            loader.fail(plugin, f"{hook}: the wrapper did not yield")
                        except KeyboardInterrupt:
                            raise
                        except BaseException as exc:
                            inner = None
                            loader.fail_hook(plugin, hook, exc)
                if inner is None:
                    return (yield)
                try:
                    sent = yield
                except BaseException as exc:  # an implementation inside raised
                    with loader.acting_as(plugin):
                        try:
                            inner.throw(exc)
                        except StopIteration as stop:
                            return stop.value
                    inner.close()
                    raise
                with loader.acting_as(plugin):
                    try:
                        inner.send(sent)
                    except StopIteration as stop:
                        return stop.value
                    except KeyboardInterrupt:
                        raise
                    except BaseException as exc:
                        loader.fail_hook(plugin, hook, exc)
                        return sent
                inner.close()
                loader.fail(plugin, f"{hook}: the wrapper yielded twice")
                return sent

            return wrapped

        @functools.wraps(function)
        def called(*args: Any, **kwargs: Any) -> Any:
            if plugin in loader.broken:
                return None
            with loader.acting_as(plugin):
                try:
                    return function(*args, **kwargs)
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:
                    loader.fail_hook(plugin, hook, exc)
                    return None

        return called

    # -- calling the hooks -------------------------------------------------

    def callback(self, hook: str) -> Callable[..., None]:
        """The ``register`` callback of ``hook``: each call is attributed to the plug-in calling."""

        def register(*args: Any) -> None:
            if not self.active or self.hooks_called:
                raise PluginError(
                    "unknown", f"{hook}: register was called outside the registry's hook call"
                )
            plugin = self.active[-1]
            if plugin in self.broken:
                return
            if hook == "register_amendments":
                if len(args) != 2 or not isinstance(args[0], str) or not callable(args[1]):
                    reason = "register_amendments: expected register(program_id, function)"
                    self.fail(plugin, reason)
                    raise PluginError(plugin, reason)
                self.amendments.append((plugin, args[0], args[1]))
                self.contributions[plugin].append(f"amendment of {args[0]}")
                return
            if len(args) != 1 or not isinstance(args[0], _EXPECTED[hook]):
                names = " or ".join(t.__name__ for t in _EXPECTED[hook])
                found = ", ".join(type(a).__name__ for a in args) or "nothing"
                reason = f"{hook}: expected a {names}, got {found}"
                self.fail(plugin, reason)
                raise PluginError(plugin, reason)
            value: Any = args[0]
            label = _label(value)
            claims = self.claims.setdefault((label, value.id), [])
            if any(owner == plugin for owner, _ in claims):
                reason = f"{label} id {value.id!r} is registered twice by this plug-in"
                self.fail(plugin, reason)
                raise PluginError(plugin, reason)
            if self.strict and claims:
                raise PluginError(
                    plugin,
                    f"{label} id {value.id!r} is already registered by plug-in {claims[0][0]!r}",
                )
            claims.append((plugin, value))

        return register

    def call_hooks(self) -> None:
        """Call every hook through pluggy, in the order facts, …, programs, amendments."""
        for hook in _HOOK_ORDER:
            getattr(self.hooks, hook)(self.callback(hook))
        self.hooks_called = True

    def settle(self) -> None:
        """Give each id to its one claimant; an id claimed by two plug-ins goes to neither."""
        for (label, ident), claims in self.claims.items():
            live = [(plugin, value) for plugin, value in claims if plugin not in self.broken]
            if not live:
                continue
            owners = [plugin for plugin, _ in live]
            if CORE in owners and len(owners) > 1:
                # The core's ids are reserved: claiming one is the plug-in's fault.
                for plugin in owners:
                    if plugin != CORE:
                        self.fail(
                            plugin,
                            f"{label} id {ident!r} is already registered by plug-in {CORE!r}",
                        )
        for (label, ident), claims in self.claims.items():
            live = [(plugin, value) for plugin, value in claims if plugin not in self.broken]
            if not live:
                continue
            if len(live) > 1:
                self.conflicts.append(self.conflict(label, ident, [p for p, _ in live]))
                continue
            plugin, value = live[0]
            if isinstance(value, Program):
                value = evolve(value, plugin=plugin)
            self.tables[label][ident] = attributed(value, plugin)
            self.owners[f"{label}:{ident}"] = plugin
            self.contributions[plugin].append(f"{label} {ident}")

    def conflict(self, label: str, ident: str, plugins: list[str]) -> Conflict:
        """The conflict over ``ident``, with how to choose between its claimants."""
        claimants = tuple(
            Claimant(plugin, *self.meta.get(plugin, (None, None))) for plugin in sorted(plugins)
        )
        if all(c.plugin in self.selectable for c in claimants):
            # An example choice: the claimant named like the id (or the first) and the rest.
            keep = ident if ident in plugins else claimants[0].plugin
            left_out = [c.plugin for c in claimants if c.plugin != keep]
            chosen = [n for n in self.order if n in self.selectable and n not in left_out]
            hint = (
                f"choose one by naming the plug-ins to load in {PLUGINS_ENV}, for example "
                f"{PLUGINS_ENV}={','.join(chosen)} (leaving out "
                f"{', '.join(repr(n) for n in left_out)}), or uninstall one of the distributions"
            )
        else:
            hint = "register only one of them"
        return Conflict(kind=label, id=ident, claimants=claimants, hint=hint)

    def amend(self) -> None:
        """Apply each amendment; a failing one leaves the program as it was."""
        programs = self.tables["program"]
        for plugin, program_id, amend in self.amendments:
            if plugin in self.broken:
                continue
            if program_id not in programs:
                conflict = next(
                    (c for c in self.conflicts if c.kind == "program" and c.id == program_id),
                    None,
                )
                if conflict is not None:
                    self.fail(plugin, f"amends program {program_id!r}: {conflict.reason}")
                else:
                    self.fail(plugin, f"amends unknown program {program_id!r}")
                continue
            with self.acting_as(plugin):
                try:
                    amended = amend(programs[program_id])
                    if not isinstance(amended, Program) or amended.id != program_id:
                        raise PluginError(
                            plugin,
                            f"amendment of {program_id!r} must return the Program {program_id!r}",
                        )
                    problems = validate_program(amended, self.partial())
                    if problems:
                        raise PluginError(
                            plugin,
                            f"amended program {program_id!r} is invalid: " + "; ".join(problems),
                        )
                except KeyboardInterrupt:
                    raise
                except PluginError as exc:
                    self.fail(plugin, exc.reason)
                    continue
                except BaseException as exc:
                    self.fail(
                        plugin, f"amendment of {program_id!r} raised {type(exc).__name__}: {exc}"
                    )
                    continue
            programs[program_id] = evolve(amended, plugin=programs[program_id].plugin)

    def partial(self) -> Registry:
        """The registry as it stands (for validating programs against it)."""
        tables = self.tables
        return Registry(
            programs=tables["program"],
            frameworks=tables["framework"],
            rubrics=tables["rubric"],
            facts=tables["fact"],
            metrics=tables["metric"],
            checks=tables["check"],
            criteria=tables["criterion"],
            conflicts=tuple(self.conflicts),
        )

    def validate(self) -> None:
        """Drop every program whose references do not resolve, reported against its plug-in."""
        programs = self.tables["program"]
        current = self.partial()
        for program_id, program in list(programs.items()):
            problems = validate_program(program, current)
            if not problems:
                continue
            del programs[program_id]
            # The plug-in no longer contributes it: keep its listing true.
            self.owners.pop(f"program:{program_id}", None)
            made = self.contributions.get(program.plugin, [])
            if f"program {program_id}" in made:
                made.remove(f"program {program_id}")
            reason = f"program {program_id!r} is invalid: " + "; ".join(problems)
            if self.strict:
                raise PluginError(program.plugin, reason)
            self.failures.append(
                PluginFailure(program.plugin, reason, *self.meta.get(program.plugin, (None, None)))
            )

    def finish(self) -> Registry:
        """The frozen registry, every plug-in that did not break listed with its contributions."""
        plugins = tuple(
            PluginInfo(name, *self.meta.get(name, (None, None)), tuple(self.contributions[name]))
            for name in self.order
            if name not in self.broken
        )
        tables = self.tables
        return Registry(
            programs=tables["program"],
            frameworks=tables["framework"],
            rubrics=tables["rubric"],
            facts=tables["fact"],
            metrics=tables["metric"],
            checks=tables["check"],
            criteria=tables["criterion"],
            plugins=plugins,
            failures=tuple(self.failures),
            conflicts=tuple(self.conflicts),
            warnings=tuple(self.warnings),
            owners=self.owners,
        )


class _StandIn:
    """The object pluggy registers for a plug-in: its guarded hook implementations."""

    def __init__(self, name: str) -> None:
        self.__name__ = name

    def __repr__(self) -> str:
        return f"<plug-in {self.__name__!r}>"


def load(
    plugins: Iterable[object] | Mapping[str, object],
    entry_points: bool,
    only: Iterable[str] | None,
    strict: bool,
) -> Registry:
    """One registry load (what :func:`mentorcore.registry.load_registry` runs)."""
    loader = _Loader(strict)
    with loader.watch, contextlib.redirect_stdout(sys.stderr):
        loader.register(loader.candidates(plugins, entry_points, only))
        loader.call_hooks()
        loader.settle()
        loader.amend()
        loader.validate()
    return loader.finish()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
