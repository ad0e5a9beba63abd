"""1EdTech CASE JSON: frameworks export as CFPackages and read back equal."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorcore.errors import InputError
from mentorcore.frameworks import DEFAULT_SCALE, Descriptor, Framework, Item, Level, Rubric
from mentorcore.hookspecs import hookimpl
from mentorcore.io.case import (
    framework_from_case,
    framework_to_case,
    program_to_case,
    rubrics_from_case,
)
from mentorcore.programs import Program
from mentorcore.provenance import Source
from mentorcore.registry import load_registry

COMPETENCIES = Framework(
    id="demo.competencies",
    title="Demo competencies",
    description="Two competencies with standards.",
    version="2024",
    source=Source(title="A demo source", url="https://example.org/demo", quote="Competency 1"),
    items=(
        Item(
            code="C1",
            kind="competency",
            title="Expectations",
            text="The mentor interprets expectations.",
            children=(
                Item(code="C1.S1", kind="standard", title="Standard 1", text="Identify."),
                Item(code="C1.S2", kind="standard", title="Standard 2", text="Connect."),
            ),
        ),
        Item(
            code="C2",
            kind="competency",
            title="Plan",
            children=(Item(code="C2.S1", kind="standard", text="Design the plan."),),
        ),
    ),
)

STAGES = Rubric(
    id="demo.stages",
    title="Demo stages",
    framework="demo.competencies",
    noun="stage",
    levels=(
        Level(id="aware", title="Aware", group="Preparation"),
        Level(id="started", title="Started", group="Progress"),
        Level(id="better", title="Better", group="Progress"),
    ),
    descriptors=(
        Descriptor(item="C1.S1", level="aware", text="Reads about it."),
        Descriptor(item="C1.S1", level="started", text="Tries it."),
        Descriptor(item="C1.S1", level="better", text="Does it well.", note="relabelled"),
        Descriptor(item="C2.S1", level="started", text="Drafts a plan."),
    ),
    source=Source(title="A demo source", quote="Stages"),
)

SHARED = Framework(
    id="shared.standards",
    title="Shared standards",
    items=(Item(code="S1", text="One"), Item(code="S2", text="Two")),
)


def _roundtrip(framework: Framework) -> Framework:
    text = json.dumps(framework_to_case(framework))
    return framework_from_case(json.loads(text))


def test_a_framework_reads_back_equal_after_export_as_case_json() -> None:
    assert _roundtrip(COMPETENCIES) == COMPETENCIES
    assert _roundtrip(SHARED) == SHARED


def test_an_item_without_text_keeps_an_empty_text_but_a_full_statement_in_case() -> None:
    package = framework_to_case(COMPETENCIES)
    plan = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "C2")
    assert plan["fullStatement"] == "Plan"
    assert _roundtrip(COMPETENCIES).item("C2").text == ""


def test_the_package_has_a_document_items_and_is_child_of_associations() -> None:
    package = framework_to_case(COMPETENCIES)
    assert set(package) == {"CFDocument", "CFItems", "CFAssociations"}
    document = package["CFDocument"]
    assert document["title"] == "Demo competencies"
    assert document["officialSourceURL"] == "https://example.org/demo"
    assert document["creator"] == "A demo source"
    assert [i["humanCodingScheme"] for i in package["CFItems"]] == list(COMPETENCIES.codes)
    assert {i["CFItemType"] for i in package["CFItems"]} == {"competency", "standard"}
    associations = package["CFAssociations"]
    assert len(associations) == len(COMPETENCIES.codes)
    assert {a["associationType"] for a in associations} == {"isChildOf"}
    by_code = {i["identifier"]: i["humanCodingScheme"] for i in package["CFItems"]}
    tops = [
        a for a in associations if a["destinationNodeURI"]["identifier"] == document["identifier"]
    ]
    assert [(by_code[a["originNodeURI"]["identifier"]], a["sequenceNumber"]) for a in tops] == [
        ("C1", 1),
        ("C2", 1 + 1),
    ]
    for entity in (document, *package["CFItems"], *associations):
        assert entity["lastChangeDateTime"]
        assert entity["uri"] == f"urn:uuid:{entity['identifier']}"
        uuid.UUID(entity["identifier"])


def test_export_is_stable_and_identifiers_differ_between_frameworks() -> None:
    assert framework_to_case(COMPETENCIES) == framework_to_case(COMPETENCIES)
    a = framework_to_case(COMPETENCIES)["CFDocument"]["identifier"]
    b = framework_to_case(SHARED)["CFDocument"]["identifier"]
    assert a != b
    items = [i["identifier"] for i in framework_to_case(COMPETENCIES)["CFItems"]]
    assert len(set(items)) == len(items)


def test_a_base_uri_and_a_change_time_may_be_given() -> None:
    package = framework_to_case(
        SHARED, base_uri="https://case.example.org/uri/", last_change="2024-05-01T00:00:00+00:00"
    )
    document = package["CFDocument"]
    assert document["uri"] == f"https://case.example.org/uri/{document['identifier']}"
    assert document["lastChangeDateTime"] == "2024-05-01T00:00:00+00:00"


def test_a_package_from_another_tool_without_the_extension_still_imports() -> None:
    package = framework_to_case(COMPETENCIES)
    del package["CFDocument"]["extensions"]
    for item in package["CFItems"]:
        item.pop("extensions", None)
    package["CFAssociations"].reverse()  # order comes from sequenceNumber
    framework = framework_from_case(package)
    assert framework.id == "demo_competencies"
    assert framework.codes == COMPETENCIES.codes
    assert framework.item("C2").text == "Plan"  # the fullStatement, as CASE gives it
    assert framework.source == Source(
        title="A demo source", url="https://example.org/demo", note="Competency 1"
    )


def test_a_package_wrapped_in_cfpackage_reads_too() -> None:
    assert framework_from_case({"CFPackage": framework_to_case(SHARED)}) == SHARED


def _broken(change: Any) -> dict[str, Any]:
    package = copy.deepcopy(framework_to_case(COMPETENCIES))
    change(package)
    return package


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda p: p.pop("CFDocument"), "CFDocument"),
        (lambda p: p["CFDocument"].pop("title"), "CFDocument.title"),
        (lambda p: p["CFItems"][1].pop("fullStatement"), "CFItems[1].fullStatement"),
        (
            lambda p: p["CFItems"][2].update(humanCodingScheme="C1.S1"),
            "CFItems[2].humanCodingScheme",
        ),
        (
            lambda p: p["CFItems"][0].update(abbreviatedStatement=3),
            "CFItems[0].abbreviatedStatement",
        ),
        (lambda p: p.update(CFItems={}), "CFItems"),
        (
            lambda p: p["CFAssociations"][0]["originNodeURI"].update(identifier="nope"),
            "CFAssociations[0].originNodeURI.identifier",
        ),
        (
            lambda p: p["CFAssociations"][1]["destinationNodeURI"].update(identifier="nope"),
            "CFAssociations[1].destinationNodeURI.identifier",
        ),
        (
            lambda p: p["CFAssociations"][1].update(sequenceNumber="first"),
            "CFAssociations[1].sequenceNumber",
        ),
    ],
)
def test_a_faulty_package_is_an_input_error_naming_the_file_and_path(
    change: Any, path: str
) -> None:
    with pytest.raises(InputError) as caught:
        framework_from_case(_broken(change), file="demo.case.json")
    assert caught.value.file == "demo.case.json"
    assert caught.value.path == path
    assert str(caught.value).startswith(f"demo.case.json: {path}")


def test_items_whose_parents_form_a_cycle_are_refused() -> None:
    def cycle(package: dict[str, Any]) -> None:
        items = {i["humanCodingScheme"]: i for i in package["CFItems"]}
        for association in package["CFAssociations"]:
            if association["originNodeURI"]["identifier"] == items["C1"]["identifier"]:
                association["destinationNodeURI"] = {
                    "title": "C1.S1",
                    "identifier": items["C1.S1"]["identifier"],
                    "uri": items["C1.S1"]["uri"],
                }

    with pytest.raises(InputError, match="cycle"):
        framework_from_case(_broken(cycle))


def test_something_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InputError, match="a CASE CFPackage object"):
        framework_from_case([1, 2], file="x.json")


def test_a_rubric_travels_as_cfrubrics_and_reads_back_equal() -> None:
    package = framework_to_case(COMPETENCIES, rubrics=[STAGES])
    (rubric,) = package["CFRubrics"]
    criteria = rubric["CFRubricCriteria"]
    assert [c["category"] for c in criteria] == ["Standard 1", "C2.S1"]
    assert [lv["quality"] for lv in criteria[0]["CFRubricCriterionLevels"]] == [
        "Aware",
        "Started",
        "Better",
    ]
    assert [lv["position"] for lv in criteria[1]["CFRubricCriterionLevels"]] == [2]
    items = {i["identifier"]: i["humanCodingScheme"] for i in package["CFItems"]}
    assert items[criteria[0]["CFItemURI"]["identifier"]] == "C1.S1"
    again = json.loads(json.dumps(package))
    assert rubrics_from_case(again) == (STAGES,)
    assert framework_from_case(again) == COMPETENCIES


def test_a_foreign_rubric_takes_its_levels_from_the_qualities() -> None:
    package = framework_to_case(COMPETENCIES, rubrics=[STAGES])
    del package["CFRubrics"][0]["extensions"]
    (rubric,) = rubrics_from_case(package)
    assert [(lv.id, lv.title) for lv in rubric.levels] == [
        ("aware", "Aware"),
        ("started", "Started"),
        ("better", "Better"),
    ]
    assert rubric.descriptor("C2.S1", "started") == Descriptor(
        item="C2.S1", level="started", text="Drafts a plan."
    )


def test_a_rubric_level_without_a_position_is_an_input_error() -> None:
    package = framework_to_case(COMPETENCIES, rubrics=[STAGES])
    del package["CFRubrics"][0]["CFRubricCriteria"][1]["CFRubricCriterionLevels"][0]["position"]
    with pytest.raises(InputError) as caught:
        rubrics_from_case(package, file="r.json")
    assert caught.value.path == (
        "CFRubrics[0].CFRubricCriteria[1].CFRubricCriterionLevels[0].position"
    )


class _Plugin:
    @hookimpl
    def register_frameworks(self, register: Any) -> None:
        register(SHARED)

    @hookimpl
    def register_programs(self, register: Any) -> None:
        register(
            Program(
                id="demo",
                title="Demo",
                organization="Demo organization",
                frameworks=(COMPETENCIES,),
                rubrics=(STAGES,),
                uses=("shared.standards", DEFAULT_SCALE.id),
                last_changed=dt.date(2024, 5, 1),
            )
        )


def test_a_program_exports_its_own_and_its_shared_frameworks_one_package_each() -> None:
    registry = load_registry({"demo": _Plugin()}, entry_points=False, strict=True)
    exported = program_to_case(registry.program("demo"), registry)
    assert exported["program"] == "demo"
    titles = [p["CFDocument"]["title"] for p in exported["CFPackages"]]
    assert titles == ["Demo competencies", "Shared standards"]  # the rating scale is skipped
    again = json.loads(json.dumps(exported))
    assert [framework_from_case(p) for p in again["CFPackages"]] == [COMPETENCIES, SHARED]
    assert [rubrics_from_case(p) for p in again["CFPackages"]] == [(STAGES,), ()]


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


@st.composite
def _frameworks(draw: st.DrawFn) -> Framework:
    codes = iter(
        draw(
            st.lists(
                st.text(min_size=1, max_size=6).filter(str.strip),
                min_size=12,
                max_size=12,
                unique=True,
            )
        )
    )

    def items(depth: int) -> tuple[Item, ...]:
        count = draw(st.integers(0, 3 if depth < 2 else 0))
        return tuple(
            Item(
                code=next(codes),
                title=draw(_TEXT),
                text=draw(_TEXT),
                kind=draw(st.sampled_from(["", "competency", "standard"])),
                children=items(depth + 1),
            )
            for _ in range(count)
        )

    source = draw(
        st.none()
        | st.builds(
            Source,
            title=_TEXT,
            url=st.none() | _TEXT,
            quote=st.none() | _TEXT,
            note=st.none() | _TEXT,
            default=st.booleans(),
        )
    )
    return Framework(
        id=draw(st.text(min_size=1, max_size=10).filter(str.strip)),
        title=draw(_TEXT),
        description=draw(_TEXT),
        version=draw(_TEXT),
        source=source,
        items=items(0),
    )


@settings(max_examples=150, deadline=None)
@given(_frameworks())
def test_any_framework_round_trips_through_case_json(framework: Framework) -> None:
    text = json.dumps(framework_to_case(framework))
    assert framework_from_case(json.loads(text)) == framework
