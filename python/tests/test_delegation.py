# SPDX-License-Identifier: Apache-2.0
"""The sub-agent side of delegation: a chain held as exact bytes, the headers a delegated request
carries and covers (the chain inline on first contact, both references after, the keyid always the
sub-agent's own key), and presentations of the chain. Acceptance by the TypeScript chain verifier is
test/interop/python-delegation.test.ts; these stand-in delegations only name a subject."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from vectors import KEYS, NOW, PASSPORT

from agent_passport import (DELEGATION_HEADER, DELEGATION_REF_HEADER, PASSPORT_HEADER, PASSPORT_REF_HEADER,
                            AgentKey, DelegationChain, Passport, PassportError, PassportSigner, create_presentation,
                            passport_ref)
from agent_passport.client import passport_unknown
from agent_passport.delegation import MAX_CHAIN_BYTES

SUB_AGENT = AgentKey.from_seed(bytes.fromhex(KEYS["attacker"]["seedHex"]))
PLANNER_PASSPORT = Passport(base64.urlsafe_b64decode(PASSPORT["bytesBase64url"] + "=="))
URL = "https://api.example/papers"


def delegation(subject: str, **extra: object) -> dict:
    return {"id": "urn:uuid:5b1f", "type": ["VerifiableCredential", "AgentDelegation"],
            "credentialSubject": {"id": subject, "scopes": ["read:arxiv"], **extra}}


CHAIN = DelegationChain.from_json([delegation(SUB_AGENT.did)])


def covered(signed_input: str) -> list[str]:
    return json.loads("[" + signed_input.split("(", 1)[1].split(")", 1)[0].replace('" "', '","') + "]")


def test_a_chain_is_its_exact_bytes_and_their_reference() -> None:
    assert CHAIN.bytes == json.dumps([delegation(SUB_AGENT.did)], separators=(",", ":")).encode()
    assert CHAIN.ref == passport_ref(CHAIN.bytes)
    assert base64.urlsafe_b64decode(CHAIN.inline + "=" * (-len(CHAIN.inline) % 4)) == CHAIN.bytes
    assert CHAIN.holder == SUB_AGENT.did


def test_a_chain_loads_from_delegation_files_root_first(tmp_path: Path) -> None:
    middle = delegation(KEYS["agent"]["did"])
    (tmp_path / "1.json").write_text(json.dumps(middle, indent=2))
    (tmp_path / "2.json").write_text(json.dumps(delegation(SUB_AGENT.did)))
    chain = DelegationChain.load(tmp_path / "1.json", tmp_path / "2.json")
    assert [d["credentialSubject"]["id"] for d in chain.credentials] == [KEYS["agent"]["did"], SUB_AGENT.did]
    assert chain.holder == SUB_AGENT.did


@pytest.mark.parametrize("data", [
    b"{}", b"[]", b"[1]", json.dumps([{"credentialSubject": {"id": "did:web:x"}}]).encode(),
    b'[{"credentialSubject":{"id":"did:key:z6Mk","id":"x"}}]', b"[" + b" " * MAX_CHAIN_BYTES + b"]",
])
def test_what_is_not_a_chain_is_refused_with_its_code(data: bytes) -> None:
    with pytest.raises(PassportError) as refused:
        DelegationChain(data)
    assert refused.value.code in ("ERR_DELEGATION_INVALID", "ERR_PARSE_DUPLICATE_KEY")


def test_first_contact_carries_and_covers_the_passport_and_the_chain() -> None:
    signer = PassportSigner(SUB_AGENT, PLANNER_PASSPORT, delegations=CHAIN, clock=lambda: NOW)
    signed = signer.sign("GET", URL)
    assert signed.headers[PASSPORT_HEADER] == signer.inline
    assert signed.headers[DELEGATION_HEADER] == CHAIN.inline
    assert covered(signed.headers["signature-input"]) == ["@method", "@target-uri", PASSPORT_HEADER,
                                                          DELEGATION_HEADER]
    assert f'keyid="{SUB_AGENT.key_id}"' in signed.headers["signature-input"]


def test_later_requests_carry_and_cover_both_references_with_the_sub_agents_keyid() -> None:
    signer = PassportSigner(SUB_AGENT, PLANNER_PASSPORT, delegations=CHAIN, clock=lambda: NOW)
    signed = signer.sign("POST", URL, {}, b"{}", full=False)
    assert PASSPORT_HEADER not in signed.headers and DELEGATION_HEADER not in signed.headers
    assert signed.headers[PASSPORT_REF_HEADER] == passport_ref(PLANNER_PASSPORT.bytes)
    assert signed.headers[DELEGATION_REF_HEADER] == CHAIN.ref
    assert covered(signed.headers["signature-input"]) == ["@method", "@target-uri", "content-digest",
                                                          PASSPORT_REF_HEADER, DELEGATION_REF_HEADER]
    assert f'keyid="{SUB_AGENT.key_id}"' in signed.headers["signature-input"]


def test_the_chain_is_resent_when_a_service_does_not_know_it() -> None:
    assert passport_unknown(401, 'AgentPassport error="invalid_token", code="ERR_DELEGATION_UNKNOWN"')
    assert passport_unknown(401, 'AgentPassport error="invalid_token", code="ERR_PASSPORT_UNKNOWN"')
    assert not passport_unknown(401, 'AgentPassport error="invalid_token", code="ERR_DELEGATION_SCOPE_WIDENED"')
    assert not passport_unknown(403, 'AgentPassport code="ERR_DELEGATION_UNKNOWN"')


def test_only_the_last_delegations_subject_may_sign_with_the_chain() -> None:
    planner = AgentKey.from_seed(bytes.fromhex(KEYS["agent"]["seedHex"]))
    with pytest.raises(ValueError):
        PassportSigner(planner, PLANNER_PASSPORT, delegations=CHAIN)


def test_a_presentation_holds_the_passport_then_the_chain_signed_by_the_sub_agent() -> None:
    vp = create_presentation(PLANNER_PASSPORT, SUB_AGENT, "c-1", "api.example", delegations=CHAIN)
    assert vp["holder"] == SUB_AGENT.did
    assert vp["verifiableCredential"] == [PLANNER_PASSPORT.credential, *CHAIN.credentials]
    assert vp["proof"]["verificationMethod"] == SUB_AGENT.key_id
    assert vp["proof"]["proofPurpose"] == "authentication"
    planner = AgentKey.from_seed(bytes.fromhex(KEYS["agent"]["seedHex"]))
    with pytest.raises(PassportError) as refused:
        create_presentation(PLANNER_PASSPORT, planner, "c-1", delegations=CHAIN)
    assert refused.value.code == "ERR_HOLDER_MISMATCH"
