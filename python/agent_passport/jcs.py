# SPDX-License-Identifier: Apache-2.0
"""RFC 8785 JSON Canonicalization Scheme, written to the RFC, and a strict JSON parser for
untrusted input (duplicate keys, NaN/Infinity, lone surrogates and deep nesting are refused)."""
from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from .errors import PassportError

DEFAULT_MAX_DEPTH = 32
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _has_lone_surrogate(s: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def _string(s: str) -> str:
    """RFC 8785 §3.2.2.2: JSON string form, only the mandatory escapes, \\u00xx lower-case."""
    if _has_lone_surrogate(s):
        raise PassportError("ERR_PARSE_STRING", "a string holds a lone surrogate")
    out = ['"']
    for c in s:
        esc = _ESCAPES.get(c)
        if esc is not None:
            out.append(esc)
        elif ord(c) < 0x20:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def number_to_string(value: float) -> str:
    """RFC 8785 §3.2.2.3: ECMAScript Number::toString of an IEEE 754 double."""
    if math.isnan(value) or math.isinf(value):
        raise PassportError("ERR_PARSE_NUMBER", "NaN and Infinity are not JSON")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + number_to_string(-value)
    # repr() is the shortest digit string that round-trips (the digits ECMAScript asks for).
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(str(d) for d in digit_tuple).rstrip("0") or "0"
    trailing = len("".join(str(d) for d in digit_tuple)) - len(digits)
    k = len(digits)
    n = int(exponent) + trailing + k  # value = 0.digits × 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def _utf16_key(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")


def canonicalize(value: Any, max_depth: int = DEFAULT_MAX_DEPTH) -> str:
    """The RFC 8785 form of a JSON value (dict, list, str, int, float, bool, None)."""
    return _walk(value, 0, max_depth)


def _walk(v: Any, depth: int, max_depth: int) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, int):
        # JSON numbers are IEEE 754 doubles (RFC 8785 §3.2.2.3): an integer that no double holds
        # exactly would be silently changed, so it is refused (I-JSON, RFC 7493 §2.2).
        try:
            f = float(v)
        except OverflowError:
            f = math.inf
        if math.isinf(f) or int(f) != v:
            raise PassportError("ERR_PARSE_NUMBER", "the integer is not exactly a double")
        return number_to_string(f)
    if isinstance(v, float):
        return number_to_string(v)
    if depth >= max_depth:
        raise PassportError("ERR_PARSE_DEPTH", f"nesting deeper than {max_depth}")
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(_walk(x, depth + 1, max_depth) for x in v) + "]"
    if isinstance(v, dict):
        for k in v:
            if not isinstance(k, str):
                raise PassportError("ERR_PARSE_TYPE", "object keys are strings")
        # §3.2.3: members sorted by their names as arrays of UTF-16 code units.
        names = sorted(v, key=_utf16_key)
        return "{" + ",".join(f"{_string(k)}:{_walk(v[k], depth + 1, max_depth)}" for k in names) + "}"
    raise PassportError("ERR_PARSE_TYPE", f"{type(v).__name__} is not JSON")


FORBIDDEN_KEYS = frozenset({"__proto__", "constructor", "prototype"})


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise PassportError("ERR_PARSE_DUPLICATE_KEY", f"the key {k} appears twice")
        if k in FORBIDDEN_KEYS:
            raise PassportError("ERR_PARSE_FORBIDDEN_KEY", f"the key {k} is not accepted")
        if _has_lone_surrogate(k):
            raise PassportError("ERR_PARSE_STRING", "a key holds a lone surrogate")
        out[k] = v
    return out


def _int(text: str) -> int:
    """An integer literal beyond 2^53 - 1 does not survive the trip through a double: the text that
    was signed would not be the number read (RFC 8785 §3.2.2.3, I-JSON RFC 7493 §2.2)."""
    value = int(text)
    if abs(value) > 2**53 - 1:
        raise PassportError("ERR_PARSE_NUMBER", "an integer beyond 2^53 - 1")
    return value


def _refuse_constant(name: str) -> Any:
    raise PassportError("ERR_PARSE_NUMBER", f"{name} is not JSON")


def _check_depth_and_strings(v: Any, depth: int, max_depth: int) -> None:
    if depth > max_depth:
        raise PassportError("ERR_PARSE_DEPTH", f"nesting deeper than {max_depth}")
    if isinstance(v, str) and _has_lone_surrogate(v):
        raise PassportError("ERR_PARSE_STRING", "a string holds a lone surrogate")
    if isinstance(v, float) and math.isinf(v):
        raise PassportError("ERR_PARSE_NUMBER", "a number is out of range")
    children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
    for child in children:
        _check_depth_and_strings(child, depth + 1, max_depth)


def parse_json(data: bytes | str, max_bytes: int = 64 * 1024, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Strictly parse untrusted JSON: UTF-8 only, no duplicate keys, no NaN, bounded size and depth."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise PassportError("ERR_PARSE_SIZE", f"more than {max_bytes} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as cause:
        raise PassportError("ERR_PARSE_JSON", "the input is not UTF-8") from cause
    if text.startswith("\ufeff"):
        raise PassportError("ERR_PARSE_JSON", "a byte order mark is not accepted")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_refuse_constant, parse_int=_int)
    except PassportError:
        raise
    except (ValueError, RecursionError) as cause:
        raise PassportError("ERR_PARSE_JSON", "the input is not JSON") from cause
    _check_depth_and_strings(value, 0, max_depth)
    return value
