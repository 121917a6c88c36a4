# SPDX-License-Identifier: Apache-2.0
"""base58btc, Multikey and did:key for Ed25519 (did:key v0.7; multicodec ed25519-pub 0xed01)."""
from __future__ import annotations

from .errors import PassportError

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
_ED25519_PUB = b"\xed\x01"


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        i = _INDEX.get(c)
        if i is None:
            raise PassportError("ERR_MULTIBASE_DECODE", "not base58btc")
        n = n * 58 + i
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def encode_multikey(public_key: bytes) -> str:
    """The Multikey form (`z6Mk…`) of a 32-byte Ed25519 public key."""
    if len(public_key) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return "z" + b58encode(_ED25519_PUB + public_key)


def decode_multikey(multibase: str) -> bytes:
    """The Ed25519 public key in a Multikey; anything else is refused with its code."""
    if not isinstance(multibase, str) or not multibase.startswith("z") or len(multibase) > 128:
        raise PassportError("ERR_MULTIBASE_PREFIX", "a Multikey is base58btc (z…)")
    raw = b58decode(multibase[1:])
    if raw[:2] != _ED25519_PUB:
        raise PassportError("ERR_MULTICODEC_UNSUPPORTED", "not an Ed25519 Multikey")
    if len(raw) != 34:
        raise PassportError("ERR_KEY_LENGTH", "an Ed25519 key has 32 bytes")
    return raw[2:]


def did_key(public_key: bytes) -> str:
    return "did:key:" + encode_multikey(public_key)


def verification_method(public_key: bytes) -> str:
    """`did:key:z…#z…`: the key's own verification method."""
    mk = encode_multikey(public_key)
    return f"did:key:{mk}#{mk}"


def public_key_of_did(did: str) -> bytes:
    """The Ed25519 key of a did:key (the DID itself, without fragment)."""
    if not isinstance(did, str) or not did.startswith("did:key:") or "#" in did:
        raise PassportError("ERR_DID_INVALID", "not a did:key")
    return decode_multikey(did[len("did:key:"):])


def public_key_of_method(vm: str) -> bytes:
    """The key of a did:key verification method `did:key:X#X` (the fragment must be the key)."""
    did, sep, fragment = vm.partition("#")
    if not sep or did != "did:key:" + fragment:
        raise PassportError("ERR_DID_INVALID", "a did:key method is did:key:X#X")
    return public_key_of_did(did)
