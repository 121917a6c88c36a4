# SPDX-License-Identifier: Apache-2.0
"""The toolkit's signed-request profile (RFC 9421 HTTP Message Signatures, RFC 9530
Content-Digest): component values, the signature base, and signing (docs/wire-format.md)."""
from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from .sf import Params, serialize_inner_list

#: The passport, base64url (no padding) of its exact JSON bytes.
PASSPORT_HEADER = "agent-passport"
#: `sha-256=:…:` of the passport's exact bytes; also accepted as the keyid (the compact form).
PASSPORT_REF_HEADER = "agent-passport-ref"
#: A sub-agent's delegation chain: base64url (no padding) of the exact JSON bytes of its list of
#: delegations, root first (mirrors packages/http-signatures/src/passport-ref.ts; the cross-language
#: test compares them).
DELEGATION_HEADER = "agent-passport-delegation"
#: `sha-256=:…:` of the chain's exact bytes: later requests send it instead of the chain.
DELEGATION_REF_HEADER = "agent-passport-delegation-ref"
DEFAULT_TAG = "agent-passport"
DEFAULT_LABEL = "sig1"
PARAM_ORDER = ("created", "expires", "nonce", "keyid", "alg", "tag")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REF = re.compile(r"^sha-256=:[A-Za-z0-9+/]{43}=:$")


def content_digest(body: bytes) -> str:
    """`sha-256=:…:` of a body (RFC 9530 §2)."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def passport_ref(passport: bytes) -> str:
    """The reference of a passport's exact bytes."""
    return content_digest(passport)


def is_passport_ref(value: str) -> bool:
    return bool(_REF.match(value))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def target_uri(url: str) -> str:
    """`@target-uri` as the toolkit computes it (the WHATWG URL serialisation of the request URL,
    fragment removed). Only URLs already in that normal form are accepted: lower-case scheme and
    host, no default port, a non-empty path without dot segments."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError("the URL must be absolute http(s)")
    if parts.username is not None or parts.password is not None:
        raise ValueError("credentials in the URL are not signed")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    authority = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = parts.path or "/"
    if any(seg in (".", "..") or seg.lower() in ("%2e", "%2e%2e", ".%2e", "%2e.") for seg in path.split("/")):
        raise ValueError("the path has dot segments: send it in normal form")
    query = f"?{parts.query}" if parts.query or url.split("#")[0].endswith("?") else ""
    return f"{scheme}://{authority}{path}{query}"


def component_value(method: str, url: str, headers: Mapping[str, str], name: str) -> str | None:
    """The value of one covered component (RFC 9421 §2.1, §2.2), or None when the message lacks it."""
    target = target_uri(url)
    parts = urlsplit(target)
    if name == "@method":
        return method.upper()
    if name == "@target-uri":
        return target
    if name == "@authority":
        return parts.netloc
    if name == "@scheme":
        return parts.scheme
    if name == "@path":
        return parts.path
    if name == "@query":
        return f"?{parts.query}"
    if name == "@request-target":
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if name.startswith("@") or name != name.lower():
        return None
    value = headers.get(name)
    return None if value is None else value.strip(" \t")


def signature_params(components: Sequence[str], params: Mapping[str, object]) -> str:
    """`@signature-params` (§2.3): the components, then created, expires, nonce, keyid, alg, tag."""
    ordered: Params = {k: params[k] for k in PARAM_ORDER if params.get(k) is not None}  # type: ignore[misc]
    return serialize_inner_list(([(c, {}) for c in components], ordered))


def signature_base(method: str, url: str, headers: Mapping[str, str], components: Sequence[str],
                   params_value: str) -> str:
    """The signature base (§2.5). Raises LookupError naming the first component the message lacks."""
    lines = []
    for c in components:
        value = component_value(method, url, headers, c)
        if value is None:
            raise LookupError(c)
        lines.append(f'"{c}": {value}')
    lines.append(f'"@signature-params": {params_value}')
    return "\n".join(lines)


@dataclass(frozen=True)
class SignedHeaders:
    """What signing adds to a request, and the exact bytes that were signed."""

    headers: dict[str, str]
    signature_base: str
    signature: bytes


def sign_request(method: str, url: str, *, key_id: str, sign: Callable[[bytes], bytes],
                 headers: Mapping[str, str] | None = None, body: bytes | None = None,
                 extra_headers: Mapping[str, str] | None = None, components: Sequence[str] | None = None,
                 created: int | None = None, expires_in: int = 60, nonce: str | None = None,
                 tag: str = DEFAULT_TAG, label: str = DEFAULT_LABEL, include_alg: bool = False) -> SignedHeaders:
    """Sign a request in the toolkit's profile. Returns the headers to add (lower-case names):
    Content-Digest when there is a body, the extra headers, Signature-Input and Signature."""
    added: dict[str, str] = {k.lower(): v for k, v in (extra_headers or {}).items()}
    if body is not None:
        added["content-digest"] = content_digest(body)
    merged = {k.lower(): v for k, v in (headers or {}).items()}
    merged.update(added)
    covered = list(components) if components is not None else [
        "@method", "@target-uri", *(["content-digest"] if body is not None else []),
        *[k.lower() for k in (extra_headers or {})]]
    created = int(time.time()) if created is None else created
    params = signature_params(covered, {
        "created": created, "expires": created + expires_in,
        "nonce": nonce if nonce is not None else b64url(secrets.token_bytes(16)),
        "keyid": key_id, "alg": "ed25519" if include_alg else None, "tag": tag})
    base = signature_base(method, url, merged, covered, params)
    signature = sign(base.encode("utf-8"))
    added["signature-input"] = f"{label}={params}"
    added["signature"] = f"{label}=:{base64.b64encode(signature).decode()}:"
    return SignedHeaders(added, base, signature)

