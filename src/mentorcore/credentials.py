"""Open Badges 3.0 credentials for completed engagements, signed as VC-JWT, and their check.

:func:`credential_for` turns a complete engagement
(:func:`mentorcore.completion.completion_of`) into an ``OpenBadgeCredential``
(1EdTech Open Badges 3.0, a W3C Verifiable Credential, as JSON-LD with the
VC 2.0 and OB 3.0 contexts):

- ``issuer``: a ``Profile`` from the issuer file (:func:`load_issuer`: TOML
  with ``id``, a URL or DID, ``name``, and optional ``url`` and ``email``);
- ``credentialSubject``: an ``AchievementSubject`` naming the leader (an
  ``IdentityObject`` of type ``name``) and the ``Achievement``: the program
  and kind, its ``criteria`` in words (the completion rule's, from the
  plug-in's data, with whether it is the organization's rule or the
  plug-in's reading), and ``alignment`` to each framework item the
  engagement's log addresses, as the CASE URIs of :mod:`mentorcore.io.case`;
- ``evidence``: hours, sessions by mode and the artifacts logged, composed
  for the leader (the credential's holder) from counts and artifact kinds
  only: no notes, titles or topics, which stay with the pair wherever the
  leader shows the badge.

An engagement that is not complete gets no credential:
:class:`NotComplete` says what is missing. :func:`sign` signs a credential
as a VC-JWT (the OB 3.0 JSON Web Token proof format: the credential in the
``vc`` claim, ``iss``, ``jti``, ``sub`` and ``nbf`` beside it) with an
Ed25519 key (a JWK, algorithm ``Ed25519`` of RFC 9864), using the
``joserfc`` library; :func:`verify` checks a credential's shape, dates and
signature. ``joserfc`` (typed, every JOSE RFC, explicit algorithm lists on
decoding) comes with the optional extra ``credentials`` and is imported only
when a credential is signed or verified.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from mentorcore.completion import CompletionResult, completion_of
from mentorcore.engagements import (
    ArtifactLogged,
    AssessmentLogged,
    Engagement,
    Interaction,
    events_of,
    hours_delivered,
    sessions_by_mode,
)
from mentorcore.errors import InputError, MentorcoreError
from mentorcore.rules.requirements import Status
from mentorcore.validation import non_empty

if TYPE_CHECKING:
    from joserfc.jwk import OKPKey

    from mentorcore.registry import Registry

__all__ = [
    "ALGORITHM",
    "CONTEXTS",
    "Check",
    "Issuer",
    "NotComplete",
    "Verification",
    "credential_for",
    "load_issuer",
    "load_key",
    "sign",
    "verify",
]

#: The JSON-LD contexts of an Open Badges 3.0 credential, in order.
CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)

#: The JWS algorithm of a signed credential: Ed25519 (RFC 9864's name for EdDSA over Ed25519).
ALGORITHM = "Ed25519"

_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mentorcore.invalid/credentials")
_ISSUER_ID = re.compile(r"(https?://[^\s]+|did:[a-z0-9]+:[^\s]+)")


def _issuer_id(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not _ISSUER_ID.fullmatch(value):
        raise InputError(
            path="id", found=value, expected="a URL (https://...) or a DID (did:web:...)"
        )


@frozen(kw_only=True)
class Issuer:
    """Who issues the credentials: ``id`` (a URL or DID), ``name``, optional ``url`` and
    ``email``."""

    id: str = field(validator=_issuer_id)
    name: str = field(validator=non_empty)
    url: str | None = None
    email: str | None = None

    def profile(self) -> dict[str, Any]:
        """The issuer as an OB 3.0 ``Profile``."""
        data: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            data["url"] = self.url
        if self.email:
            data["email"] = self.email
        return data


def load_issuer(path: str | Path) -> Issuer:
    """Read an issuer file (TOML or JSON); a fault names the file and the field."""
    from mentorcore.io.converter import structure
    from mentorcore.io.loaders import read_data

    return structure(read_data(path), Issuer, file=str(path))


class NotComplete(MentorcoreError):
    """An engagement that is not complete gets no credential; ``result`` says what is missing."""

    def __init__(self, result: CompletionResult) -> None:
        self.result = result
        missing = "; ".join(result.missing)
        super().__init__(
            f"no credential: engagement {result.engagement!r} is not complete on "
            f"{result.as_of} ({result.title}). Missing: {missing}"
        )


def _hours(value: Any) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def _evidence(engagement: Engagement, as_of: dt.date) -> list[dict[str, Any]]:
    hours = hours_delivered(engagement, as_of)
    modes = sessions_by_mode(engagement, as_of)
    sessions = sum(modes.values())
    by_mode = ", ".join(f"{count} {mode.label}" for mode, count in modes.items() if count)
    contract = (
        f" of {_hours(engagement.contract_hours)} contracted" if engagement.contract_hours else ""
    )
    evidence = [
        {
            "type": ["Evidence"],
            "name": "Hours and sessions",
            "description": f"{_hours(hours)} hours delivered{contract} in {sessions} sessions"
            + (f" ({by_mode})" if by_mode else "")
            + f", {engagement.start} to {min(engagement.end, as_of)}.",
        }
    ]
    logged: dict[str, list[dt.date]] = {}
    for artifact in events_of(engagement, ArtifactLogged, as_of):
        logged.setdefault(artifact.artifact, []).append(artifact.date)
    for kind, days in logged.items():
        words = kind.replace("_", " ")
        evidence.append(
            {
                "type": ["Evidence"],
                "name": words[:1].upper() + words[1:],
                "description": f"{words} logged {len(days)} time(s), last on {max(days)}.",
            }
        )
    return evidence


def _addressed(engagement: Engagement, as_of: dt.date) -> list[str]:
    codes: list[str] = []
    for event in engagement.events:
        if event.date > as_of:
            continue
        if isinstance(event, (Interaction, ArtifactLogged)):
            codes.extend(event.items)
        elif isinstance(event, AssessmentLogged):
            codes.append(event.item)
    return list(dict.fromkeys(codes))


def _alignments(registry: Registry, engagement: Engagement, as_of: dt.date) -> list[dict[str, Any]]:
    from mentorcore.io.case import item_uri, program_frameworks

    program = registry.program(engagement.program)
    found: list[dict[str, Any]] = []
    frameworks = program_frameworks(program, registry)
    for code in _addressed(engagement, as_of):
        for framework in frameworks:
            if code in framework.codes:
                item = framework.item(code)
                found.append(
                    {
                        "type": ["Alignment"],
                        "targetName": item.title or item.text or code,
                        "targetDescription": item.text or item.title or code,
                        "targetUrl": item_uri(framework.id, code),
                        "targetCode": code,
                        "targetFramework": framework.title,
                        "targetType": "CFItem",
                    }
                )
                break
    return found


def _criteria(result: CompletionResult) -> str:
    lines = [result.criteria]
    source = result.source
    if source is not None and source.default:
        lines.append(
            "This is the program plug-in's reading, not the organization's stated rule"
            + (f": {source.note}" if source.note else ".")
        )
    # Requirement titles only: a finding's detail may quote a goal's title.
    met = [f.title for f in result.findings if f.status is Status.MET]
    titled = tuple(f"{title}:" for title in met)
    met += [line for line in result.met if not line.startswith(titled)]
    lines.append("Met on " + result.as_of.isoformat() + ": " + "; ".join(met) + ".")
    return "\n\n".join(lines)


def credential_for(
    registry: Registry, engagement: Engagement, as_of: dt.date, issuer: Issuer
) -> dict[str, Any]:
    """An ``OpenBadgeCredential`` for a complete engagement, as plain JSON-able data.

    Raises :class:`NotComplete` (naming what is missing) when the engagement
    is not complete on ``as_of``. The credential's ``id`` is a ``urn:uuid``
    made from the issuer, the engagement and the date, so issuing again on
    the same date gives the same credential; ``validFrom`` is ``as_of``.
    """
    result = completion_of(registry, engagement, as_of)
    if not result.complete:
        raise NotComplete(result)
    program = registry.program(engagement.program)
    kind = program.kind(engagement.kind)
    key = f"{issuer.id}|{engagement.program}|{engagement.kind}"
    achievement: dict[str, Any] = {
        "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'achievement|' + key)}",
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": f"{program.title}: {result.title}",
        "description": kind.description or f"{kind.title} with {program.organization}.",
        "criteria": {"narrative": _criteria(result)},
        "creator": issuer.profile(),
    }
    alignments = _alignments(registry, engagement, as_of)
    if alignments:
        achievement["alignment"] = alignments
    credential_id = uuid.uuid5(_NAMESPACE, f"credential|{key}|{engagement.id}|{as_of}")
    return {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{result.title}: {engagement.leader.name}",
        "issuer": issuer.profile(),
        "validFrom": f"{as_of.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": engagement.leader.name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": achievement,
        },
        "evidence": _evidence(engagement, as_of),
        "credentialSchema": [{"id": _SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def _joserfc() -> Any:
    try:
        import joserfc.errors
        import joserfc.jwk
        import joserfc.jws
        import joserfc.jwt
    except ImportError:
        raise MentorcoreError(
            "signed credentials need the optional extra 'credentials': "
            "pip install 'mentorcore[credentials]'"
        ) from None
    return joserfc


def load_key(path: str | Path, *, private: bool) -> OKPKey:
    """An Ed25519 key from a JWK file (``kty`` ``OKP``, ``crv`` ``Ed25519``; ``d`` when private).

    A fault names the file and the member: ``issuer-key.json: d: found nothing,
    expected the private key (an Ed25519 JWK with "d")``.
    """
    from mentorcore.io.loaders import read_data

    name = str(path)
    # A JWK is JSON, whether its file is named .json or .jwk.
    data = read_data(path, format="json" if Path(path).suffix.lower() == ".jwk" else None)
    for member, wanted in (("kty", "OKP"), ("crv", "Ed25519")):
        if data.get(member) != wanted:
            raise InputError(file=name, path=member, found=data.get(member), expected=f"{wanted!r}")
    if not isinstance(data.get("x"), str):
        raise InputError(file=name, path="x", found=data.get("x"), expected="the public key")
    if private and not isinstance(data.get("d"), str):
        raise InputError(
            file=name,
            path="d",
            found=data.get("d"),
            expected='the private key (an Ed25519 JWK with "d")',
        )
    jose = _joserfc()
    members = {k: v for k, v in data.items() if k in ("kty", "crv", "x", "d", "kid")}
    if not private:
        members.pop("d", None)
    try:
        key: OKPKey = jose.jwk.OKPKey.import_key(members)
    except (ValueError, jose.errors.JoseError) as exc:
        raise InputError(f"not a usable Ed25519 key: {exc}", file=name) from None
    return key


def sign(credential: Mapping[str, Any], key: OKPKey) -> str:
    """The credential as a compact VC-JWT signed with ``key`` (Ed25519).

    The JOSE header has ``alg`` ``Ed25519``, ``typ`` ``JWT`` and the public
    ``jwk``; the claims are the credential as ``vc`` with ``iss`` (the
    issuer's id), ``jti`` (the credential's id), ``sub`` (the subject's id or
    name), ``nbf`` (``validFrom``) and ``iat``, as the OB 3.0 JSON Web Token
    proof format has them.
    """
    jose = _joserfc()
    valid_from = _instant(credential.get("validFrom"))
    assert valid_from is not None, "a credential has validFrom"
    subject = credential.get("credentialSubject", {})
    identifiers = subject.get("identifier") or [{}]
    claims: dict[str, Any] = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": subject.get("id") or identifiers[0].get("identityHash"),
        "nbf": int(valid_from.timestamp()),
        "iat": int(valid_from.timestamp()),
        "vc": dict(credential),
    }
    if credential.get("validUntil"):
        valid_until = _instant(credential["validUntil"])
        if valid_until is not None:
            claims["exp"] = int(valid_until.timestamp())
    header = {"alg": ALGORITHM, "typ": "JWT", "jwk": key.as_dict(private=False)}
    token: str = jose.jwt.encode(header, claims, key, algorithms=[ALGORITHM])
    return token


@frozen(kw_only=True)
class Check:
    """One thing :func:`verify` checked: ``shape``, ``dates`` or ``signature``."""

    name: str
    ok: bool
    detail: str


@frozen(kw_only=True)
class Verification:
    """What :func:`verify` found; ``ok`` when every check passed."""

    checks: tuple[Check, ...]
    credential: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """Whether the shape, the dates and the signature all check."""
        return all(check.ok for check in self.checks)


def _instant(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _shape(credential: Any) -> list[str]:
    """What an OB 3.0 credential lacks, as sentences (empty when its shape is right)."""
    if not isinstance(credential, Mapping):
        return ["the credential is not a JSON object"]
    problems: list[str] = []
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or list(contexts[:1]) != [CONTEXTS[0]]:
        problems.append(f"@context does not start with {CONTEXTS[0]}")
    elif not any(
        str(c).startswith("https://purl.imsglobal.org/spec/ob/v3p0/context") for c in contexts
    ):
        problems.append("@context lacks the Open Badges 3.0 context")
    types = _types(credential.get("type"))
    for wanted in ("VerifiableCredential", "OpenBadgeCredential"):
        if wanted not in types and not (
            wanted == "OpenBadgeCredential" and "AchievementCredential" in types
        ):
            problems.append(f"type lacks {wanted}")
    for name in ("id", "name", "validFrom"):
        if not isinstance(credential.get(name), str) or not credential.get(name):
            problems.append(f"{name} is missing")
    if credential.get("validFrom") and _instant(credential.get("validFrom")) is None:
        problems.append("validFrom is not a date and time with a time zone")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or not _ISSUER_ID.fullmatch(issuer_id):
        problems.append("issuer has no id that is a URL or DID")
    elif isinstance(issuer, Mapping) and "Profile" not in _types(issuer.get("type")):
        problems.append("issuer is not a Profile")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return [*problems, "credentialSubject is missing"]
    if "AchievementSubject" not in _types(subject.get("type")):
        problems.append("credentialSubject is not an AchievementSubject")
    if not subject.get("id") and not subject.get("identifier"):
        problems.append("credentialSubject has neither id nor identifier")
    achievement = subject.get("achievement")
    if not isinstance(achievement, Mapping):
        return [*problems, "credentialSubject.achievement is missing"]
    if "Achievement" not in _types(achievement.get("type")):
        problems.append("the achievement's type lacks Achievement")
    for name in ("id", "name", "description"):
        if not isinstance(achievement.get(name), str) or not achievement.get(name):
            problems.append(f"the achievement's {name} is missing")
    criteria = achievement.get("criteria")
    if not isinstance(criteria, Mapping) or not (criteria.get("id") or criteria.get("narrative")):
        problems.append("the achievement's criteria have neither id nor narrative")
    for index, alignment in enumerate(achievement.get("alignment") or []):
        if not isinstance(alignment, Mapping) or not (
            alignment.get("targetName") and alignment.get("targetUrl")
        ):
            problems.append(f"alignment {index + 1} lacks targetName or targetUrl")
    return problems


def _dates(credential: Mapping[str, Any], now: dt.datetime) -> list[str]:
    problems = []
    valid_from = _instant(credential.get("validFrom"))
    if valid_from is not None and valid_from > now:
        problems.append(f"not valid before {credential['validFrom']}")
    valid_until = _instant(credential.get("validUntil"))
    if credential.get("validUntil") and valid_until is None:
        problems.append("validUntil is not a date and time with a time zone")
    elif valid_until is not None and valid_until < now:
        problems.append(f"expired on {credential['validUntil']}")
    if valid_until is not None and valid_from is not None and valid_until < valid_from:
        problems.append("validUntil comes before validFrom")
    return problems


def verify(text: str, key: OKPKey | None = None, *, now: dt.datetime | None = None) -> Verification:
    """Check a credential: its shape (OB 3.0), its dates (on ``now``, default the present)
    and its signature.

    ``text`` is a compact VC-JWT or a JSON credential. A JWT's signature is
    checked against ``key`` (the issuer's public JWK). Without one it can
    only be checked against the key in its own header, which anyone who
    forges a credential can put there: that shows the token is unchanged
    (check ``integrity``), not who signed it, so the ``signature`` check
    fails and the credential is not valid until it is verified with the
    issuer's key. A JSON credential has no signature to check, and that
    check fails.
    """
    moment = now or dt.datetime.now(dt.UTC)
    stripped = text.strip()
    checks: list[Check] = []
    credential: Any = None
    if stripped.startswith("{"):
        try:
            credential = json.loads(stripped)
        except json.JSONDecodeError as exc:
            return Verification(checks=(Check(name="shape", ok=False, detail=f"not JSON: {exc}"),))
        checks.append(
            Check(name="signature", ok=False, detail="none: a JSON credential carries no proof")
        )
    else:
        jose = _joserfc()
        try:
            header = jose.jws.extract_compact(stripped.encode()).headers()
        except (ValueError, jose.errors.JoseError) as exc:
            detail = f"neither JSON nor a compact JWT: {exc}"
            return Verification(checks=(Check(name="shape", ok=False, detail=detail),))
        used, where = key, "the key given"
        if used is None and isinstance(header.get("jwk"), Mapping):
            try:
                used = jose.jwk.OKPKey.import_key(dict(header["jwk"]))
            except (ValueError, jose.errors.JoseError):
                used = None
            where = "the key in its own header (unchanged since signing; the signer is not checked)"
        if used is None:
            checks.append(Check(name="signature", ok=False, detail="no key to check it with"))
            try:
                claims = json.loads(
                    jose.jws.extract_compact(stripped.encode()).payload.decode("utf-8")
                )
            except (ValueError, jose.errors.JoseError):
                claims = {}
        else:
            try:
                token = jose.jwt.decode(stripped, used, algorithms=[ALGORITHM])
                claims = token.claims
                if key is None:
                    checks.append(
                        Check(name="integrity", ok=True, detail=f"{ALGORITHM}, valid for {where}")
                    )
                    checks.append(
                        Check(
                            name="signature",
                            ok=False,
                            detail="the signer is not checked: give the issuer's public key "
                            "with --key (a key in the token's own header proves nothing of "
                            "who signed it)",
                        )
                    )
                else:
                    checks.append(
                        Check(name="signature", ok=True, detail=f"{ALGORITHM}, valid for {where}")
                    )
            except (ValueError, jose.errors.JoseError) as exc:
                claims = {}
                detail = f"does not verify with {where}: {type(exc).__name__}"
                checks.append(Check(name="signature", ok=False, detail=detail))
                try:
                    claims = json.loads(
                        jose.jws.extract_compact(stripped.encode()).payload.decode("utf-8")
                    )
                except (ValueError, jose.errors.JoseError):
                    claims = {}
        credential = claims.get("vc") if isinstance(claims, Mapping) else None
        if isinstance(credential, Mapping):
            problems = []
            valid_from = _instant(credential.get("validFrom"))
            nbf = claims.get("nbf")
            if valid_from is not None and nbf != int(valid_from.timestamp()):
                problems.append("nbf is not validFrom")
            issuer = credential.get("issuer")
            issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
            if claims.get("iss") != issuer_id:
                problems.append("iss is not the issuer's id")
            if claims.get("jti") != credential.get("id"):
                problems.append("jti is not the credential's id")
            exp = claims.get("exp")
            if isinstance(exp, int) and exp < moment.timestamp():
                problems.append("the JWT has expired (exp)")
            if problems:
                checks.append(Check(name="claims", ok=False, detail="; ".join(problems)))
    shape = _shape(credential)
    checks.insert(
        0,
        Check(
            name="shape",
            ok=not shape,
            detail="; ".join(shape) or "an Open Badges 3.0 OpenBadgeCredential",
        ),
    )
    if isinstance(credential, Mapping):
        dates = _dates(credential, moment)
        checks.insert(
            1,
            Check(
                name="dates",
                ok=not dates,
                detail="; ".join(dates) or f"valid on {moment.date().isoformat()}",
            ),
        )
    return Verification(
        checks=tuple(checks),
        credential=dict(credential) if isinstance(credential, Mapping) else None,
    )
