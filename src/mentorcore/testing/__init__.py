"""The plug-in author's kit: a conformance check and scenario files that run as tests.

The kit is a pytest plug-in (entry point ``mentorcore`` in the group
``pytest11``, module :mod:`mentorcore.testing.plugin`), active wherever
mentorcore is installed and harmless where there is nothing for it: it only
collects files named ``scenario_*.toml`` or ``*.scenario.toml``. Disable it
with ``-p no:mentorcore``.

In Python::

    from mentorcore import load_registry
    from mentorcore.testing import assert_conformant

    def test_the_program_conforms():
        assert_conformant(load_registry([my_plugin], entry_points=False), "my_program")

See :mod:`mentorcore.testing.scenarios` for the scenario file format and
:mod:`mentorcore.testing.conformance` for what conformance means.
"""

from mentorcore.testing.conformance import (
    ConformanceError,
    assert_conformant,
    conformance_problems,
    unexplained,
)
from mentorcore.testing.scenarios import (
    Expect,
    Scenario,
    ScenarioFile,
    is_scenario_file,
    load_scenario_file,
    registry_for,
    run_scenario,
)

__all__ = [
    "ConformanceError",
    "Expect",
    "Scenario",
    "ScenarioFile",
    "assert_conformant",
    "conformance_problems",
    "is_scenario_file",
    "load_scenario_file",
    "registry_for",
    "run_scenario",
    "unexplained",
]
