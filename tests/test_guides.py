"""The how-to guides and the coordinator's tutorial print what they say.

Every command of these pages runs, in a fresh folder, as a reader would
type it (see :mod:`console_examples`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from console_examples import ROOT, run_page

PAGES = [*sorted((ROOT / "docs" / "howto").glob("*.md")), ROOT / "docs" / "coordinator.md"]
GUIDES = [p for p in PAGES if p.name != "index.md"]


@pytest.mark.parametrize("page", GUIDES, ids=[p.stem for p in GUIDES])
def test_every_command_of_the_page_prints_what_it_shows(page: Path, tmp_path: Path) -> None:
    assert run_page(page, tmp_path) >= 2


def test_there_is_a_guide_for_each_question_of_a_year() -> None:
    assert {p.stem for p in GUIDES} >= {
        "eligibility-from-a-spreadsheet",
        "engagements-at-risk",
        "amend-ipa",
        "match-and-rematch",
        "plugin-without-python",
        "coordinator",
    }
