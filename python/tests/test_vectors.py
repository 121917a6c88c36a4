# SPDX-License-Identifier: Apache-2.0
"""The TypeScript toolkit's vectors, byte for byte: the Python verifiers give every verdict, check
and code; the Python signer makes the same signature bases, headers and signatures; the Python
presentation is the toolkit's, proof value included."""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone

import pytest
from vectors import KEYS, NOW, PASSPORT, PRESENTATIONS, REQUESTS, request_verifier, run_request, verdict, verifier_at

from agent_passport import AgentKey, Passport, canonicalize, create_presentation, passport_ref, sign_request
from agent_passport.dates import parse_date_time
from agent_passport.sf import parse_dictionary

REQUEST_VECTORS = REQUESTS["vectors"]
PRESENTATION_VECTORS = PRESENTATIONS["vectors"]


def test_the_passport_bytes_reference_and_canonical_form() -> None:
    data = base64.urlsafe_b64decode(PASSPORT["bytesBase64url"] + "==")
    assert data == json.dumps(PASSPORT["passport"], separators=(",", ":"), ensure_ascii=False).encode()
    assert passport_ref(data) == PASSPORT["ref"]
    assert canonicalize(PASSPORT["passport"]) == PASSPORT["canonical"]
    assert verifier_at().verify_credential(data).verified


@pytest.mark.parametrize("vector", REQUEST_VECTORS, ids=[v["name"] for v in REQUEST_VECTORS])
def test_request_verdicts(vector: dict) -> None:
    rv = request_verifier()
    for i, step in enumerate(vector["steps"]):
        assert verdict(run_request(rv, step["request"])) == step["expect"], f"step {i}"


def signed_steps() -> list[dict]:
    seen: dict[str, dict] = {}
    for vector in REQUEST_VECTORS:
        for step in vector["steps"]:
            if "signed" in step:
                seen[step["request"]["headers"]["signature"]] = step
    return list(seen.values())


@pytest.mark.parametrize("step", signed_steps())
def test_python_signs_the_same_bytes(step: dict) -> None:
    request = step["request"]
    label, (items, params) = next(iter(parse_dictionary(request["headers"]["signature-input"]).items()))
    components = [c for c, _ in items]
    key = AgentKey.from_seed(bytes.fromhex(step["signed"]["seed"]))
    added = {"signature", "signature-input", "content-digest", *components}
    headers = {k: v for k, v in request["headers"].items() if k not in added}
    extra = {c: request["headers"][c] for c in components if c in ("agent-passport", "agent-passport-ref")}
    body = request.get("body")
    out = sign_request(request["method"], request["url"], key_id=params["keyid"], sign=key.sign, headers=headers,
                       body=None if body is None else body.encode(), extra_headers=extra, components=components,
                       created=params["created"], expires_in=params["expires"] - params["created"],
                       nonce=params["nonce"], tag=params["tag"], label=label, include_alg="alg" in params)
    assert out.signature_base == step["signed"]["signatureBase"]
    assert out.signature.hex() == step["signed"]["signatureHex"]
    for name, value in out.headers.items():
        assert request["headers"][name] == value, name


@pytest.mark.parametrize("vector", PRESENTATION_VECTORS, ids=[v["name"] for v in PRESENTATION_VECTORS])
def test_presentation_verdicts(vector: dict) -> None:
    now = parse_date_time(vector["now"]) if "now" in vector else NOW
    options = vector["options"]
    result = verifier_at(now).verify_presentation(vector["presentation"], options["challenge"], options.get("domain"))
    assert verdict(result) == vector["expect"]


def test_python_makes_the_toolkits_presentation_byte_for_byte() -> None:
    valid = PRESENTATION_VECTORS[0]
    key = AgentKey.from_seed(bytes.fromhex(KEYS["agent"]["seedHex"]))
    passport = Passport(base64.urlsafe_b64decode(PASSPORT["bytesBase64url"] + "=="))
    when = datetime.fromtimestamp(NOW, timezone.utc)
    vp = create_presentation(passport, key, valid["options"]["challenge"], valid["options"]["domain"], now=when)
    assert json.dumps(vp, indent=2, ensure_ascii=False) == json.dumps(valid["presentation"], indent=2, ensure_ascii=False)
    inputs = PRESENTATIONS["proofInputs"]
    options = {k: v for k, v in vp["proof"].items() if k != "proofValue"}
    unsecured = {k: v for k, v in vp.items() if k != "proof"}
    assert canonicalize(options) == inputs["canonicalProofOptions"]
    assert canonicalize(unsecured) == inputs["canonicalDocument"]
    hash_data = hashlib.sha256(inputs["canonicalProofOptions"].encode()).digest() + \
        hashlib.sha256(inputs["canonicalDocument"].encode()).digest()
    assert hash_data.hex() == inputs["hashDataHex"]
