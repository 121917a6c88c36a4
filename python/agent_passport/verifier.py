# SPDX-License-Identifier: Apache-2.0
"""A verifier of passports and presentations for Python services: the toolkit's ordered checks
(parse, schema, issuer-trusted, issuer-key, issuer-proof, validity, status, holder,
purpose-scopes), each failure with the toolkit's code. Issuers are pinned (DID documents or
did:key); a passport with credentialStatus fails closed (this verifier holds no status lists)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .dates import parse_date_time
from .didkey import decode_multikey, public_key_of_did
from .errors import PassportError
from .jcs import parse_json
from .proof import check_proof_shape, verify_proof_value
from .schema import check_passport_shape, check_presentation_shape
from .scopes import missing_scopes

CHECK_NAMES = ("parse", "schema", "issuer-trusted", "issuer-key", "issuer-proof", "validity", "status",
               "holder", "purpose-scopes")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    code: str | None = None
    message: str | None = None
    skipped: bool = False


@dataclass(frozen=True)
class Verification:
    verified: bool
    checks: list[Check]
    errors: list[PassportError] = field(default_factory=list)
    passport: dict[str, Any] | None = None
    agent: str | None = None

    @property
    def code(self) -> str | None:
        """The first error's code (None when verified)."""
        return self.errors[0].code if self.errors else None


def run_checks(steps: Sequence[tuple[str, Callable[[], None]]]) -> tuple[list[Check], list[PassportError]]:
    """Checks in order; the first failure stops the run and the rest are listed as skipped."""
    checks: list[Check] = []
    errors: list[PassportError] = []
    for name, step in steps:
        if errors:
            checks.append(Check(name, False, skipped=True))
            continue
        try:
            step()
            checks.append(Check(name, True))
        except PassportError as failure:
            checks.append(Check(name, False, failure.code, failure.message))
            errors.append(failure)
        except Exception:  # noqa: BLE001 - untrusted input never raises out of a verifier
            failure = PassportError("ERR_VERIFIER_INTERNAL", "unexpected failure while checking")
            checks.append(Check(name, False, failure.code, failure.message))
            errors.append(failure)
    return checks, errors


def _fail_if(condition: bool, code: str, message: str) -> None:
    if condition:
        raise PassportError(code, message)


def _issuer_id(credential: dict[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


class Verifier:
    """Configured once (trusted issuers, clock, skew, purposes, origin, scopes), then called."""

    def __init__(self, trusted_issuers: Sequence[str | Mapping[str, Any]], *, clock: Callable[[], float] = time.time,
                 max_skew_seconds: int = 60, accepted_purposes: Sequence[str] | None = None,
                 required_scopes: Sequence[str] = (), origin: str | None = None,
                 max_bytes: int = 64 * 1024, max_depth: int = 32) -> None:
        self._issuers: dict[str, Mapping[str, Any] | None] = {}
        for entry in trusted_issuers:
            did = entry if isinstance(entry, str) else entry.get("id")
            if not isinstance(did, str) or not did.startswith("did:"):
                raise TypeError("each trusted issuer is a DID or a DID document")
            if not isinstance(entry, str) and not all(
                    isinstance(entry.get(k, []), list) for k in ("verificationMethod", "assertionMethod")):
                raise TypeError(f"the DID document of {did} has malformed verificationMethod/assertionMethod")
            self._issuers[did] = None if isinstance(entry, str) else entry
        if not 0 <= max_skew_seconds <= 600:
            raise ValueError("max_skew_seconds must be between 0 and 600")
        self.clock, self.skew = clock, max_skew_seconds
        self.accepted_purposes, self.required_scopes = accepted_purposes, list(required_scopes)
        self.origin, self.max_bytes, self.max_depth = origin, max_bytes, max_depth

    def _parse(self, data: Any) -> Any:
        if isinstance(data, (bytes, bytearray, str)):
            return parse_json(data, self.max_bytes, self.max_depth)
        return data

    def _issuer_key(self, credential: dict[str, Any]) -> bytes:
        did = _issuer_id(credential)
        doc = self._issuers.get(did)
        if doc is None:
            return public_key_of_did(did)  # a did:key issuer: its one key
        proof = proof_method(credential)
        vm = proof["verificationMethod"]
        listed = any((r if isinstance(r, str) else r.get("id")) == vm for r in doc.get("assertionMethod", []))
        _fail_if(not vm.startswith(f"{did}#") or not listed, "ERR_ISSUER_KEY", f"{vm} is not an assertionMethod of {did}")
        method = next((m for m in doc.get("verificationMethod", []) if m.get("id") == vm), None)
        _fail_if(method is None or method.get("controller") != did, "ERR_ISSUER_KEY", f"{vm} is not controlled by {did}")
        self._key_history(method, proof.get("created"))
        return decode_multikey(method.get("publicKeyMultibase"))

    @staticmethod
    def _key_history(method: Mapping[str, Any], created: Any) -> None:
        revoked, retired = parse_date_time(method.get("revoked")), parse_date_time(method.get("retired"))
        if revoked is None and retired is None:
            return
        at = parse_date_time(created)
        code = "ERR_KEY_COMPROMISED" if revoked is not None else "ERR_KEY_RETIRED"
        _fail_if(at is None, code, "the key has a history and the proof has no created time")
        _fail_if(revoked is not None and at >= revoked, "ERR_KEY_COMPROMISED", "the key was declared compromised")
        _fail_if(retired is not None and at > retired, "ERR_KEY_RETIRED", "the key was retired")

    def _credential_steps(self, state: dict[str, Any], now: float, scopes: Sequence[str],
                          holder: Callable[[], None] | None) -> list[tuple[str, Callable[[], None]]]:
        cred: Callable[[], dict[str, Any]] = lambda: state["credential"]  # noqa: E731
        skew = self.skew

        def trusted() -> None:
            did = _issuer_id(cred())
            _fail_if(not isinstance(did, str) or did not in self._issuers, "ERR_ISSUER_UNTRUSTED",
                     f"{did} is not a trusted issuer")

        def issuer_key() -> None:
            if isinstance(self._issuers[_issuer_id(cred())], Mapping):
                state["key"] = self._issuer_key(cred())
            else:
                proof = proof_method(cred())
                did = _issuer_id(cred())
                _fail_if(not did.startswith("did:key:"), "ERR_DID_NOT_FOUND", f"no DID document for {did}")
                _fail_if(proof["verificationMethod"] != f"{did}#{did[8:]}", "ERR_ISSUER_KEY", "not the issuer's key")
                state["key"] = public_key_of_did(did)

        def issuer_proof() -> None:
            proof = check_proof_shape(cred(), "assertionMethod")
            verify_proof_value(cred(), state["key"])
            created = proof.get("created")
            if created is not None:
                at = parse_date_time(created)
                _fail_if(at is None, "ERR_PROOF_CREATED", "proof.created is not a date-time with an offset")
                _fail_if(at > now + skew, "ERR_PROOF_CREATED", "proof.created is in the future")

        def validity() -> None:
            start, until = parse_date_time(cred().get("validFrom")), parse_date_time(cred().get("validUntil"))
            _fail_if(start is None or until is None, "ERR_DATE_INVALID", "validFrom/validUntil must be date-times")
            _fail_if(until <= start, "ERR_VALIDITY_WINDOW", "validUntil is not after validFrom")
            _fail_if(start > now + skew, "ERR_NOT_YET_VALID", f"not valid before {cred()['validFrom']}")
            _fail_if(until <= now - skew, "ERR_EXPIRED", f"expired at {cred()['validUntil']}")

        def status() -> None:
            _fail_if("credentialStatus" in cred(), "ERR_STATUS_UNAVAILABLE",
                     "the passport has a credentialStatus and this verifier holds no status lists (fail closed)")

        def purpose_scopes() -> None:
            subject = cred()["credentialSubject"]
            _fail_if(self.accepted_purposes is not None and subject.get("purpose") not in self.accepted_purposes,
                     "ERR_PURPOSE_DENIED", f"purpose {subject.get('purpose')!r} is not accepted here")
            audience = subject.get("audience")
            _fail_if(isinstance(audience, list) and (self.origin is None or self.origin not in audience),
                     "ERR_AUDIENCE_DENIED", "this service is not in the passport audience")
            missing = missing_scopes(subject["scopes"], [*self.required_scopes, *scopes])
            _fail_if(bool(missing), "ERR_SCOPE_DENIED", f"missing scope(s): {', '.join(missing)}")

        steps = [("schema", lambda: check_passport_shape(cred())), ("issuer-trusted", trusted),
                 ("issuer-key", issuer_key), ("issuer-proof", issuer_proof), ("validity", validity),
                 ("status", status)]
        if holder is not None:
            steps.append(("holder", holder))
        steps.append(("purpose-scopes", purpose_scopes))
        return steps

    @staticmethod
    def _outcome(checks: list[Check], errors: list[PassportError], state: dict[str, Any]) -> Verification:
        if errors:
            return Verification(False, checks, errors)
        passport = state["credential"]
        return Verification(True, checks, [], passport, passport["credentialSubject"]["id"])

    def verify_credential(self, data: Any, required_scopes: Sequence[str] = ()) -> Verification:
        """Verify a passport (bytes, text or a parsed object)."""
        state: dict[str, Any] = {}
        now = self.clock()

        def parse() -> None:
            state["credential"] = self._parse(data)
            _fail_if(not isinstance(state["credential"], dict), "ERR_PARSE_TYPE", "the credential is not a JSON object")

        checks, errors = run_checks([("parse", parse), *self._credential_steps(state, now, required_scopes, None)])
        return self._outcome(checks, errors, state)

    def verify_presentation(self, data: Any, challenge: str, domain: str | None = None,
                            required_scopes: Sequence[str] = ()) -> Verification:
        """Verify a presentation: the passport inside, and the holder's proof for this challenge."""
        if not isinstance(challenge, str) or not challenge:
            raise TypeError("challenge must be a non-empty string")
        state: dict[str, Any] = {}
        now = self.clock()

        def parse() -> None:
            vp = self._parse(data)
            state["vp"], state["credential"] = vp, check_presentation_shape(vp)

        def holder() -> None:
            vp, subject = state["vp"], cred_subject(state)
            _fail_if(not subject.startswith("did:key:"), "ERR_HOLDER_MISMATCH", "the passport subject is not a did:key")
            _fail_if("holder" in vp and vp["holder"] != subject, "ERR_HOLDER_MISMATCH", "holder is not the subject")
            proof = check_proof_shape(vp, "authentication")
            _fail_if(proof["verificationMethod"] != f"{subject}#{subject[8:]}", "ERR_HOLDER_MISMATCH",
                     "the presentation is not signed by the passport subject")
            _fail_if(proof.get("challenge") != challenge, "ERR_CHALLENGE_MISMATCH", "challenge mismatch")
            _fail_if(domain is not None and proof.get("domain") != domain, "ERR_DOMAIN_MISMATCH", "domain mismatch")
            verify_proof_value(vp, public_key_of_did(subject))
            created = parse_date_time(proof.get("created"))
            _fail_if(created is None, "ERR_PROOF_CREATED", "the presentation proof needs a created date-time")
            _fail_if(created > now + self.skew, "ERR_PROOF_CREATED", "presentation created in the future")

        steps = [("parse", parse), *self._credential_steps(state, now, required_scopes, holder)]
        checks, errors = run_checks(steps)
        return self._outcome(checks, errors, state)


def proof_method(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The single proof object and its verificationMethod string (checked before the key is looked up)."""
    proof = document.get("proof")
    _fail_if(proof is None, "ERR_PROOF_MISSING", "the passport is not signed")
    _fail_if(not isinstance(proof, dict), "ERR_PROOF_MALFORMED", "exactly one proof object is accepted")
    _fail_if(not isinstance(proof.get("verificationMethod"), str), "ERR_PROOF_MALFORMED",
             "proof.verificationMethod must be a string")
    return proof


def cred_subject(state: Mapping[str, Any]) -> str:
    return str(state["credential"]["credentialSubject"]["id"])
