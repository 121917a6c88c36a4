# SPDX-License-Identifier: Apache-2.0
"""Running the wire-format vectors (fixtures/vectors/agent-passport) through the Python verifiers."""
from __future__ import annotations

from typing import Any

from conftest import AGENT_VECTORS, load

from agent_passport import RequestVerifier, Verifier
from agent_passport.dates import parse_date_time

KEYS = load(AGENT_VECTORS / "keys.json")
PASSPORT = load(AGENT_VECTORS / "passport.json")
REQUESTS = load(AGENT_VECTORS / "requests.json")
PRESENTATIONS = load(AGENT_VECTORS / "presentations.json")
CONFIG = REQUESTS["verifier"]
NOW = parse_date_time(CONFIG["now"])
ORIGIN = CONFIG["origin"]


def verifier_at(now: float = NOW) -> Verifier:  # type: ignore[assignment]
    return Verifier([KEYS["issuerDidDocument"]], clock=lambda: now, max_skew_seconds=CONFIG["maxSkewSeconds"])


def request_verifier() -> RequestVerifier:
    return RequestVerifier(verifier_at(), ORIGIN, clock=lambda: NOW, max_age_seconds=CONFIG["maxAgeSeconds"],
                           skew_seconds=CONFIG["skewSeconds"])


def verdict(result: Any) -> dict[str, Any]:
    if result.verified:
        return {"verified": True}
    failed = next(c for c in result.checks if not c.ok and not c.skipped)
    return {"verified": False, "check": failed.name, "code": failed.code}


def run_request(rv: RequestVerifier, request: dict[str, Any]) -> Any:
    url: str = request["url"]
    assert url.startswith(ORIGIN)
    body = request.get("body")
    return rv.verify(request["method"], url[len(ORIGIN):], request["headers"],
                     None if body is None else body.encode("utf-8"))
