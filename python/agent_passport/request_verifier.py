# SPDX-License-Identifier: Apache-2.0
"""The service side of signed requests, for Python services: the toolkit's checks in order
(signature, passport, holder, replay, usage), each refusal with its code, and the HTTP answer
for a refusal. The URL that is verified is this service's configured origin plus the request
target exactly as received: the Host header never chooses it."""
from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from .didkey import public_key_of_did, public_key_of_method
from .errors import PassportError
from .httpsig import PASSPORT_HEADER, PASSPORT_REF_HEADER, is_passport_ref, passport_ref
from .jcs import canonicalize, parse_json
from .signature import check_body, verify_signature
from .verifier import Check, Verifier, run_checks

REQUEST_CHECK_NAMES = ("signature", "passport", "holder", "body", "replay", "usage")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class RequestVerification:
    verified: bool
    checks: list[Check]
    errors: list[PassportError] = field(default_factory=list)
    agent: str | None = None
    passport: dict[str, Any] | None = None
    passport_ref: str | None = None
    key_id: str | None = None
    nonce: str | None = None

    @property
    def code(self) -> str | None:
        return self.errors[0].code if self.errors else None


class MemoryStore:
    """Nonces (expiring) and usage counters for one process. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}
        self._counts: dict[str, int] = {}

    def check_and_set(self, key: str, until: float, now: float) -> bool:
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: t for k, t in self._seen.items() if t > now}
            if self._seen.get(key, 0) > now:
                return False
            self._seen[key] = until
            return True

    def increment(self, key: str, limit: int) -> bool:
        with self._lock:
            count = self._counts.get(key, 0)
            if count >= limit:
                return False
            self._counts[key] = count + 1
            return True


def usage_key(passport: Mapping[str, Any]) -> str:
    """The maxCalls counter of a passport: its issuer's id and the SHA-256 of its canonical form
    without the proof, as the TypeScript verifier keys it (re-serialising does not reset it)."""
    issuer = passport["issuer"]["id"] if isinstance(passport["issuer"], dict) else passport["issuer"]
    signed = {k: v for k, v in passport.items() if k != "proof"}
    digest = base64.b64encode(hashlib.sha256(canonicalize(signed).encode("utf-8")).digest()).decode()
    return f"{issuer} sha-256=:{digest}:"


def header_map(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Lower-case names; repeated fields joined with ", " (as a fetch Headers object does)."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


class RequestVerifier:
    def __init__(self, verifier: Verifier, origin: str, *, clock: Callable[[], float] = time.time,
                 max_age_seconds: int = 300, skew_seconds: int = 30, store: MemoryStore | None = None,
                 passport_cache_size: int = 1000) -> None:
        if not re.fullmatch(r"https?://[a-z0-9.\-\[\]:]+", origin or ""):
            raise ValueError("origin is required: scheme://host[:port], lower case, no path")
        self.verifier, self.origin, self.clock = verifier, origin, clock
        self.max_age, self.skew = max_age_seconds, skew_seconds
        self.store = store or MemoryStore()
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = passport_cache_size

    def _remember(self, ref: str, data: bytes) -> None:
        self._cache[ref] = data
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def verify(self, method: str, target: str, headers: Mapping[str, str] | Iterable[tuple[str, str]],
               body: bytes | None = None, required_scopes: Sequence[str] = ()) -> RequestVerification:
        """Verify one request: ``target`` is the request target as received (path and query)."""
        h = header_map(headers)
        now = self.clock()
        state: dict[str, Any] = {}

        def resolve_key(key_id: str, compact: bool) -> bytes | None:
            """The key for a keyid: a did:key method's own key or, in the compact form (the keyid is
            a passport reference), the referenced passport's subject's key."""
            if not (compact and is_passport_ref(key_id)):
                try:
                    return public_key_of_method(key_id)
                except PassportError:
                    return None
            data = self._cache.get(key_id)
            if data is None:
                state["ref_problem"] = PassportError("ERR_PASSPORT_UNKNOWN", "unknown passport reference: send the passport")
                return None
            try:
                subject = str(parse_json(data, max_bytes=100_000)["credentialSubject"]["id"])
                key = public_key_of_did(subject)
            except (PassportError, KeyError, TypeError):
                state["ref_problem"] = PassportError("ERR_HOLDER_MISMATCH", "the referenced passport has no did:key subject")
                return None
            state["by_key_id"], state["signer"] = data, subject
            return key

        def signature() -> None:
            has_passport, has_ref = PASSPORT_HEADER in h, PASSPORT_REF_HEADER in h
            required = ["@method", "@target-uri", *([PASSPORT_HEADER] if has_passport else [PASSPORT_REF_HEADER] if has_ref else [])]
            compact = not has_passport and not has_ref
            r = verify_signature(method, self.origin + target, h, body, now=now, max_age=self.max_age, skew=self.skew,
                                 required=required, check_digest=False,
                                 resolve=lambda kid: resolve_key(kid, compact))
            if isinstance(r, PassportError):
                raise state.get("ref_problem") if r.code == "ERR_SIG_KEY_UNKNOWN" and "ref_problem" in state else r
            state["key_id"], state["nonce"], state["created"], state["verified"] = r.key_id, r.nonce, r.created, r
            state.setdefault("signer", r.key_id.split("#", 1)[0])

        def passport() -> None:
            inline, ref_header = h.get(PASSPORT_HEADER), h.get(PASSPORT_REF_HEADER)
            if inline is not None:
                if not _B64URL.match(inline) or len(inline) > 100_000:
                    raise PassportError("ERR_PARSE_JSON", "the passport header is not base64url")
                data = base64.urlsafe_b64decode(inline + "=" * (-len(inline) % 4))
                ref = passport_ref(data)
                if ref_header is not None and ref_header != ref:
                    raise PassportError("ERR_PASSPORT_REF_MISMATCH", "the reference is not this passport")
            elif ref_header is not None:
                data, ref = self._cache.get(ref_header), ref_header
                if data is None:
                    raise PassportError("ERR_PASSPORT_UNKNOWN", "unknown passport reference: send the passport")
            elif "by_key_id" in state:
                data, ref = state["by_key_id"], state["key_id"]
            else:
                raise PassportError("ERR_PASSPORT_MISSING", f"send the {PASSPORT_HEADER} header")
            r = self.verifier.verify_credential(data, required_scopes)
            if not r.verified:
                raise r.errors[0]
            state["passport"], state["ref"] = r.passport, ref
            self._remember(ref, data)

        def holder() -> None:
            if state["passport"]["credentialSubject"]["id"] != state["signer"]:
                raise PassportError("ERR_HOLDER_MISMATCH", "the request is not signed by the passport subject")

        def body_digest() -> None:
            # After authentication, as the TypeScript verifier: the body against its covered digest.
            check_body(state["verified"], h, body)

        def replay() -> None:
            # A nonce is remembered until its signature could no longer be accepted: created + window.
            until = state["created"] + self.max_age + self.skew
            if not self.store.check_and_set(f"{state['key_id']}:{state['nonce']}", until, now):
                raise PassportError("ERR_REPLAY", "this nonce was used before")

        def usage() -> None:
            p = state["passport"]
            limit = p["credentialSubject"].get("maxCalls")
            if limit is not None and not self.store.increment(usage_key(p), limit):
                raise PassportError("ERR_USAGE_EXCEEDED", f"maxCalls {limit} reached")

        checks, errors = run_checks([("signature", signature), ("passport", passport), ("holder", holder),
                                     ("body", body_digest), ("replay", replay), ("usage", usage)])
        if errors:
            signed = {"key_id": state["key_id"], "agent": state.get("signer")} if "key_id" in state else {}
            return RequestVerification(False, checks, errors, **signed)
        p = state["passport"]
        return RequestVerification(True, checks, [], p["credentialSubject"]["id"], p, state["ref"],
                                   state["key_id"], state["nonce"])


_FORBIDDEN = {"ERR_SCOPE_DENIED", "ERR_PURPOSE_DENIED", "ERR_AUDIENCE_DENIED", "ERR_USAGE_EXCEEDED"}
_UNAVAILABLE = {"ERR_STORE_UNAVAILABLE", "ERR_STORE_FULL", "ERR_EVIDENCE_UNAVAILABLE", "ERR_STATUS_UNAVAILABLE"}


def refusal(result: RequestVerification) -> tuple[int, dict[str, str], dict[str, str]]:
    """Status, headers and JSON body for a refused request (the toolkit's WWW-Authenticate form)."""
    first = result.errors[0] if result.errors else PassportError("ERR_VERIFIER_INTERNAL", "refused")
    status = 403 if first.code in _FORBIDDEN else 503 if first.code in _UNAVAILABLE else 401
    error = {403: "insufficient_scope", 503: "temporarily_unavailable"}.get(status, "invalid_token")
    quoted = "".join(c for c in first.message.replace('"', "").replace("\\", "") if 0x20 <= ord(c) <= 0x7E)
    headers = {
        "www-authenticate": f'AgentPassport realm="agent-passport", error="{error}", '
                            f'error_description="{quoted}", code="{first.code}"',
        "content-type": "application/json",
        "cache-control": "no-store",
    }
    return status, headers, {"error": error, "code": first.code, "message": first.message}
