# SPDX-License-Identifier: Apache-2.0
"""The Python verifier's own refusals beyond the shared vectors: trust, scopes, purposes, audience,
status (fail closed), usage, and presentations made by the Python agent."""
from __future__ import annotations

import base64
import copy
from datetime import datetime, timezone

import pytest
from vectors import KEYS, NOW, PASSPORT, request_verifier, run_request, verdict, verifier_at, REQUESTS

from agent_passport import AgentKey, Passport, PassportError, Verifier, create_presentation
from agent_passport.proof import add_proof
from agent_passport.request_verifier import MemoryStore, RequestVerifier, usage_key

DATA = base64.urlsafe_b64decode(PASSPORT["bytesBase64url"] + "==")
KEY = AgentKey.from_seed(bytes.fromhex(KEYS["agent"]["seedHex"]))
WHEN = datetime.fromtimestamp(NOW, timezone.utc)


def test_an_issuer_not_trusted() -> None:
    r = Verifier(["did:web:other.example"], clock=lambda: NOW).verify_credential(DATA)
    assert verdict(r) == {"verified": False, "check": "issuer-trusted", "code": "ERR_ISSUER_UNTRUSTED"}


def test_scopes_purposes_and_audience() -> None:
    assert verifier_at().verify_credential(DATA, ["read:arxiv", "write:notes/today"]).verified
    assert verifier_at().verify_credential(DATA, ["write:notes"]).code == "ERR_SCOPE_DENIED"
    v = Verifier([KEYS["issuerDidDocument"]], clock=lambda: NOW, accepted_purposes=["billing"])
    assert v.verify_credential(DATA).code == "ERR_PURPOSE_DENIED"


def reissued(change) -> dict:  # noqa: ANN001
    """The passport changed, then signed again with the (test) issuer key."""
    credential = copy.deepcopy(PASSPORT["passport"])
    change(credential)
    proof = credential.pop("proof")
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    issuer = AgentKey.from_seed(bytes.fromhex(KEYS["issuer"]["seedHex"]))
    return add_proof(credential, options, issuer.sign)


def test_a_passport_with_status_fails_closed() -> None:
    entry = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
             "statusListCredential": "https://issuer.example/status/1"}
    r = verifier_at().verify_credential(reissued(lambda c: c.update(credentialStatus=entry)))
    assert verdict(r) == {"verified": False, "check": "status", "code": "ERR_STATUS_UNAVAILABLE"}
    tampered = copy.deepcopy(PASSPORT["passport"])
    tampered["credentialStatus"] = entry
    assert verifier_at().verify_credential(tampered).code == "ERR_PROOF_INVALID"


def test_audience_and_validity_window() -> None:
    aud = reissued(lambda c: c["credentialSubject"].update(audience=["https://api.service.example"]))
    assert verifier_at().verify_credential(aud).code == "ERR_AUDIENCE_DENIED"
    v = Verifier([KEYS["issuerDidDocument"]], clock=lambda: NOW, origin="https://api.service.example")
    assert v.verify_credential(aud).verified
    later = reissued(lambda c: c.update(validFrom="2026-07-01T00:00:00Z"))
    assert verifier_at().verify_credential(later).code == "ERR_NOT_YET_VALID"
    inverted = reissued(lambda c: c.update(validUntil="2026-05-01T00:00:00Z"))
    assert verifier_at().verify_credential(inverted).code == "ERR_VCDM_INVALID"
    empty = reissued(lambda c: c.update(validUntil=c["validFrom"]))
    assert verifier_at().verify_credential(empty).code == "ERR_VALIDITY_WINDOW"


def test_not_a_passport_and_schema() -> None:
    other = copy.deepcopy(PASSPORT["passport"])
    other["type"] = ["VerifiableCredential"]
    assert verifier_at().verify_credential(other).code == "ERR_NOT_PASSPORT"
    other = copy.deepcopy(PASSPORT["passport"])
    other["credentialSubject"]["scopes"] = ["READ:everything"]
    assert verifier_at().verify_credential(other).code == "ERR_SCHEMA_INVALID"
    assert verifier_at().verify_credential(b"[1,").code == "ERR_PARSE_JSON"


def test_python_presentations_verify_and_bind_the_challenge() -> None:
    vp = create_presentation(Passport(DATA), KEY, "c-123", "api.example", now=WHEN)
    assert verifier_at().verify_presentation(vp, "c-123", "api.example").verified
    assert verifier_at().verify_presentation(vp, "c-124").code == "ERR_CHALLENGE_MISMATCH"
    future = create_presentation(Passport(DATA), KEY, "c-123", now=datetime(2026, 6, 2, tzinfo=timezone.utc))
    assert verifier_at().verify_presentation(future, "c-123").code == "ERR_PROOF_CREATED"


def test_a_key_that_is_not_the_subjects_cannot_present() -> None:
    other = AgentKey.from_seed(bytes.fromhex(KEYS["attacker"]["seedHex"]))
    with pytest.raises(PassportError) as e:
        create_presentation(Passport(DATA), other, "c")
    assert e.value.code == "ERR_HOLDER_MISMATCH"


def test_usage_is_counted_per_issuer_and_passport() -> None:
    store = MemoryStore()
    rv = RequestVerifier(verifier_at(), REQUESTS["verifier"]["origin"], clock=lambda: NOW, store=store)
    for _ in range(1000):
        assert store.increment(usage_key(PASSPORT["passport"]), 1000)
    step = REQUESTS["vectors"][0]["steps"][0]
    assert verdict(run_request(rv, step["request"])) == {"verified": False, "check": "usage", "code": "ERR_USAGE_EXCEEDED"}
    assert run_request(request_verifier(), step["request"]).verified


def test_the_origin_is_required() -> None:
    with pytest.raises(ValueError):
        RequestVerifier(verifier_at(), "")


def test_a_did_web_issuer_without_its_document() -> None:
    r = Verifier(["did:web:issuer.example"], clock=lambda: NOW).verify_credential(DATA)
    assert verdict(r) == {"verified": False, "check": "issuer-key", "code": "ERR_DID_NOT_FOUND"}


def test_pinned_documents_are_checked_when_the_verifier_is_made() -> None:
    with pytest.raises(TypeError):
        Verifier([{"id": "did:web:x.example", "assertionMethod": "did:web:x.example#k"}])
    with pytest.raises(TypeError):
        Verifier(["https://not-a-did.example"])
