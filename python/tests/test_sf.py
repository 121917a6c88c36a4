# SPDX-License-Identifier: Apache-2.0
"""Structured fields (RFC 8941): the headers this profile parses, round trips, and refusals."""
from __future__ import annotations

from decimal import Decimal

import pytest

from agent_passport.sf import Token, parse_dictionary, serialize_bare, serialize_inner_list


def test_signature_input_round_trips() -> None:
    text = 'sig1=("@method" "@target-uri");created=1;expires=61;nonce="n";keyid="k";tag="agent-passport"'
    parsed = parse_dictionary(text)
    assert serialize_inner_list(parsed["sig1"]) == text[len("sig1="):]


def test_items_of_every_type() -> None:
    d = parse_dictionary('a=1, b=-2.5, c="x\\"y", d=tok/en, e=:AAE=:, f=?0, g;p=1, h=(1 2);q')
    assert d["a"] == (1, {}) and d["b"] == (Decimal("-2.5"), {}) and d["c"] == ('x"y', {})
    assert d["d"] == (Token("tok/en"), {}) and d["e"] == (b"\x00\x01", {}) and d["f"] == (False, {})
    assert d["g"] == (True, {"p": 1}) and d["h"] == ([(1, {}), (2, {})], {"q": True})
    assert [serialize_bare(v) for v in (Decimal("2.5"), Decimal("3"), True, b"\x00")] == ["2.5", "3.0", "?1", ":AA==:"]


@pytest.mark.parametrize("text", ["sig1=(", "a=1,", "A=1", 'a="\\x"', "a=?2", "a=1 b=2", "a=é", 'a="\x01"'])
def test_malformed_dictionaries_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_dictionary(text)
