"""Open Badges 3.0: a completed engagement earns a credential, signed as a VC-JWT that verifies."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from attrs import evolve

jwk = pytest.importorskip("joserfc.jwk")
jwt = pytest.importorskip("joserfc.jwt")

from mentorcore.cli.main import main  # noqa: E402
from mentorcore.completion import completion_of  # noqa: E402
from mentorcore.credentials import (  # noqa: E402
    ALGORITHM,
    CONTEXTS,
    Issuer,
    NotComplete,
    credential_for,
    load_issuer,
    load_key,
    sign,
    verify,
)
from mentorcore.engagements import (  # noqa: E402
    Approval,
    ArtifactLogged,
    AssessmentLogged,
    Engagement,
    Interaction,
    TaskDone,
)
from mentorcore.errors import InputError  # noqa: E402
from mentorcore.io.case import item_uri  # noqa: E402
from mentorcore.io.loaders import load_engagement, load_people  # noqa: E402
from mentorcore.people import Leader, Mentor  # noqa: E402
from mentorcore.registry import Registry, load_registry  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ISSUER = EXAMPLES / "credentials" / "issuer.toml"
IPA_PEOPLE = EXAMPLES / "ipa" / "people.toml"
MET = EXAMPLES / "ipa" / "engagement-met.toml"
IN_PROGRESS = EXAMPLES / "ipa" / "engagement-in-progress.toml"
ON = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def installed() -> Registry:
    return load_registry()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """A test-only Ed25519 key pair, made here and never committed."""
    key = jwk.OKPKey.generate_key("Ed25519")
    private, public = tmp_path / "issuer-key.json", tmp_path / "issuer-public.json"
    private.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
    public.write_text(json.dumps(key.as_dict(private=False)), encoding="utf-8")
    return private, public


def _ipa(path: Path) -> Engagement:
    return load_engagement(path, load_people(IPA_PEOPLE))


def test_every_bundled_kind_that_engagements_complete_says_when_and_whose_reading_it_is(
    installed: Registry,
) -> None:
    wanted = {
        ("glisi", "performance_coaching"),
        ("acsa", "coaching"),
        ("ipa", "mentoring"),
        ("ulead", "performance_mentoring"),
    }
    for program_id, kind_id in wanted:
        completion = installed.program(program_id).kind(kind_id).completion
        assert completion is not None, (program_id, kind_id)
        assert completion.criteria and completion.title
        assert completion.source is not None and completion.source.default  # the seeds say nothing
        assert completion.source.note and "reading" in completion.source.note


def test_a_complete_ipa_engagement_earns_an_open_badge_3_credential(installed: Registry) -> None:
    credential = credential_for(installed, _ipa(MET), ON, load_issuer(ISSUER))
    assert credential["@context"] == list(CONTEXTS)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "https://credentials.example.org/issuers/ipa-mentoring"
    assert credential["validFrom"] == "2024-06-30T00:00:00Z"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "IPA Mentoring & Coaching: IPA mentoring completed"
    narrative = achievement["criteria"]["narrative"]
    assert "at least three on-site sessions" in narrative
    assert "plug-in's reading" in narrative
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "Ada Okafor"
    hours = credential["evidence"][0]["description"]
    assert hours.startswith("40 hours delivered of 40 contracted in 17 sessions (6 on-site")
    assert verify(json.dumps(credential)).checks[0].ok  # the shape is right


def test_the_evidence_holds_no_notes_titles_or_topics(installed: Registry) -> None:
    engagement = _ipa(MET)
    for visibility in ("pair", "sponsor", "program"):
        # The first session's topics and notes become private words; the hours stay 40.
        first = next(i for i, e in enumerate(engagement.events) if isinstance(e, Interaction))
        session = evolve(
            engagement.events[first],
            topics=("Custody hearing",),
            notes="Divorce",
            visibility=visibility,
        )
        events = (*engagement.events[:first], session, *engagement.events[first + 1 :])
        logged = evolve(engagement, events=events).log(
            ArtifactLogged(
                date=dt.date(2024, 6, 2),
                artifact="goals",
                title="Leave the district quietly",
                visibility=visibility,
            )
        )
        text = json.dumps(credential_for(installed, logged, ON, load_issuer(ISSUER)))
        for private in ("Custody hearing", "Divorce", "Leave the district quietly"):
            assert private not in text
        for event in engagement.events:
            for words in (getattr(event, "notes", None), getattr(event, "title", None)):
                if words:
                    assert words not in text


def test_an_incomplete_engagement_gets_no_credential_and_is_told_what_is_missing(
    installed: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(NotComplete) as caught:
        credential_for(installed, _ipa(IN_PROGRESS), ON, load_issuer(ISSUER))
    assert any("on-site" in line for line in caught.value.result.missing)
    argv = ["credential", str(IN_PROGRESS), "--people", str(IPA_PEOPLE), "--as-of", "2024-06-30"]
    assert main([*argv, "--issuer", str(ISSUER)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not complete" in captured.err and "At least three on-site" in captured.err


def test_the_cli_signs_a_vc_jwt_that_joserfc_and_verify_accept(
    tmp_path: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    out = tmp_path / "ada.jwt"
    argv = ["credential", str(MET), "--people", str(IPA_PEOPLE), "--as-of", "2024-06-30"]
    assert main([*argv, "--issuer", str(ISSUER), "--key", str(private), "-o", str(out)]) == 0
    token = out.read_text(encoding="utf-8").strip()
    assert token.count(".") == 2
    decoded = jwt.decode(token, load_key(public, private=False), algorithms=[ALGORITHM])
    assert decoded.header["alg"] == "Ed25519" and decoded.header["typ"] == "JWT"
    claims = decoded.claims
    assert claims["iss"] == claims["vc"]["issuer"]["id"]
    assert claims["jti"] == claims["vc"]["id"]
    assert claims["nbf"] == int(dt.datetime(2024, 6, 30, tzinfo=dt.UTC).timestamp())
    assert claims["vc"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]

    assert main(["verify", str(out), "--key", str(public)]) == 0
    assert capsys.readouterr().out.strip().endswith("valid")


def test_verify_fails_a_wrong_key_a_changed_token_a_future_date_and_a_bad_shape(
    tmp_path: Path, keys: tuple[Path, Path], installed: Registry
) -> None:
    private, public = keys
    credential = credential_for(installed, _ipa(MET), ON, load_issuer(ISSUER))
    token = sign(credential, load_key(private, private=True))
    other = jwk.OKPKey.generate_key("Ed25519")
    assert verify(token, load_key(public, private=False)).ok
    wrong = verify(token, jwk.OKPKey.import_key(other.as_dict(private=False)))
    assert not wrong.ok and not next(c for c in wrong.checks if c.name == "signature").ok

    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["vc"] = dict(credential, name="Doctorate in everything")
    fake = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    changed = ".".join([head, fake.decode(), signature])
    assert not verify(changed, load_key(public, private=False)).ok

    early = verify(
        token, load_key(public, private=False), now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    assert not early.ok and not next(c for c in early.checks if c.name == "dates").ok

    broken = dict(credential)
    del broken["credentialSubject"]
    shape = verify(json.dumps(broken))
    assert not shape.ok and "credentialSubject" in shape.checks[0].detail
    assert not verify(json.dumps(credential)).ok  # a JSON credential carries no signature

    path = tmp_path / "changed.jwt"
    path.write_text(changed, encoding="utf-8")
    assert main(["verify", str(path), "--key", str(public)]) == 1


def test_a_bad_issuer_or_key_file_is_exit_2_naming_the_file_and_field(
    tmp_path: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = tmp_path / "issuer.toml"
    issuer.write_text('id = "example.org"\nname = "X"\n', encoding="utf-8")
    with pytest.raises(InputError, match="URL"):
        load_issuer(issuer)
    issuer.write_text('id = "did:web:example.org"\nname = "X"\nphone = "1"\n', encoding="utf-8")
    with pytest.raises(InputError, match="phone"):
        load_issuer(issuer)
    argv = ["credential", str(MET), "--people", str(IPA_PEOPLE), "--as-of", "2024-06-30"]
    assert main([*argv, "--issuer", str(ISSUER), "--key", str(keys[1])]) == 2
    err = capsys.readouterr().err
    assert "issuer-public.json" in err and "d" in err and "Traceback" not in err
    assert Issuer(id="did:web:example.org", name="X").profile()["type"] == ["Profile"]


def _person(cls: type[Leader] | type[Mentor], pid: str) -> Leader | Mentor:
    return cls(id=pid, name=pid.title(), role="principal", role_started=dt.date(2020, 7, 1))


def test_ulead_needs_the_plan_aligned_goals_and_an_assessment_and_aligns_to_case_uris(
    installed: Registry,
) -> None:
    day = dt.date(2025, 3, 1)
    engagement = Engagement(
        id="u1",
        program="ulead",
        kind="performance_mentoring",
        leader=_person(Leader, "lee"),
        mentor=_person(Mentor, "mae"),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
        events=(
            ArtifactLogged(date=dt.date(2024, 9, 1), artifact="performance_plan"),
            ArtifactLogged(
                date=dt.date(2024, 9, 1),
                artifact="goals",
                title="A private goal title",
                priority="Literacy",
                items=("C2.S1",),
            ),
            Interaction(date=dt.date(2024, 10, 1), minutes=60, mode="onsite", items=("C3.S1",)),
        ),
    )
    missing = completion_of(installed, engagement, day)
    assert not missing.complete
    assert any("assessed" in line for line in missing.missing)
    rated = engagement.log(AssessmentLogged(date=dt.date(2025, 2, 1), item="C2.S1", level="meets"))
    assert completion_of(installed, rated, day).complete
    issuer = Issuer(id="did:web:ulead.example", name="ULead (example)")
    credential = credential_for(installed, rated, day, issuer)
    alignment = credential["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetCode"] for a in alignment] == ["C2.S1", "C3.S1"]
    assert alignment[0]["targetUrl"] == item_uri("performance_mentor_competencies", "C2.S1")
    assert alignment[0]["targetFramework"] == "Performance Mentor Competencies"
    assert "A private goal title" not in json.dumps(credential)


def test_glisi_is_complete_once_a_cycle_has_closed_through_act(installed: Registry) -> None:
    day = dt.date(2024, 9, 1)

    def task(task_id: str, days: int = 0, module: str | None = None) -> TaskDone:
        return TaskDone(date=day + dt.timedelta(days=days), task=task_id, module=module)

    engagement = Engagement(
        id="g1",
        program="glisi",
        kind="performance_coaching",
        leader=_person(Leader, "pat"),
        mentor=_person(Mentor, "cal"),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
        events=(
            task("draft_ipcap"),
            ArtifactLogged(date=day, artifact="ipcap"),
            Approval(date=day, approved="ipcap", by="sponsor"),
            task("gain_ipcap_approval"),
            task("observe", 1, "final_assessment"),
            task("arrange_feedback_session", 2),
            task("conduct_feedback_session", 2),
        ),
    )
    assert not completion_of(installed, engagement, dt.date(2024, 12, 1)).complete
    closed = engagement.log(task("set_next_goals", 3))
    assert completion_of(installed, closed, dt.date(2024, 12, 1)).complete


def test_acsa_coaching_is_complete_after_two_years_in_the_band(installed: Registry) -> None:
    people = load_people(EXAMPLES / "acsa" / "people.toml")
    met = load_engagement(EXAMPLES / "acsa" / "engagement-coaching-met.toml", people)
    failing = load_engagement(EXAMPLES / "acsa" / "engagement-coaching-failing.toml", people)
    assert completion_of(installed, met, met.end).complete
    result = completion_of(installed, failing, failing.end)
    assert not result.complete and any("24 months" in line for line in result.missing)


def test_a_token_signed_with_a_key_in_its_own_header_is_not_valid_without_the_issuers_key(
    tmp_path: Path, keys: tuple[Path, Path], installed: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    # A forger signs with their own key and puts its public half in the header.
    credential = credential_for(installed, _ipa(MET), ON, load_issuer(ISSUER))
    forger = jwk.OKPKey.generate_key("Ed25519")
    header = {"alg": ALGORITHM, "typ": "JWT", "jwk": forger.as_dict(private=False)}
    claims = {"iss": credential["issuer"]["id"], "jti": credential["id"], "vc": credential}
    forged = jwt.encode(header, claims, forger, algorithms=[ALGORITHM])
    result = verify(forged)
    assert not result.ok
    checks = {c.name: c for c in result.checks}
    assert checks["integrity"].ok  # unchanged since signing …
    assert not checks["signature"].ok  # … but by whom is not known
    assert "give the issuer's public key with --key" in checks["signature"].detail
    path = tmp_path / "forged.jwt"
    path.write_text(forged, encoding="utf-8")
    assert main(["verify", str(path)]) == 1
    assert capsys.readouterr().out.strip().endswith("not valid")


def test_key_files_may_be_named_jwk(
    tmp_path: Path, keys: tuple[Path, Path], installed: Registry
) -> None:
    private, public = keys
    private_jwk, public_jwk = tmp_path / "issuer.jwk", tmp_path / "issuer-public.jwk"
    private_jwk.write_text(private.read_text(encoding="utf-8"), encoding="utf-8")
    public_jwk.write_text(public.read_text(encoding="utf-8"), encoding="utf-8")
    credential = credential_for(installed, _ipa(MET), ON, load_issuer(ISSUER))
    token = sign(credential, load_key(private_jwk, private=True))
    assert verify(token, load_key(public_jwk, private=False)).ok
