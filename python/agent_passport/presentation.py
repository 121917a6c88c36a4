# SPDX-License-Identifier: Apache-2.0
"""The agent side of presentations: wrap the passport in a VerifiablePresentation (VCDM 2.0 §4.13)
signed with the agent's did:key under ``authentication``, bound to the verifier's challenge and
domain (eddsa-jcs-2022). A sub-agent presents its whole chain: the organisation's passport, then its
delegations root first, signed with its own key (the last delegation's subject)."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .dates import format_date_time
from .delegation import DelegationChain
from .errors import PassportError
from .jcs import parse_json
from .keys import AgentKey
from .proof import CRYPTOSUITE, add_proof


class Passport:
    """A passport as the agent holds it: its exact bytes (what the passport header carries and its
    reference hashes) and the parsed credential."""

    def __init__(self, data: bytes) -> None:
        self.bytes = bytes(data)
        credential = parse_json(self.bytes, max_bytes=100_000)
        subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
        if not isinstance(subject, dict) or not str(subject.get("id", "")).startswith("did:key:"):
            raise PassportError("ERR_NOT_PASSPORT", "the passport has no did:key subject")
        self.credential: dict[str, Any] = credential

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Passport":
        return cls(Path(path).read_bytes())

    @classmethod
    def from_json(cls, credential: dict[str, Any]) -> "Passport":
        """From a parsed credential: serialised compactly, as the toolkit's agent does."""
        return cls(json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode())

    @property
    def subject(self) -> str:
        return str(self.credential["credentialSubject"]["id"])


def create_presentation(passport: Passport, key: AgentKey, challenge: str, domain: str | None = None,
                        now: datetime | None = None, delegations: DelegationChain | None = None) -> dict[str, Any]:
    """Sign a presentation of ``passport`` (and a sub-agent's ``delegations``) for one verifier's
    challenge (and domain)."""
    if not isinstance(challenge, str) or not challenge:
        raise TypeError("challenge must be a non-empty string")
    if domain is not None and (not isinstance(domain, str) or not domain):
        raise TypeError("domain must be a non-empty string")
    holder = passport.subject if delegations is None else delegations.holder
    if key.did != holder:
        raise PassportError("ERR_HOLDER_MISMATCH", "the key is not the presenting agent's (the passport or "
                            "last delegation subject)")
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder,
        "verifiableCredential": [passport.credential, *(delegations.credentials if delegations else [])],
    }
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "created": format_date_time(now or datetime.now(timezone.utc)),
        "verificationMethod": key.key_id,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": "authentication",
        "challenge": challenge,
    }
    if domain is not None:
        options["domain"] = domain
    return add_proof(vp, options, key.sign)
