"""maxCalls counters: keyed by the issuer's id and the digest of the signed content, as in TypeScript."""
from __future__ import annotations

import json
from pathlib import Path

from agent_passport.request_verifier import usage_key

VECTORS = Path(__file__).resolve().parents[2] / "fixtures" / "vectors" / "agent-passport"


def passport() -> dict:
    return json.loads((VECTORS / "passport.json").read_text("utf-8"))["passport"]


def test_reserialising_a_passport_does_not_reset_its_counter() -> None:
    p = passport()
    reordered = dict(reversed(list(p.items())))
    assert json.dumps(reordered) != json.dumps(p)
    assert usage_key(reordered) == usage_key(p)


def test_two_passports_never_share_a_counter_even_without_ids() -> None:
    a = {k: v for k, v in passport().items() if k != "id"}
    b = json.loads(json.dumps(a))
    b["credentialSubject"]["agentName"] = "another"
    assert usage_key(a) != usage_key(b)
