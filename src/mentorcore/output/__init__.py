"""Results as plain data and as JSON Schema: one converter, schemas from the same types.

* :func:`to_data` turns any result (a :class:`~mentorcore.rules.eligibility.Decision`,
  a :class:`~mentorcore.rules.pricing.Quote`, an
  :class:`~mentorcore.checking.EngagementCheck`, a
  :class:`~mentorcore.reports.Report`, a
  :class:`~mentorcore.matching.engine.MatchResult`, an
  :class:`~mentorcore.assessing.AssessmentReading`, a
  :class:`~mentorcore.listing.ProgramListing`, a
  :class:`~mentorcore.programs.Program`, or a list of them) into the
  JSON-ready data the command line's ``--json`` and ``--jsonl`` print;
  :func:`to_json` dumps it.
* :func:`json_schema` gives the JSON Schema (draft 2020-12) of a result
  type's data; :func:`command_schema` that of a command's ``--json``
  output (what ``mentorcore schema COMMAND`` prints).

The rules for each value's JSON type are in :mod:`mentorcore.output.data`
and on the docs' formats page.
"""

from __future__ import annotations

from mentorcore.output.data import converter, to_data, to_json
from mentorcore.output.schema import command_results, command_schema, json_schema

__all__ = [
    "command_results",
    "command_schema",
    "converter",
    "json_schema",
    "to_data",
    "to_json",
]
