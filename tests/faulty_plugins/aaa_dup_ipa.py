"""A plug-in that claims the program id ``ipa``, which the IPA plug-in owns.

Its entry-point name sorts before ``ipa``: under the old registry it took
over every ``ipa`` command. Now the id is in conflict and neither is served.
"""

from __future__ import annotations

from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.plugin import Program, hookimpl


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute a second ``ipa``."""
    register(program("ipa"))
