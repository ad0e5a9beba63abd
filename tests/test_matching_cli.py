"""``mentorcore match``: files in, assignments out, sensitive attributes kept from non-staff."""

from __future__ import annotations

import importlib.util
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mentorcore.cli.main import main
from mentorcore.hookspecs import hookimpl
from mentorcore.programs import CriterionWeight, MatchSettings, Program
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.conditions import condition_from_data
from mentorcore.rules.eligibility import EligibilityRule, Outcome

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "matching"

PEOPLE = """
[[leaders]]
id = "lena"
name = "Lena Ruiz"
role = "principal"
role_started = 2024-07-01
school = { name = "Lincoln Elementary", state = "IL", sector = "public", level = "elementary" }
location = { latitude = 41.88, longitude = -87.63 }
goals = ["assessment"]
gender = "woman"
prefer_same = ["gender"]

[[leaders]]
id = "far"
name = "Farid Amin"
role = "principal"
role_started = 2024-07-01
location = { latitude = 37.73, longitude = -89.22 }

[[mentors]]
id = "near"
name = "Noel Grant"
role = "principal"
credentials = ["principal_license"]
location = { latitude = 41.90, longitude = -87.65 }
gender = "man"
capacity = 1

[[mentors]]
id = "alike"
name = "Alma Stone"
role = "principal"
credentials = ["principal_license"]
location = { latitude = 41.95, longitude = -87.70 }
expertise = ["assessment"]
gender = "woman"
capacity = 2
"""

CSV = (
    "kind,id,name,role,role_started,latitude,longitude,goals,gender,prefer_same,"
    "credentials,capacity,expertise\n"
    "leader,lena,Lena Ruiz,principal,2024-07-01,41.88,-87.63,assessment,woman,gender,,,\n"
    "leader,far,Farid Amin,principal,2024-07-01,37.73,-89.22,,,,,,\n"
    "mentor,near,Noel Grant,principal,,41.90,-87.65,,man,,principal_license,1,\n"
    "mentor,alike,Alma Stone,principal,,41.95,-87.70,,woman,,principal_license,2,assessment\n"
)


def _program() -> Program:
    rule = EligibilityRule(
        id="licensed",
        title="Licensed",
        subject="mentor",
        outcomes=(
            Outcome(
                id="yes",
                title="Qualified",
                eligible=True,
                when=condition_from_data(
                    {
                        "fact": "credentials",
                        "contains": "principal_license",
                        "says": "holds a licence",
                    }
                ),
            ),
            Outcome(id="no", title="Not qualified", eligible=False),
        ),
    )
    weights = {"distance": 1.0, "goals": 1.0, "gender": 1.0}
    return Program(
        id="pairing",
        title="Pairing test program",
        organization="Test",
        eligibility=(rule,),
        matching=MatchSettings(
            criteria=tuple(CriterionWeight(criterion=k, weight=w) for k, w in weights.items()),
            mentor_rule="licensed",
            max_distance_km=100.0,
        ),
    )


class _Plugin:
    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        register(_program())


@pytest.fixture
def match_registry() -> Registry:
    """A registry with the test program, handed to ``main(argv, registry=...)``."""
    return load_registry([_Plugin()], entry_points=False, strict=True)


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.toml"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


def _run(
    capsys: pytest.CaptureFixture[str], *argv: str, registry: Registry | None = None
) -> tuple[int, str, str]:
    status = main(list(argv), registry=registry)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_json_output_has_the_documented_keys(
    match_registry: Registry, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(people),
        "--mentors",
        str(people),
        "--json",
        registry=match_registry,
    )
    assert status == 0
    data = json.loads(out)
    assert {"assignments", "unmatched", "total_score", "loads"} <= set(data)
    [assignment] = data["assignments"]
    assert {"leader", "mentor", "score", "reasons"} <= set(assignment)
    assert (assignment["leader"], assignment["mentor"]) == ("lena", "alike")
    assert {r["criterion"] for r in assignment["reasons"]} == {"distance", "goals"}
    [unmatched] = data["unmatched"]
    assert unmatched["leader"] == "far"
    assert unmatched["reason"].startswith("no feasible mentor")
    assert {(load["mentor"], load["load"], load["capacity"]) for load in data["loads"]} == {
        ("near", 0, 1),
        ("alike", 1, 2),
    }
    assert data["total_score"] == pytest.approx(assignment["score"])


def test_default_output_never_shows_gender_but_program_staff_see_it(
    match_registry: Registry, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["match", "pairing", "--leaders", str(people), "--mentors", str(people)]
    for extra in ([], ["--json"], ["--audience", "sponsor", "--json"]):
        status, out, _ = _run(capsys, *base, *extra, registry=match_registry)
        assert status == 0
        assert "gender" not in out.lower() and "woman" not in out.lower()
    status, out, _ = _run(capsys, *base, "--audience", "program", registry=match_registry)
    assert status == 0
    assert "gender: same gender, as the leader asked" in out


def test_text_output_lists_assignments_unmatched_leaders_and_loads(
    match_registry: Registry, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(people),
        "--mentors",
        str(people),
        registry=match_registry,
    )
    assert status == 0
    assert "1 of 2 leaders matched" in out
    assert "Lena Ruiz (lena) -> Alma Stone (alike): score" in out
    assert (
        "Farid Amin (far): no feasible mentor among 2: farther than 100 km for on-site work: 2"
        in out
    )
    assert "Alma Stone (alike)  1     2         lena" in out


def test_a_csv_cohort_matches_like_the_toml_one(
    match_registry: Registry, people: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = tmp_path / "cohort.csv"
    csv_path.write_text(CSV, encoding="utf-8")
    _, from_toml, _ = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(people),
        "--mentors",
        str(people),
        "--json",
        registry=match_registry,
    )
    status, from_csv, _ = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(csv_path),
        "--mentors",
        str(csv_path),
        "--json",
        registry=match_registry,
    )
    assert status == 0
    assert json.loads(from_csv) == json.loads(from_toml)


def test_weights_pins_and_exclusions_from_the_command_line(
    match_registry: Registry, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["match", "pairing", "--leaders", str(people), "--mentors", str(people), "--json"]
    _, out, _ = _run(
        capsys, *base, "--weights", "goals=0,gender=0,distance=2", registry=match_registry
    )
    data = json.loads(out)
    assert data["weights"] == {"distance": 2.0}
    assert data["assignments"][0]["mentor"] == "near"
    _, out, _ = _run(capsys, *base, "--exclude", "lena:alike", registry=match_registry)
    assert json.loads(out)["assignments"][0]["mentor"] == "near"
    _, out, _ = _run(capsys, *base, "--pin", "lena:near", registry=match_registry)
    assert json.loads(out)["assignments"][0]["pinned"] is True
    _, out, _ = _run(capsys, *base, "--max-distance", "500", registry=match_registry)
    assert len(json.loads(out)["assignments"]) == 2


def test_an_unknown_weight_name_is_a_clear_error_listing_the_known_ones(
    match_registry: Registry, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(people),
        "--mentors",
        str(people),
        "--weights",
        "goal=2",
        registry=match_registry,
    )
    assert status == 2
    assert out == ""
    assert err.startswith(
        "mentorcore: error: unknown matching criterion (weight name) 'goal'; known: "
    )
    assert "goals" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--pin", "nobody:near"], "unknown leader (in pin) 'nobody'"),
        (["--exclude", "lena"], "--exclude: found 'lena', expected LEADER_ID:MENTOR_ID"),
        (["--weights", "goals"], "--weights: found 'goals', expected NAME=NUMBER"),
    ],
)
def test_bad_options_are_clear_errors(
    match_registry: Registry,
    people: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    status, _, err = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(people),
        "--mentors",
        str(people),
        *extra,
        registry=match_registry,
    )
    assert status == 2
    assert message in err


def test_a_missing_people_file_is_a_clear_error(
    match_registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nope.toml")
    status, _, err = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        missing,
        "--mentors",
        missing,
        registry=match_registry,
    )
    assert status == 2
    assert "nope.toml: no such file" in err


def test_a_people_file_without_mentors_is_a_clear_error(
    match_registry: Registry, people: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    only_leaders = tmp_path / "leaders.toml"
    only_leaders.write_text(PEOPLE.split("[[mentors]]")[0], encoding="utf-8")
    status, _, err = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(people),
        "--mentors",
        str(only_leaders),
        registry=match_registry,
    )
    assert status == 2
    assert "no mentors to match leaders with" in err


@pytest.mark.skipif(
    importlib.util.find_spec("mentorcore_ipa") is None, reason="IPA plug-in not installed"
)
def test_the_example_ipa_cohort_matches_as_its_readme_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for leaders, mentors in (
        ("leaders.toml", "mentors.toml"),
        ("cohort.csv", "cohort.csv"),
    ):
        status, out, _ = _run(
            capsys,
            "match",
            "ipa",
            "--leaders",
            str(EXAMPLES / leaders),
            "--mentors",
            str(EXAMPLES / mentors),
            "--on",
            "2024-08-01",
            "--json",
        )
        assert status == 0
        data = json.loads(out)
        matched = {a["leader"]: a["mentor"] for a in data["assignments"]}
        assert len(matched) == 12
        assert matched["luis"] != "rosa" and matched["priya"] != "helen"
        unmatched = {u["leader"]: u["code"] for u in data["unmatched"]}
        assert unmatched["hannah"] == "no_feasible_mentor"
        assert list(unmatched.values()).count("feasible_mentors_full") == 1
        assert [m["mentor"] for m in data["excluded_mentors"]] == ["greg"]
        for word in ('"race"', '"gender"', "woman", "black", "hispanic", "asked"):
            assert word not in out.lower(), word


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_once_matching_takes_over_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mentorcore.cli import match as match_command

    assert match_command._progress(io.StringIO()) is None  # not a terminal: silent
    clock = iter([100.0, 100.5, 102.0, 103.0])
    monkeypatch.setattr(match_command.time, "monotonic", lambda: next(clock))
    stream = _Terminal()
    report = match_command._progress(stream)
    assert report is not None
    report(10, 40)  # half a second in: nothing yet
    assert stream.getvalue() == ""
    report(20, 40)
    report(40, 40)
    assert stream.getvalue() == "\rmatching: 20/40 leaders solved\rmatching: 40/40 leaders solved\n"


def test_objective_and_min_score_from_the_command_line(
    match_registry: Registry, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("match", "pairing", "--leaders", str(people), "--mentors", str(people), "--json")
    status, out, _ = _run(capsys, *base, registry=match_registry)
    assert status == 0
    assert json.loads(out)["objective"] == "participation"
    status, out, _ = _run(capsys, *base, "--objective", "score", registry=match_registry)
    assert status == 0
    assert json.loads(out)["objective"] == "score"
    status, out, _ = _run(capsys, *base, "--min-score", "1000", registry=match_registry)
    assert status == 0
    data = json.loads(out)
    assert data["assignments"] == []
    assert data["min_score"] == 1000
    assert {u["code"] for u in data["unmatched"]} <= {"below_min_score", "no_feasible_mentor"}
    assert "below_min_score" in {u["code"] for u in data["unmatched"]}
    status, _, err = _run(capsys, *base, "--min-score", "-1", registry=match_registry)
    assert status == 2
    assert "min_score" in err
    assert "Traceback" not in err


def test_suggest_lists_the_best_feasible_mentors_for_one_leader(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [
        "suggest",
        "ipa",
        "--leader",
        "sam",
        "--leaders",
        str(EXAMPLES / "leaders.toml"),
        "--mentors",
        str(EXAMPLES / "mentors.toml"),
        "--on",
        "2024-08-01",
        "--top",
        "3",
    ]
    status, out, _ = _run(capsys, *argv, "--json")
    assert status == 0
    data = json.loads(out)
    assert data["leader"] == "sam"
    assert [s["mentor"] for s in data["suggestions"]] == ["walt", "june"]
    for suggestion in data["suggestions"]:
        assert set(suggestion) == {"mentor", "score", "reasons", "load", "capacity"}
    assert data["infeasible"]["mentor_rule"] == 1
    assert data["infeasible"]["distance"] == 4
    assert "gender" not in out and "race" not in out
    status, out, _ = _run(capsys, *argv)
    assert status == 0
    assert "1. Walt Jensen (walt): score" in out
    assert "mentor_rule" in out


def test_suggest_ranks_by_the_score_each_audience_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], match_registry: Registry
) -> None:
    # Without expertise, Alma is only farther than Noel, and shares Lena's gender.
    path = tmp_path / "people.toml"
    path.write_text(PEOPLE.replace('expertise = ["assessment"]\n', ""), encoding="utf-8")
    base = ["suggest", "pairing", "--leader", "lena", "--leaders", str(path), "--mentors"]
    orders = {}
    for audience in ("pair", "sponsor", "program"):
        status, out, _ = _run(
            capsys, *base, str(path), "--audience", audience, "--json", registry=match_registry
        )
        assert status == 0
        data = json.loads(out)
        scores = [(s["mentor"], s["score"]) for s in data["suggestions"]]
        assert [score for _, score in scores] == sorted(
            (score for _, score in scores), reverse=True
        )
        orders[audience] = [mentor for mentor, _ in scores]
        if audience != "program":
            assert "gender" not in out.lower() and "woman" not in out.lower()
    assert orders == {
        "pair": ["near", "alike"],
        "sponsor": ["near", "alike"],
        "program": ["alike", "near"],
    }
    status, out, _ = _run(capsys, *base, str(path), registry=match_registry)
    assert status == 0
    assert out.index("1. Noel Grant (near)") < out.index("2. Alma Stone (alike)")


def test_match_keeps_and_declines_from_the_example_pairs_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(EXAMPLES / "leaders.toml"),
        "--mentors",
        str(EXAMPLES / "mentors.toml"),
        "--on",
        "2024-08-01",
        "--pairs",
        str(EXAMPLES / "pairs.csv"),
        "--json",
    )
    assert status == 0
    data = json.loads(out)
    matched = {a["leader"]: (a["mentor"], a["kept"]) for a in data["assignments"]}
    assert matched["amara"] == ("marcus", True)
    assert matched["tom"] == ("marcus", True)
    assert matched["jada"] == ("june", True)
    assert matched["omar"][0] != "marcus"
    assert data["broken_keeps"] == []


def test_match_explains_what_each_constraint_costs_on_the_example_cohort(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(EXAMPLES / "leaders.toml"),
        "--mentors",
        str(EXAMPLES / "mentors.toml"),
        "--on",
        "2024-08-01",
        "--explain-constraints",
        "--json",
    )
    assert status == 0
    data = json.loads(out)
    bounds = {c["bound"]: c for c in data["constraints"]}
    assert set(bounds) == {"distance", "mentor_rule", "same_school", "supervisor"}
    assert (bounds["distance"]["setting"], bounds["distance"]["relaxed_to"]) == ("150 km", "200 km")
    blocking = {u["leader"]: u["blocking"] for u in data["unmatched"]}
    assert blocking["sam"]["reason"].startswith("2 mentors within 150 km are full; ")
    assert blocking["hannah"]["bound"] is None


def test_a_huge_capacity_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], match_registry: Registry
) -> None:
    path = tmp_path / "people.toml"
    path.write_text(PEOPLE.replace("capacity = 2", "capacity = 5000000000"), encoding="utf-8")
    for command in (
        ["match", "pairing", "--leaders", str(path), "--mentors", str(path)],
        ["suggest", "pairing", "--leader", "lena", "--leaders", str(path), "--mentors", str(path)],
    ):
        status, _, err = _run(capsys, *command, registry=match_registry)
        assert status == 2
        assert "capacity" in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    status, _, err = _run(
        capsys,
        "match",
        "pairing",
        "--leaders",
        str(path.with_name("people.toml")),
        "--mentors",
        str(path),
        "--weights",
        "goals=1e300",
        registry=match_registry,
    )
    assert status == 2
    assert "Traceback" not in err
