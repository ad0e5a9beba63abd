"""The HTTP service, against a real server: uvicorn on a free loopback port, httpx as client.

Every endpoint answers with the same data as the command's ``--json`` for
the same input; every answer validates against the OpenAPI description;
the key and audience matrix, every error status, concurrent requests and a
slow client are tried on the wire.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from mentorcore.cli.main import main
from mentorcore.io.loaders import read_data
from mentorcore.server.keys import digest_of

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
KEYS = {
    "program": "program-key-0001",
    "program-ipa": "program-ipa-key-0002",
    "sponsor": "sponsor-key-0003",
    "leader": "leader-key-0004",
    "mentor": "mentor-key-0005",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A ``mentorcore serve`` process on a loopback port."""

    def __init__(self, *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.pop("MENTORCORE_PLUGINS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mentorcore", "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read() if self.process.stderr else "")
            try:
                httpx.get(f"{self.url}/openapi.json", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start within 60 s")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


@pytest.fixture(scope="module")
def keys_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "keys.toml"
    entries = []
    for name, key in KEYS.items():
        audience = name.split("-")[0]
        programs = '\nprograms = ["ipa"]' if name == "program-ipa" else ""
        entries.append(
            f'[[keys]]\nname = "{name}"\nsha256 = "{digest_of(key)}"\n'
            f'audience = "{audience}"{programs}\n'
        )
    path.write_text("\n".join(entries))
    return path


@pytest.fixture(scope="module")
def server(keys_file: Path) -> Iterator[Server]:
    running = Server("--keys", str(keys_file), "--max-body-bytes", "2000000")
    yield running
    log = running.stop()
    for key in KEYS.values():  # keys are never logged
        assert key not in log


@pytest.fixture(scope="module")
def open_server() -> Iterator[Server]:
    running = Server()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def openapi(server: Server) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(f"{server.url}/openapi.json").json()
    return document


def _auth(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[name]}"}


def _plain(value: Any) -> Any:
    """TOML data as JSON: dates as ISO text, decimals as numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _file(path: Path) -> Any:
    return _plain(read_data(path))


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) in (0, 1)
    return json.loads(capsys.readouterr().out)


def _valid(openapi: dict[str, Any], operation: str, data: Any) -> None:
    schema = {
        "$ref": f"#/components/schemas/answer.{operation}",
        "components": openapi["components"],
    }
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)


IPA_PEOPLE = EXAMPLES / "ipa" / "people.toml"


# -- the same data as the command line ------------------------------------------------


def test_programs_and_show_equal_the_command_line(
    server: Server, openapi: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    listing = httpx.get(f"{server.url}/programs", headers=_auth("program"))
    assert listing.status_code == 200
    assert listing.json() == _cli(capsys, "programs")
    _valid(openapi, "programs", listing.json())
    shown = httpx.get(f"{server.url}/programs/ipa", headers=_auth("program"))
    assert shown.json() == _cli(capsys, "show", "ipa")
    _valid(openapi, "show", shown.json())


def test_eligibility_and_quote_equal_the_command_line(
    server: Server, openapi: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    people = _file(IPA_PEOPLE)
    decided = httpx.post(
        f"{server.url}/programs/ipa/eligibility",
        json={"on": "2023-09-15", "people": people},
        headers=_auth("program"),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json() == _cli(
        capsys, "eligibility", "ipa", str(IPA_PEOPLE), "--on", "2023-09-15"
    )
    _valid(openapi, "eligibility", decided.json())
    as_list = [{**p, "kind": "leader"} for p in people["leaders"]] + [
        {**p, "kind": "mentor"} for p in people.get("mentors", [])
    ]
    again = httpx.post(
        f"{server.url}/programs/ipa/eligibility",
        json={"on": "2023-09-15", "people": as_list},
        headers=_auth("program"),
    )
    assert again.json() == decided.json()
    quoted = httpx.post(
        f"{server.url}/programs/ipa/quote",
        json={"on": "2023-09-15", "hours": 40, "people": people},
        headers=_auth("program"),
    )
    assert quoted.status_code == 200, quoted.text
    assert quoted.json() == _cli(
        capsys, "quote", "ipa", str(IPA_PEOPLE), "--hours", "40", "--on", "2023-09-15"
    )
    _valid(openapi, "quote", quoted.json())


def test_check_and_report_equal_the_command_line(
    server: Server, openapi: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    engagement = EXAMPLES / "ipa" / "engagement-in-progress.toml"
    body = {"engagement": _file(engagement), "people": _file(IPA_PEOPLE), "as_of": "2024-06-30"}
    checked = httpx.post(f"{server.url}/engagements/check", json=body, headers=_auth("program"))
    assert checked.status_code == 200, checked.text
    assert checked.json() == _cli(
        capsys, "check", str(engagement), "--people", str(IPA_PEOPLE), "--as-of", "2024-06-30"
    )
    _valid(openapi, "check", checked.json())
    reported = httpx.post(
        f"{server.url}/engagements/report",
        json={**body, "audience": "sponsor"},
        headers=_auth("sponsor"),
    )
    assert reported.status_code == 200, reported.text
    assert reported.json() == _cli(
        capsys,
        "report",
        str(engagement),
        "--people",
        str(IPA_PEOPLE),
        "--as-of",
        "2024-06-30",
        "--audience",
        "sponsor",
    )
    _valid(openapi, "report", reported.json())


def test_match_equals_the_command_line(
    server: Server, openapi: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    leaders = EXAMPLES / "matching" / "leaders.toml"
    mentors = EXAMPLES / "matching" / "mentors.toml"
    matched = httpx.post(
        f"{server.url}/programs/ipa/match",
        json={
            "on": "2024-08-01",
            "leaders": _file(leaders),
            "mentors": _file(mentors),
            "weights": {"goals": 2},
            "audience": "program",
        },
        headers=_auth("program"),
        timeout=60,
    )
    assert matched.status_code == 200, matched.text
    assert matched.json() == _cli(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(leaders),
        "--mentors",
        str(mentors),
        "--on",
        "2024-08-01",
        "--weights",
        "goals=2",
        "--audience",
        "program",
    )
    _valid(openapi, "match", matched.json())


def test_every_answer_names_the_core_and_the_plugins(server: Server) -> None:
    from mentorcore import __version__

    for response in (
        httpx.get(f"{server.url}/programs", headers=_auth("program")),
        httpx.get(f"{server.url}/programs"),
        httpx.get(f"{server.url}/nowhere"),
        httpx.get(f"{server.url}/openapi.json"),
    ):
        assert response.headers["Mentorcore-Version"] == __version__
        plugins = response.headers["Mentorcore-Plugins"]
        assert f"mentorcore-ipa/{__version__}" in plugins
        assert "mentorcore-acsa/" in plugins


# -- keys and audiences ---------------------------------------------------------------


def test_without_a_valid_key_every_service_is_401(server: Server) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = httpx.get(f"{server.url}/programs", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert httpx.get(f"{server.url}/openapi.json").status_code == 200


@pytest.mark.parametrize(
    ("key", "audience", "status"),
    [
        ("program", "program", 200),
        ("program", "sponsor", 403),
        ("program", "leader", 403),
        ("sponsor", "sponsor", 200),
        ("sponsor", "program", 403),
        ("sponsor", "mentor", 403),
        ("leader", "leader", 200),
        ("leader", "sponsor", 200),
        ("leader", "mentor", 403),
        ("leader", "program", 403),
        ("mentor", "mentor", 200),
        ("mentor", "sponsor", 200),
        ("mentor", "leader", 403),
        ("mentor", "program", 403),
    ],
)
def test_a_key_reads_only_what_its_audience_may_see(
    server: Server, key: str, audience: str, status: int
) -> None:
    engagement = _file(EXAMPLES / "ipa" / "engagement-in-progress.toml")
    body = {"engagement": engagement, "people": _file(IPA_PEOPLE), "as_of": "2024-06-30"}
    for endpoint in ("report", "check"):
        response = httpx.post(
            f"{server.url}/engagements/{endpoint}",
            json={**body, "audience": audience},
            headers=_auth(key),
        )
        assert response.status_code == status, (endpoint, response.text)


def test_a_key_limited_to_programs_sees_only_those(server: Server) -> None:
    listing = httpx.get(f"{server.url}/programs", headers=_auth("program-ipa")).json()
    assert [p["id"] for p in listing["programs"]] == ["ipa"]
    assert httpx.get(f"{server.url}/programs/ipa", headers=_auth("program-ipa")).status_code == 200
    denied = httpx.get(f"{server.url}/programs/acsa", headers=_auth("program-ipa"))
    assert denied.status_code == 403
    assert "acsa" in denied.json()["detail"]
    engagement = _file(EXAMPLES / "acsa" / "engagement-coaching-met.toml")
    people = _file(EXAMPLES / "acsa" / "people.toml")
    checked = httpx.post(
        f"{server.url}/engagements/check",
        json={"engagement": engagement, "people": people, "as_of": "2025-06-30"},
        headers=_auth("program-ipa"),
    )
    assert checked.status_code == 403


def test_without_keys_only_loopback_is_served(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "refusing to serve 0.0.0.0 without --keys" in capsys.readouterr().err


def test_without_keys_requests_are_the_program_audience(open_server: Server) -> None:
    assert httpx.get(f"{open_server.url}/programs").status_code == 200
    engagement = _file(EXAMPLES / "ipa" / "engagement-in-progress.toml")
    body = {"engagement": engagement, "people": _file(IPA_PEOPLE), "as_of": "2024-06-30"}
    assert httpx.post(f"{open_server.url}/engagements/report", json=body).json()["audience"] == (
        "program"
    )
    leader = httpx.post(
        f"{open_server.url}/engagements/report", json={**body, "audience": "leader"}
    )
    assert leader.status_code == 403


def test_a_bad_keys_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "keys.toml"
    bad.write_text('[[keys]]\nsha256 = "abc"\naudience = "program"\n')
    assert main(["serve", "--keys", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: keys[0].sha256: found 'abc', expected the key's SHA-256 digest" in err
    bad.write_text(f'[[keys]]\nsha256 = "{digest_of("k")}"\naudience = "boss"\n')
    assert main(["serve", "--keys", str(bad)]) == 2
    assert "keys[0].audience: found 'boss', expected one of leader, mentor, sponsor, program" in (
        capsys.readouterr().err
    )
    bad.write_text(
        f'[[keys]]\nsha256 = "{digest_of("k")}"\naudience = "program"\nprograms = ["ipx"]\n'
    )
    assert main(["serve", "--keys", str(bad)]) == 2
    assert "keys[0].programs: found 'ipx', expected the id of an installed program" in (
        capsys.readouterr().err
    )


# -- errors a client can act on ---------------------------------------------------------


def test_bad_input_is_a_problem_with_a_json_pointer(server: Server) -> None:
    people = _file(IPA_PEOPLE)
    people["leaders"][2]["school"]["state"] = "Illinois"
    response = httpx.post(
        f"{server.url}/programs/ipa/eligibility",
        json={"on": "2023-09-15", "people": people},
        headers=_auth("program"),
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["path"] == "/people/leaders/2/school/state"
    assert problem["found"] == "'Illinois'"
    assert problem["expected"] == "a two-letter state code such as 'IL'"
    assert problem["detail"] == (
        "people.leaders[2].school.state: found 'Illinois', expected a two-letter state code "
        "such as 'IL'"
    )
    assert problem["status"] == 422 and problem["title"]


@pytest.mark.parametrize(
    ("body", "status", "pointer"),
    [
        (b"{not json", 400, None),
        (b"[1, 2]", 400, None),
        (b'{"people": [], "on": "2023-02-30"}', 422, "/on"),
        (b'{"people": [], "onn": "2023-09-15"}', 422, "/onn"),
        (b'{"people": [{"id": 1}]}', 422, "/people/0/id"),
        (b'{"people": "/etc/passwd"}', 422, "/people"),
        (b'{"on": "2023-09-15"}', 422, "/people"),
        (b'{"people": [], "kind": "coaching"}', 422, "/kind"),
    ],
)
def test_every_kind_of_bad_body(
    server: Server, body: bytes, status: int, pointer: str | None
) -> None:
    response = httpx.post(
        f"{server.url}/programs/ipa/eligibility",
        content=body,
        headers={**_auth("program"), "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    problem = response.json()
    assert "Traceback" not in response.text
    assert problem["detail"]
    if pointer is not None:
        assert problem["path"] == pointer


PEOPLE_EXPECTED = "a list of people, or an object with leaders and mentors"


@pytest.mark.parametrize(
    ("route", "body", "pointer", "expected"),
    [
        ("/programs/ipa/eligibility", {"on": "2023-09-15"}, "/people", PEOPLE_EXPECTED),
        ("/programs/ipa/quote", {"people": []}, "/hours", "a whole number"),
        ("/programs/ipa/quote", {"hours": 40}, "/people", PEOPLE_EXPECTED),
        ("/programs/ipa/match", {"mentors": []}, "/leaders", PEOPLE_EXPECTED),
        ("/programs/ipa/suggest", {"leaders": [], "mentors": []}, "/leader", "text"),
        (
            "/engagements/check",
            {"as_of": "2024-06-30"},
            "/engagement",
            "an engagement (an object, as in an engagement file)",
        ),
        (
            "/programs/ipa/eligibility",
            {"people": [{"id": "ada", "role": "principal", "role_started": "2023-07-01"}]},
            "/people/0/name",
            "text",
        ),
    ],
)
def test_a_missing_field_is_a_problem_saying_what_was_expected_and_that_nothing_was_found(
    server: Server, route: str, body: dict[str, Any], pointer: str, expected: str
) -> None:
    response = httpx.post(f"{server.url}{route}", json=body, headers=_auth("program"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["path"], problem["found"], problem["expected"]) == (
        pointer,
        "nothing",
        expected,
    )
    field = pointer.rsplit("/", 1)[-1]
    dotted = pointer.lstrip("/").replace("/0/", "[0].")
    assert problem["detail"] == f"{dotted}: missing required field {field!r}"


def test_an_engagement_that_names_people_without_them_points_into_the_body(
    server: Server,
) -> None:
    engagement = _file(EXAMPLES / "ipa" / "engagement-in-progress.toml")
    response = httpx.post(
        f"{server.url}/engagements/check",
        json={"engagement": engagement, "as_of": "2024-06-30"},
        headers=_auth("program"),
    )
    assert response.status_code == 422
    assert response.json()["path"] == "/engagement/leader"


def test_unknown_ids_routes_and_methods(server: Server) -> None:
    unknown = httpx.post(
        f"{server.url}/programs/nope/eligibility", json={"people": []}, headers=_auth("program")
    )
    assert unknown.status_code == 404
    assert "unknown program 'nope'" in unknown.json()["detail"]
    assert httpx.get(f"{server.url}/programs/nope", headers=_auth("program")).status_code == 404
    assert httpx.get(f"{server.url}/nowhere", headers=_auth("program")).status_code == 404
    wrong = httpx.get(f"{server.url}/programs/ipa/eligibility", headers=_auth("program"))
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "application/problem+json"


def test_a_body_over_the_limit_is_413(server: Server) -> None:
    huge = b'{"people": [' + b'{"id": "x"},' * 200_000 + b'{"id": "y"}]}'
    response = httpx.post(
        f"{server.url}/programs/ipa/eligibility",
        content=huge,
        headers={**_auth("program"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["limit"] == 2_000_000

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"people": ['
        for _ in range(300):
            yield b'{"id": "x"},' * 1000

    streamed = httpx.post(
        f"{server.url}/programs/ipa/eligibility",
        content=chunks(),
        headers={**_auth("program"), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413


# -- concurrency ------------------------------------------------------------------------


def test_concurrent_requests_all_get_their_own_answer(server: Server) -> None:
    people = _file(IPA_PEOPLE)["leaders"]

    def decide(index: int) -> tuple[str, str]:
        person = people[index % len(people)]
        response = httpx.post(
            f"{server.url}/programs/ipa/eligibility",
            json={"on": "2023-09-15", "people": [person]},
            headers=_auth("program"),
            timeout=30,
        )
        assert response.status_code == 200
        (decision,) = response.json()
        return person["id"], decision["person"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(decide, range(40)))
    assert all(asked == answered for asked, answered in answers)


def test_a_slow_client_does_not_block_the_others(server: Server) -> None:
    slow = socket.create_connection(("127.0.0.1", server.port))
    try:
        slow.sendall(
            b"POST /programs/ipa/eligibility HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {KEYS['program']}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            + b'{"people": ['
        )
        started = time.monotonic()
        for _ in range(5):  # each answered while the slow body is still arriving
            response = httpx.get(f"{server.url}/programs", headers=_auth("program"), timeout=10)
            assert response.status_code == 200
        assert time.monotonic() - started < 10
    finally:
        slow.close()


def test_suggest_and_match_options_equal_the_command_line(
    server: Server, openapi: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    leaders = EXAMPLES / "matching" / "leaders.toml"
    mentors = EXAMPLES / "matching" / "mentors.toml"
    body = {"on": "2024-08-01", "leaders": _file(leaders), "mentors": _file(mentors)}
    suggested = httpx.post(
        f"{server.url}/programs/ipa/suggest",
        json={**body, "leader": "amara", "top": 3, "audience": "program"},
        headers=_auth("program"),
        timeout=60,
    )
    assert suggested.status_code == 200, suggested.text
    assert suggested.json() == _cli(
        capsys,
        "suggest",
        "ipa",
        "--leader",
        "amara",
        "--leaders",
        str(leaders),
        "--mentors",
        str(mentors),
        "--on",
        "2024-08-01",
        "--top",
        "3",
        "--audience",
        "program",
    )
    _valid(openapi, "suggest", suggested.json())
    explained = httpx.post(
        f"{server.url}/programs/ipa/match",
        json={**body, "objective": "score", "explain_constraints": True, "audience": "program"},
        headers=_auth("program"),
        timeout=60,
    )
    assert explained.status_code == 200, explained.text
    assert explained.json() == _cli(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(leaders),
        "--mentors",
        str(mentors),
        "--on",
        "2024-08-01",
        "--objective",
        "score",
        "--explain-constraints",
        "--audience",
        "program",
    )
    _valid(openapi, "match", explained.json())


def test_a_check_for_the_sponsor_equals_the_command_line(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    engagement = EXAMPLES / "ipa" / "engagement-in-progress.toml"
    body = {
        "engagement": _file(engagement),
        "people": _file(IPA_PEOPLE),
        "as_of": "2024-06-30",
        "audience": "sponsor",
    }
    checked = httpx.post(f"{server.url}/engagements/check", json=body, headers=_auth("sponsor"))
    assert checked.status_code == 200, checked.text
    assert checked.json() == _cli(
        capsys,
        "check",
        str(engagement),
        "--people",
        str(IPA_PEOPLE),
        "--as-of",
        "2024-06-30",
        "--audience",
        "sponsor",
    )


def test_keeps_and_declines_equal_the_command_line(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    leaders = EXAMPLES / "matching" / "leaders.toml"
    mentors = EXAMPLES / "matching" / "mentors.toml"
    pairs_file = EXAMPLES / "matching" / "pairs.csv"
    with pairs_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(handle)]
    matched = httpx.post(
        f"{server.url}/programs/ipa/match",
        json={
            "on": "2024-08-01",
            "leaders": _file(leaders),
            "mentors": _file(mentors),
            "pairs": rows,
        },
        headers=_auth("program"),
        timeout=60,
    )
    assert matched.status_code == 200, matched.text
    assert matched.json() == _cli(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(leaders),
        "--mentors",
        str(mentors),
        "--on",
        "2024-08-01",
        "--pairs",
        str(pairs_file),
        "--audience",
        "program",
    )
