# SPDX-License-Identifier: Apache-2.0
"""Agent Passport for Python: the agent side (keys, passports, presentations, signed HTTP requests
for httpx and requests) and a verifier for Python services. Wire format: docs/wire-format.md."""
from .client import PassportSigner
from .delegation import DelegationChain
from .errors import PassportError
from .httpsig import (DELEGATION_HEADER, DELEGATION_REF_HEADER, PASSPORT_HEADER, PASSPORT_REF_HEADER,
                      content_digest, passport_ref, sign_request, signature_base, signature_params)
from .jcs import canonicalize, parse_json
from .keys import AgentKey, decrypt_key_file, key_from_env, load_key_file
from .presentation import Passport, create_presentation
from .request_verifier import MemoryStore, RequestVerification, RequestVerifier, refusal
from .verifier import Verification, Verifier

try:
    from .client import HttpxPassportAuth
except ImportError:  # pragma: no cover
    pass
try:
    from .client import RequestsPassportAuth
except ImportError:  # pragma: no cover
    pass

__all__ = [
    "AgentKey", "DELEGATION_HEADER", "DELEGATION_REF_HEADER", "DelegationChain", "MemoryStore", "PASSPORT_HEADER", "PASSPORT_REF_HEADER", "Passport", "PassportError",
    "PassportSigner", "RequestVerification", "RequestVerifier", "Verification", "Verifier", "canonicalize",
    "content_digest", "create_presentation", "decrypt_key_file", "key_from_env", "load_key_file", "parse_json",
    "passport_ref", "refusal", "sign_request", "signature_base", "signature_params",
]
