# SPDX-License-Identifier: Apache-2.0
"""A sub-agent's delegation chain as the agent holds it: the ``AgentDelegation`` credentials, root
first (the one made under the organisation's passport, then each one made under the one before),
kept as the exact JSON bytes of their list: what the delegation header carries and its reference
hashes. The chain is verified by the service (the TypeScript ``@agent-passport/delegation``); the
agent only checks that it is the last delegation's subject."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Sequence

from .errors import PassportError
from .httpsig import b64url, passport_ref
from .jcs import parse_json

#: The most bytes of a chain (the TypeScript middleware reads at most 48,000 base64url characters).
MAX_CHAIN_BYTES = 36_000


class DelegationChain:
    """The delegations of one sub-agent, root first, as exact bytes and parsed."""

    def __init__(self, data: bytes) -> None:
        self.bytes = bytes(data)
        if len(self.bytes) > MAX_CHAIN_BYTES:
            raise PassportError("ERR_DELEGATION_INVALID", f"the chain is over {MAX_CHAIN_BYTES} bytes")
        chain = parse_json(self.bytes, max_bytes=MAX_CHAIN_BYTES)
        if not isinstance(chain, list) or not chain or not all(_subject(d) for d in chain):
            raise PassportError("ERR_DELEGATION_INVALID", "a chain is a non-empty list of delegations to did:keys")
        self.credentials: list[dict[str, Any]] = chain
        self.inline = b64url(self.bytes)
        self.ref = passport_ref(self.bytes)

    @classmethod
    def from_json(cls, delegations: Sequence[dict[str, Any]]) -> "DelegationChain":
        """From parsed delegations, root first: their list serialised compactly."""
        return cls(json.dumps(list(delegations), ensure_ascii=False, separators=(",", ":")).encode())

    @classmethod
    def load(cls, *paths: str | os.PathLike[str]) -> "DelegationChain":
        """From delegation files (one credential each), root first."""
        return cls.from_json([parse_json(Path(p).read_bytes(), max_bytes=MAX_CHAIN_BYTES) for p in paths])

    @property
    def holder(self) -> str:
        """The last delegation's subject: the agent that may present the chain."""
        return _subject(self.credentials[-1])


def _subject(credential: Any) -> str:
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    did = subject.get("id") if isinstance(subject, dict) else None
    return did if isinstance(did, str) and did.startswith("did:key:") else ""
