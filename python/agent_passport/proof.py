# SPDX-License-Identifier: Apache-2.0
"""Data Integrity proofs with the eddsa-jcs-2022 cryptosuite (VC Data Integrity EdDSA 1.0 §3.3):
hashData = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof)), signed with Ed25519,
proofValue = base58btc multibase of the 64-byte signature."""
from __future__ import annotations

import hashlib
from typing import Any, Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .didkey import b58decode, b58encode
from .errors import PassportError
from .jcs import canonicalize

CRYPTOSUITE = "eddsa-jcs-2022"


def _hash_data(proof_options: dict[str, Any], unsecured: dict[str, Any]) -> bytes:
    return (hashlib.sha256(canonicalize(proof_options).encode()).digest()
            + hashlib.sha256(canonicalize(unsecured).encode()).digest())


def add_proof(document: dict[str, Any], proof_options: dict[str, Any], sign: Callable[[bytes], bytes]) -> dict[str, Any]:
    """``document`` with ``proof``: the options (they carry the document's @context, as the
    toolkit's proofs do) and their proofValue."""
    options = {**proof_options, "@context": document["@context"]}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    signature = sign(_hash_data(options, unsecured))
    return {**unsecured, "proof": {**options, "proofValue": "z" + b58encode(signature)}}


def verify_proof_value(document: dict[str, Any], public_key: bytes) -> None:
    """Check the signature of an eddsa-jcs-2022 proof whose type, suite, purpose and key were already
    checked. Raises PassportError ERR_PROOF_INVALID when it does not verify."""
    proof = document["proof"]
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in options:
        wanted = options["@context"] if isinstance(options["@context"], list) else [options["@context"]]
        have = unsecured.get("@context")
        have = have if isinstance(have, list) else [have]
        if any(i >= len(have) or canonicalize(c) != canonicalize(have[i]) for i, c in enumerate(wanted)):
            raise PassportError("ERR_PROOF_INVALID", "the proof @context does not start the document's")
        unsecured["@context"] = options["@context"]
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise PassportError("ERR_PROOF_MALFORMED", "proof.proofValue must be a base58btc multibase string")
    try:
        signature = b58decode(value[1:])
    except PassportError as cause:
        raise PassportError("ERR_PROOF_INVALID", "proofValue is not base58btc") from cause
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, _hash_data(options, unsecured))
    except (InvalidSignature, ValueError) as cause:
        raise PassportError("ERR_PROOF_INVALID", "the proof signature does not verify") from cause


def check_proof_shape(document: dict[str, Any], purpose: str) -> dict[str, Any]:
    """The allowlist checks made before any cryptography: one proof object, DataIntegrityProof,
    eddsa-jcs-2022, the purpose, a verificationMethod string."""
    proof = document.get("proof")
    if proof is None:
        raise PassportError("ERR_PROOF_MISSING", "the document has no proof")
    if not isinstance(proof, dict):
        raise PassportError("ERR_PROOF_MALFORMED", "exactly one proof object is accepted")
    if proof.get("type") != "DataIntegrityProof":
        raise PassportError("ERR_PROOF_TYPE", "proof type must be DataIntegrityProof")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        raise PassportError("ERR_CRYPTOSUITE_UNSUPPORTED", f"cryptosuite {proof.get('cryptosuite')!r} is not supported")
    if proof.get("proofPurpose") != purpose:
        raise PassportError("ERR_PROOF_PURPOSE", f"proofPurpose must be {purpose}")
    if not isinstance(proof.get("verificationMethod"), str):
        raise PassportError("ERR_PROOF_MALFORMED", "proof.verificationMethod must be a string")
    return proof
