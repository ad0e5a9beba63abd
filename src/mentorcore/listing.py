"""The installed programs and plug-ins, as one result (what ``mentorcore programs`` shows)."""

from __future__ import annotations

from attrs import frozen

from mentorcore.registry import Conflict, PluginFailure, PluginInfo, Registry

__all__ = ["ProgramEntry", "ProgramListing", "program_listing"]


@frozen(kw_only=True)
class ProgramEntry:
    """One installed program: its id, title, organization, plug-in and kinds of engagement."""

    id: str
    title: str
    organization: str
    plugin: str
    kinds: tuple[str, ...]


@frozen(kw_only=True)
class ProgramListing:
    """Every installed program (by id), every plug-in loaded, and every failure.

    ``conflicts`` are the ids two plug-ins claim (served by neither);
    ``warnings`` what else loading noticed (an unknown name in ``MENTORCORE_PLUGINS``).
    """

    programs: tuple[ProgramEntry, ...]
    plugins: tuple[PluginInfo, ...]
    failures: tuple[PluginFailure, ...]
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()


def program_listing(registry: Registry) -> ProgramListing:
    """The listing of ``registry``: programs sorted by id, plug-ins in load order."""
    return ProgramListing(
        programs=tuple(
            ProgramEntry(
                id=program.id,
                title=program.title,
                organization=program.organization,
                plugin=program.plugin,
                kinds=tuple(kind.id for kind in program.kinds),
            )
            for program in sorted(registry.programs.values(), key=lambda p: p.id)
        ),
        plugins=tuple(registry.plugins),
        failures=tuple(registry.failures),
        conflicts=tuple(registry.conflicts),
        warnings=tuple(registry.warnings),
    )
