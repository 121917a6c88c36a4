# SPDX-License-Identifier: Apache-2.0
"""Structured Field Values (RFC 8941) for the three headers this profile uses: Signature-Input,
Signature and Content-Digest. Parsing follows RFC 8941 §4.2; serialising §4.1, so that
``@signature-params`` can be rebuilt in its canonical form (RFC 9421 §2.3)."""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Union


@dataclass(frozen=True)
class Token:
    value: str


BareItem = Union[int, Decimal, str, Token, bytes, bool]
Params = dict[str, BareItem]
Item = tuple[BareItem, Params]
InnerList = tuple[list[Item], Params]
Dictionary = dict[str, Union[Item, InnerList]]

_KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
_TOKEN = re.compile(r"[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*")
_INT_OR_DEC = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,3})?")
_B64 = re.compile(r"[A-Za-z0-9+/=]*")


class _Parser:
    def __init__(self, text: str) -> None:
        if not text.isascii():
            raise ValueError("structured fields are ASCII")
        self.s = text
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def ows(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def dictionary(self) -> Dictionary:
        while self.peek() == " ":
            self.i += 1
        out: Dictionary = {}
        while self.i < len(self.s):
            key = self.key()
            if self.peek() == "=":
                self.i += 1
                member: Item | InnerList = self.inner_list() if self.peek() == "(" else (self.bare(), self.params())
            else:
                member = (True, self.params())
            out[key] = member
            self.ows()
            if self.i >= len(self.s):
                return out
            if self.peek() != ",":
                raise ValueError(f"expected a comma at {self.i}")
            self.i += 1
            self.ows()
            if self.i >= len(self.s):
                raise ValueError("trailing comma")
        return out

    def inner_list(self) -> InnerList:
        self.i += 1
        items: list[Item] = []
        while self.i < len(self.s):
            while self.peek() == " ":
                self.i += 1
            if self.peek() == ")":
                self.i += 1
                return items, self.params()
            items.append((self.bare(), self.params()))
            if self.peek() not in (" ", ")"):
                raise ValueError(f"bad inner list at {self.i}")
        raise ValueError("unterminated inner list")

    def params(self) -> Params:
        out: Params = {}
        while self.peek() == ";":
            self.i += 1
            while self.peek() == " ":
                self.i += 1
            key = self.key()
            value: BareItem = True
            if self.peek() == "=":
                self.i += 1
                value = self.bare()
            out[key] = value
        return out

    def key(self) -> str:
        m = _KEY.match(self.s, self.i)
        if not m:
            raise ValueError(f"bad key at {self.i}")
        self.i = m.end()
        return m.group(0)

    def bare(self) -> BareItem:
        c = self.peek()
        if c == '"':
            return self.string()
        if c == ":":
            end = self.s.find(":", self.i + 1)
            raw = self.s[self.i + 1:end] if end >= 0 else None
            if raw is None or not _B64.fullmatch(raw):
                raise ValueError("bad byte sequence")
            self.i = end + 1
            return base64.b64decode(raw + "=" * (-len(raw) % 4))
        if c == "?":
            v = self.s[self.i + 1:self.i + 2]
            if v not in ("0", "1"):
                raise ValueError("bad boolean")
            self.i += 2
            return v == "1"
        if c == "-" or c.isdigit():
            m = _INT_OR_DEC.match(self.s, self.i)
            if not m:
                raise ValueError("bad number")
            self.i = m.end()
            return Decimal(m.group(0)) if m.group(1) else int(m.group(0))
        m = _TOKEN.match(self.s, self.i)
        if not m:
            raise ValueError(f"bad item at {self.i}")
        self.i = m.end()
        return Token(m.group(0))

    def string(self) -> str:
        self.i += 1
        out = []
        while self.i < len(self.s):
            c = self.s[self.i]
            self.i += 1
            if c == "\\":
                nxt = self.peek()
                if nxt not in ('"', "\\"):
                    raise ValueError("bad escape")
                out.append(nxt)
                self.i += 1
            elif c == '"':
                return "".join(out)
            elif not (0x20 <= ord(c) <= 0x7E):
                raise ValueError("bad string character")
            else:
                out.append(c)
        raise ValueError("unterminated string")


def parse_dictionary(text: str) -> Dictionary:
    """Parse a structured-field dictionary; ValueError when it is not one."""
    return _Parser(text).dictionary()


def serialize_bare(v: BareItem) -> str:
    if isinstance(v, bool):
        return "?1" if v else "?0"
    if isinstance(v, int):
        if abs(v) > 999_999_999_999_999:
            raise ValueError("integer out of range")
        return str(v)
    if isinstance(v, Decimal):
        # §4.1.5: at most three fraction digits, at least one.
        text = format(v.quantize(Decimal("0.001")), "f").rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(v, Token):
        return v.value
    if isinstance(v, bytes):
        return ":" + base64.b64encode(v).decode() + ":"
    if isinstance(v, str):
        if any(not (0x20 <= ord(c) <= 0x7E) for c in v):
            raise ValueError("strings are printable ASCII")
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(f"{type(v).__name__} is not a structured-field item")


def serialize_params(params: Params) -> str:
    return "".join(f";{k}" if v is True else f";{k}={serialize_bare(v)}" for k, v in params.items())


def serialize_inner_list(inner: InnerList) -> str:
    items, params = inner
    return "(" + " ".join(serialize_bare(v) + serialize_params(p) for v, p in items) + ")" + serialize_params(params)
