"""A bare CASE 1.1 CFPackage per framework, as a CASE server imports it.

The required fields are those of the 1EdTech CASE 1.1 information model and
its REST/JSON binding (OpenAPI ``CFPckgDocumentDType``, ``CFPckgItemDType``,
``CFPckgAssociationDType``, ``CFRubricDType`` and the link types): every
entity has ``identifier``, ``uri`` and ``lastChangeDateTime``; a document
also ``creator`` and ``title``; an item ``fullStatement``; an association
``associationType``, ``originNodeURI`` and ``destinationNodeURI``; a link
``title``, ``identifier`` and ``uri``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from mentorcore.cli.main import main
from mentorcore.errors import MentorcoreError
from mentorcore.frameworks import Framework, Item
from mentorcore.hookspecs import hookimpl
from mentorcore.io.case import (
    LAST_CHANGE,
    framework_from_case,
    item_uri,
    program_frameworks,
    program_package,
    rubrics_from_case,
)
from mentorcore.programs import Program
from mentorcore.registry import Registry, load_registry

ROOT = Path(__file__).resolve().parents[1]

DOCUMENT = {"identifier", "uri", "creator", "title", "lastChangeDateTime"}
ITEM = {"identifier", "uri", "fullStatement", "lastChangeDateTime"}
ASSOCIATION = {
    "identifier",
    "uri",
    "associationType",
    "originNodeURI",
    "destinationNodeURI",
    "lastChangeDateTime",
}
ENTITY = {"identifier", "uri", "lastChangeDateTime"}
LINK = {"title", "identifier", "uri"}
PACKAGE_KEYS = {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}


@pytest.fixture(scope="module")
def installed() -> Registry:
    return load_registry()


def _packages(registry: Registry) -> list[tuple[Program, Framework]]:
    return [
        (program, framework)
        for program in registry.programs.values()
        for framework in program_frameworks(program, registry)
    ]


def _has(entity: dict[str, Any], fields: set[str], where: str) -> None:
    missing = fields - set(entity)
    assert not missing, f"{where} lacks {sorted(missing)}"
    for name in fields:
        value = entity[name]
        assert value not in (None, ""), f"{where}.{name} is empty"


def _datetime(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    assert parsed.tzinfo is not None
    return parsed


def test_every_bundled_framework_gives_a_package_with_every_field_case_1_1_requires(
    installed: Registry,
) -> None:
    pairs = _packages(installed)
    assert {f.id for _, f in pairs} >= {"performance_mentor_competencies", "practice_12", "cpsel"}
    for program, framework in pairs:
        package = json.loads(json.dumps(program_package(program, installed, framework.id)))
        assert set(package) <= PACKAGE_KEYS
        assert {"CFDocument", "CFItems", "CFAssociations"} <= set(package)
        document = package["CFDocument"]
        _has(document, DOCUMENT, "CFDocument")
        assert document["caseVersion"] == "1.1"
        assert "CFPackageURI" not in document  # not a field of a package's document
        uuid.UUID(document["identifier"])
        for index, item in enumerate(package["CFItems"]):
            _has(item, ITEM, f"CFItems[{index}]")
            assert "CFDocumentURI" not in item
            _datetime(item["lastChangeDateTime"])
        for index, association in enumerate(package["CFAssociations"]):
            where = f"CFAssociations[{index}]"
            _has(association, ASSOCIATION, where)
            _has(association["originNodeURI"], LINK, f"{where}.originNodeURI")
            _has(association["destinationNodeURI"], LINK, f"{where}.destinationNodeURI")
        for index, rubric in enumerate(package.get("CFRubrics", [])):
            _has(rubric, ENTITY, f"CFRubrics[{index}]")
            for c_index, criterion in enumerate(rubric["CFRubricCriteria"]):
                where = f"CFRubrics[{index}].CFRubricCriteria[{c_index}]"
                _has(criterion, ENTITY, where)
                _has(criterion["CFItemURI"], LINK, f"{where}.CFItemURI")
                for l_index, level in enumerate(criterion["CFRubricCriterionLevels"]):
                    _has(level, ENTITY, f"{where}.CFRubricCriterionLevels[{l_index}]")


def test_the_change_date_is_the_plug_in_datas_never_a_placeholder(installed: Registry) -> None:
    for program, framework in _packages(installed):
        assert program.last_changed is not None, program.id
        day = framework.last_changed or program.last_changed
        package = program_package(program, installed, framework.id)
        stamps = {
            package["CFDocument"]["lastChangeDateTime"],
            *(i["lastChangeDateTime"] for i in package["CFItems"]),
            *(a["lastChangeDateTime"] for a in package["CFAssociations"]),
        }
        assert LAST_CHANGE not in stamps
        assert {_datetime(s).date() for s in stamps} == {day}


def _commit_dates(path: Path) -> set[dt.date]:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    result = subprocess.run(
        [git, "log", "--format=%cs", "--", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        pytest.skip("no git history here")
    return {dt.date.fromisoformat(line) for line in result.stdout.split()}


@pytest.mark.parametrize(
    "data",
    [
        *sorted(ROOT.glob("plugins/*/src/*/program.toml")),
        ROOT / "plugins/acsa/src/mentorcore_acsa/cpsel.toml",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_a_bundled_data_files_last_changed_is_the_date_of_a_commit_to_it(data: Path) -> None:
    import tomllib

    day = tomllib.loads(data.read_text(encoding="utf-8"))["last_changed"]
    assert isinstance(day, dt.date)
    assert day in _commit_dates(data)


def test_the_creator_is_the_organization_and_a_shared_framework_names_it_as_publisher(
    installed: Registry,
) -> None:
    for program, framework in _packages(installed):
        document = program_package(program, installed, framework.id)["CFDocument"]
        if any(f.id == framework.id for f in program.frameworks):
            assert document["creator"] == program.organization
        else:
            assert document["publisher"] == program.organization


def test_the_cli_prints_one_bare_package_that_imports_back_to_an_equal_framework(
    installed: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    for program, framework in _packages(installed):
        status = main(["export", program.id, "--format", "case", "--framework", framework.id])
        assert status == 0
        package = json.loads(capsys.readouterr().out)
        assert framework_from_case(package) == framework
        rubrics = [
            r
            for r in (*program.rubrics, *(installed.rubrics.get(u) for u in program.uses))
            if r is not None and r.framework == framework.id and r.descriptors
        ]
        assert rubrics_from_case(package) == tuple(rubrics)
        assert ("CFRubrics" in package) == bool(rubrics)


def test_practice_12s_package_carries_its_stages_as_cf_rubrics(installed: Registry) -> None:
    package = program_package(installed.program("practice12"), installed, "practice_12")
    assert package["CFRubrics"]
    assert package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]


def test_without_framework_the_bundle_stays_as_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", "ulead", "--format", "case"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert set(bundle) == {"program", "title", "CFPackages"}
    assert bundle["CFPackages"][0]["CFDocument"]["creator"] == "ULead West Georgia"


def test_an_unknown_framework_or_a_toml_export_with_framework_is_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", "ulead", "--format", "case", "--framework", "nosuch"]) == 2
    assert "performance_mentor_competencies" in capsys.readouterr().err
    assert main(["export", "ulead", "--framework", "performance_mentor_competencies"]) == 2
    assert "--format case" in capsys.readouterr().err


def test_an_items_case_uri_is_the_one_the_package_gives(installed: Registry) -> None:
    program = installed.program("ulead")
    package = program_package(program, installed, "performance_mentor_competencies")
    uris = {i["humanCodingScheme"]: i["uri"] for i in package["CFItems"]}
    assert uris["C1.S2"] == item_uri("performance_mentor_competencies", "C1.S2")


class _Undated:
    @hookimpl
    def register_programs(self, register: Any) -> None:
        register(
            Program(
                id="undated",
                title="Undated",
                organization="Somebody",
                frameworks=(Framework(id="undated.f", title="F", items=(Item(code="A"),)),),
            )
        )


def test_a_program_with_no_change_date_has_no_case_export_but_says_why() -> None:
    registry = load_registry({"undated": _Undated()}, entry_points=False, strict=True)
    with pytest.raises(MentorcoreError, match="last_changed"):
        program_package(registry.program("undated"), registry, "undated.f")


def test_a_base_uri_makes_every_uri_the_servers_and_still_imports(
    installed: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["export", "ulead", "--format", "case", "--framework", "performance_mentor_competencies"]
    assert main([*argv, "--base-uri", "https://case.example.org/uri/"]) == 0
    package = json.loads(capsys.readouterr().out)
    entities = [package["CFDocument"], *package["CFItems"], *package["CFAssociations"]]
    for entity in entities:
        assert entity["uri"] == f"https://case.example.org/uri/{entity['identifier']}"
    framework = installed.program("ulead").framework("performance_mentor_competencies")
    assert framework_from_case(package) == framework
