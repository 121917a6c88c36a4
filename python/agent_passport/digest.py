# SPDX-License-Identifier: Apache-2.0
"""Checking a Content-Digest header (RFC 9530) against a body: sha-256 and sha-512 are accepted."""
from __future__ import annotations

import hashlib
import hmac

from .errors import PassportError
from .sf import parse_dictionary


def check_content_digest(header: str | None, body: bytes) -> None:
    """Raise ERR_DIGEST_MISSING, ERR_DIGEST_MISMATCH or ERR_DIGEST_UNSUPPORTED; return when it matches."""
    if header is None:
        raise PassportError("ERR_DIGEST_MISSING", "the request has a body and no Content-Digest")
    try:
        members = parse_dictionary(header)
    except ValueError as cause:
        raise PassportError("ERR_DIGEST_MISMATCH", "Content-Digest is not a structured-field dictionary") from cause
    checked = False
    for alg, fn in (("sha-256", hashlib.sha256), ("sha-512", hashlib.sha512)):
        member = members.get(alg)
        if member is None:
            continue
        value = member[0]
        if not isinstance(value, bytes):
            raise PassportError("ERR_DIGEST_MISMATCH", f"{alg} is not a byte sequence")
        if not hmac.compare_digest(fn(body).digest(), value):
            raise PassportError("ERR_DIGEST_MISMATCH", f"{alg} does not match the body")
        checked = True
    if not checked:
        raise PassportError("ERR_DIGEST_UNSUPPORTED", "no sha-256 or sha-512 digest")
