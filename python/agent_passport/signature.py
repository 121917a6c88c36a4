# SPDX-License-Identifier: Apache-2.0
"""Verifying a request signature in the toolkit's profile (RFC 9421 §3.2) and its Content-Digest.
Returns the verified parameters, or the PassportError that refuses the request: it never raises on
untrusted input."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .digest import check_content_digest
from .errors import PassportError
from .httpsig import DEFAULT_TAG, signature_base
from .sf import parse_dictionary, serialize_inner_list

#: At most this many covered components (a bound on work before authentication).
MAX_COMPONENTS = 16
_TARGET_PARTS = ("@scheme", "@authority", "@path", "@query")


@dataclass(frozen=True)
class VerifiedSignature:
    key_id: str
    created: int
    expires: int | None
    nonce: str
    tag: str
    components: list[str]
    signature_base: str
    label: str


def _dictionary(value: str | None) -> dict | None:
    if value is None:
        return None
    try:
        return parse_dictionary(value)
    except ValueError as cause:
        raise PassportError("ERR_SIG_MALFORMED", "Signature-Input or Signature is not a dictionary") from cause


def _components(items: list) -> list[str]:
    if len(items) > MAX_COMPONENTS:
        raise PassportError("ERR_SIG_MALFORMED", f"more than {MAX_COMPONENTS} components")
    out: list[str] = []
    for item, params in items:
        if not isinstance(item, str) or params:
            raise PassportError("ERR_SIG_MALFORMED", "component identifiers are plain strings")
        if item in out:
            raise PassportError("ERR_SIG_MALFORMED", f"{item} is covered twice")
        out.append(item)
    return out


def _check_params(params: dict, now: float, max_age: int, skew: int, tag: str) -> None:
    created, expires = params.get("created"), params.get("expires")
    if created is None:
        raise PassportError("ERR_SIG_CREATED_MISSING", "created is required")
    if not _is_int(created) or (expires is not None and not _is_int(expires)):
        raise PassportError("ERR_SIG_MALFORMED", "created/expires are integers")
    if not isinstance(params.get("keyid"), str):
        raise PassportError("ERR_SIG_MALFORMED", "keyid is required")
    if params.get("alg") not in (None, "ed25519"):
        raise PassportError("ERR_SIG_ALG", f"alg {params.get('alg')!r} is not accepted")
    if not isinstance(params.get("nonce"), str) or not params["nonce"]:
        raise PassportError("ERR_SIG_NONCE_MISSING", "a nonce is required")
    if params.get("tag") != tag:
        raise PassportError("ERR_SIG_TAG", f"tag must be {tag}")
    now_s = int(now)
    if created > now_s + skew:
        raise PassportError("ERR_SIG_NOT_YET_VALID", "created is in the future")
    if now_s - created > max_age:
        raise PassportError("ERR_SIG_EXPIRED", "the signature is too old")
    if expires is not None and (expires < created or now_s - skew >= expires):
        raise PassportError("ERR_SIG_EXPIRED", "the signature has expired")


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _covered(components: list[str], required: Sequence[str]) -> None:
    for c in required:
        whole_target = c == "@target-uri" and all(t in components for t in _TARGET_PARTS)
        if c not in components and not whole_target:
            raise PassportError("ERR_SIG_COMPONENT_MISSING", f"{c} must be covered")


def verify_signature(method: str, url: str, headers: Mapping[str, str], body: bytes | None, *, now: float,
                     resolve: Callable[[str], bytes | None], max_age: int = 300, skew: int = 30,
                     required: Sequence[str] = ("@method", "@target-uri"), tag: str = DEFAULT_TAG,
                     label: str | None = None, check_digest: bool = True) -> VerifiedSignature | PassportError:
    """Verify the signature on a request; ``headers`` has lower-case names. With ``check_digest``
    False the caller checks the body against its covered digest later (``check_body``), after
    authentication, as the request verifier does."""
    try:
        verified = _verify(method, url, headers, body, now, resolve, max_age, skew, required, tag, label)
        if check_digest:
            check_body(verified, headers, body)
        return verified
    except PassportError as refusal:
        return refusal


def check_body(verified: VerifiedSignature, headers: Mapping[str, str], body: bytes | None) -> None:
    """A covered digest is checked on every request, even an empty body (a stripped body fails)."""
    if (body is not None and len(body) > 0) or "content-digest" in verified.components:
        check_content_digest(headers.get("content-digest"), body or b"")


def _verify(method, url, headers, body, now, resolve, max_age, skew, required, tag, label) -> VerifiedSignature:  # noqa: ANN001
    inputs, signatures = _dictionary(headers.get("signature-input")), _dictionary(headers.get("signature"))
    if inputs is None or signatures is None:
        raise PassportError("ERR_SIG_MISSING", "no Signature-Input and Signature")
    if label is None:
        if len(inputs) != 1:
            raise PassportError("ERR_SIG_MALFORMED", "several signatures and no label configured")
        label = next(iter(inputs))
    member, sig = inputs.get(label), signatures.get(label)
    if member is None or sig is None:
        raise PassportError("ERR_SIG_MISSING", f"no signature labelled {label}")
    if not isinstance(member[0], list) or not isinstance(sig[0], bytes):
        raise PassportError("ERR_SIG_MALFORMED", "bad member types")
    components = _components(member[0])
    params = member[1]
    _check_params(params, now, max_age, skew, tag)
    has_body = body is not None and len(body) > 0
    # A body must be covered by its digest (the digest itself is checked by check_body).
    _covered(components, [*required, *(["content-digest"] if has_body else [])])
    key = resolve(params["keyid"])
    if key is None:
        raise PassportError("ERR_SIG_KEY_UNKNOWN", f"no key for {params['keyid']}")
    try:
        base = signature_base(method, url, headers, components, serialize_inner_list(member))
    except LookupError as missing:
        raise PassportError("ERR_SIG_COMPONENT_MISSING", f"the request has no {missing}") from None
    except ValueError as cause:
        raise PassportError("ERR_SIG_INVALID", "the request target is not in normal form: no signature covers it") from cause
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig[0], base.encode("utf-8"))
    except (InvalidSignature, ValueError) as cause:
        raise PassportError("ERR_SIG_INVALID", "the signature does not verify") from cause
    return VerifiedSignature(params["keyid"], params["created"], params.get("expires"), params["nonce"],
                             params["tag"], components, base, label)
