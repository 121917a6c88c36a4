# SPDX-License-Identifier: Apache-2.0
"""The shape of a passport (schemas/agent-passport.schema.json) and of a presentation, checked by
hand: the VCDM 2.0 essentials (ERR_VCDM_INVALID), the AgentPassport type (ERR_NOT_PASSPORT), then
the passport schema's rules (ERR_SCHEMA_INVALID)."""
from __future__ import annotations

import re
from typing import Any

from .dates import DATE_TIME_STAMP, parse_date_time
from .errors import PassportError
from .scopes import is_scope

VC_V2 = "https://www.w3.org/ns/credentials/v2"
PASSPORT_CONTEXT = "https://w3id.org/agent-passport/v1"
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$")
_DID_KEY = re.compile(r"^did:key:z[1-9A-HJ-NP-Za-km-z]+$")
_TEXT = re.compile(r"^[^\x00-\x1f\x7f]+$")
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")
_ID = re.compile(r"^(urn:uuid:[0-9a-fA-F-]{36}|https://[^\s]+)$")
_SUBJECT_KEYS = {"id", "agentName", "purpose", "scopes", "maxCalls", "audience", "delegation", "constraints"}


def _vcdm(ok: bool, message: str) -> None:
    if not ok:
        raise PassportError("ERR_VCDM_INVALID", message)


def _schema(ok: bool, message: str) -> None:
    if not ok:
        raise PassportError("ERR_SCHEMA_INVALID", message)


def _text(v: Any, longest: int) -> bool:
    return isinstance(v, str) and 0 < len(v) <= longest and bool(_TEXT.match(v))


def _int(v: Any, low: int, high: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def check_passport_shape(credential: Any) -> None:
    _vcdm(isinstance(credential, dict), "a credential is a JSON object")
    context, types = credential.get("@context"), credential.get("type")
    _vcdm(isinstance(context, list) and len(context) > 0 and context[0] == VC_V2, "/@context: starts with the VCDM 2.0 context")
    _vcdm(isinstance(types, list) and "VerifiableCredential" in types, "/type: includes VerifiableCredential")
    _vcdm("credentialSubject" in credential, "/credentialSubject: required")
    start, until = parse_date_time(credential.get("validFrom")), parse_date_time(credential.get("validUntil"))
    _vcdm(start is None or until is None or until >= start, "/validUntil: validUntil is before validFrom")
    if not isinstance(types, list) or "AgentPassport" not in types:
        raise PassportError("ERR_NOT_PASSPORT", "type must include AgentPassport")
    _schema(2 <= len(context) <= 8 and PASSPORT_CONTEXT in context, "/@context: needs the agent-passport context")
    _schema(len(types) <= 8 and len(set(map(str, types))) == len(types), "/type: at most 8 unique types")
    if "id" in credential:
        _schema(isinstance(credential["id"], str) and len(credential["id"]) <= 512 and bool(_ID.match(credential["id"])), "/id")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    _schema(isinstance(issuer_id, str) and len(issuer_id) <= 512 and bool(_DID.match(issuer_id)), "/issuer: a DID")
    for key in ("validFrom", "validUntil"):
        v = credential.get(key)
        _schema(isinstance(v, str) and bool(DATE_TIME_STAMP.match(v)), f"/{key}: a dateTimeStamp")
    check_subject(credential.get("credentialSubject"))


def check_subject(subject: Any) -> None:
    _schema(isinstance(subject, dict), "/credentialSubject: an object")
    extra = set(subject) - _SUBJECT_KEYS
    _schema(not extra, f"/credentialSubject: unknown member {sorted(extra)[0] if extra else ''}")
    sid = subject.get("id")
    _schema(isinstance(sid, str) and len(sid) <= 256 and bool(_DID_KEY.match(sid)), "/credentialSubject/id: a did:key")
    _schema(_text(subject.get("agentName"), 128), "/credentialSubject/agentName")
    _schema(_text(subject.get("purpose"), 256), "/credentialSubject/purpose")
    scopes = subject.get("scopes")
    _schema(isinstance(scopes, list) and 1 <= len(scopes) <= 64 and all(is_scope(s) for s in scopes)
            and len(set(scopes)) == len(scopes), "/credentialSubject/scopes")
    if "maxCalls" in subject:
        _schema(_int(subject["maxCalls"], 1, 1_000_000_000), "/credentialSubject/maxCalls")
    if "audience" in subject:
        aud = subject["audience"]
        _schema(isinstance(aud, list) and 1 <= len(aud) <= 32 and len(set(map(str, aud))) == len(aud)
                and all(isinstance(a, str) and len(a) <= 256 and _ORIGIN.match(a) for a in aud), "/credentialSubject/audience")
    if "delegation" in subject:
        d = subject["delegation"]
        _schema(isinstance(d, dict) and isinstance(d.get("allowed"), bool) and set(d) <= {"allowed", "maxDepth"}
                and ("maxDepth" not in d or _int(d["maxDepth"], 0, 8)), "/credentialSubject/delegation")
    if "constraints" in subject:
        _schema(isinstance(subject["constraints"], dict) and len(subject["constraints"]) <= 32, "/credentialSubject/constraints")


def check_presentation_shape(vp: Any) -> dict[str, Any]:
    """The one passport a presentation embeds (ERR_PRESENTATION_INVALID otherwise)."""
    def ok(cond: bool, message: str) -> None:
        if not cond:
            raise PassportError("ERR_PRESENTATION_INVALID", message)

    ok(isinstance(vp, dict), "a presentation is a JSON object")
    context, types = vp.get("@context"), vp.get("type")
    ok(isinstance(context, list) and len(context) > 0 and context[0] == VC_V2, "/@context: starts with the VCDM 2.0 context")
    ok(isinstance(types, list) and "VerifiablePresentation" in types, "/type: includes VerifiablePresentation")
    vcs = vp.get("verifiableCredential")
    items = vcs if isinstance(vcs, list) else [] if vcs is None else [vcs]
    ok(len(items) == 1 and isinstance(items[0], dict), "exactly one passport per presentation")
    return items[0]
