# SPDX-License-Identifier: Apache-2.0
"""The agent's key: from the toolkit's encrypted key file (version 1, packages/keystore
file-format.ts) or from a raw 32-byte seed in an environment variable."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .didkey import did_key, encode_multikey
from .errors import PassportError
from .jcs import canonicalize

DEFAULT_PASSPHRASE_ENV = "AGENT_PASSPORT_PASSPHRASE"
DEFAULT_SEED_ENV = "AGENT_PASSPORT_SEED"
#: Floors and caps on scrypt's parameters (the toolkit's KDF_LIMITS).
KDF_LIMITS = {"N": (2**15, 2**20), "r": (8, 16), "p": (1, 4)}
_CHECK_LABEL = b"agent-passport keystore check v1"
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class AgentKey:
    """An Ed25519 key pair with its did:key. ``sign`` makes raw Ed25519 signatures."""

    private_key: Ed25519PrivateKey
    public_key: bytes

    @classmethod
    def from_seed(cls, seed: bytes) -> "AgentKey":
        if not isinstance(seed, (bytes, bytearray)) or len(seed) != 32:
            raise ValueError("an Ed25519 seed has 32 bytes")
        private = Ed25519PrivateKey.from_private_bytes(bytes(seed))
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(private, public)

    @property
    def multibase(self) -> str:
        return encode_multikey(self.public_key)

    @property
    def did(self) -> str:
        return did_key(self.public_key)

    @property
    def key_id(self) -> str:
        """The verification method `did:key:z…#z…` that signs requests and presentations."""
        return f"{self.did}#{self.multibase}"

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seed_from_text(text: str) -> bytes:
    """A 32-byte seed written as 64 hex digits or as base64url (43 characters, no padding)."""
    text = text.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text)
    if re.fullmatch(r"[A-Za-z0-9_-]{43}", text):
        seed = _b64url_decode(text)
        if len(seed) == 32:
            return seed
    raise ValueError("the seed is neither 64 hex digits nor 43 base64url characters")


def key_from_env(name: str = DEFAULT_SEED_ENV, environ: Mapping[str, str] | None = None) -> AgentKey:
    """The agent key whose raw seed is in an environment variable (hex or base64url)."""
    value = (os.environ if environ is None else environ).get(name)
    if not value:
        raise PassportError("ERR_KEYSTORE_NOT_FOUND", f"set {name} to the agent's 32-byte seed")
    return AgentKey.from_seed(seed_from_text(value))


def _field(value: Any, length: int | None = None) -> bytes:
    if not isinstance(value, str) or not _B64URL.match(value):
        raise PassportError("ERR_KEYSTORE_FORMAT", "a field is not base64url")
    raw = _b64url_decode(value)
    if length is not None and len(raw) != length:
        raise PassportError("ERR_KEYSTORE_FORMAT", f"a field has {len(raw)} bytes, not {length}")
    return raw


def _check_kdf(n: Any, r: Any, p: Any) -> None:
    def within(v: Any, key: str) -> bool:
        lo, hi = KDF_LIMITS[key]
        return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi

    if not (within(n, "N") and n & (n - 1) == 0 and within(r, "r") and within(p, "p")):
        raise PassportError("ERR_KEYSTORE_KDF_PARAMS", f"scrypt N={n} r={r} p={p} is outside the accepted range")


def _check_shape(file: Any) -> None:
    if not isinstance(file, dict):
        raise PassportError("ERR_KEYSTORE_FORMAT", "a key file is a JSON object")
    if file.get("version") != 1 or isinstance(file.get("version"), bool):
        raise PassportError("ERR_KEYSTORE_VERSION", f"key file version {file.get('version')!r} is not supported")
    kdf, cipher, pub = file.get("kdf"), file.get("cipher"), file.get("public")
    if not (isinstance(kdf, dict) and kdf.get("name") == "scrypt" and isinstance(cipher, dict)
            and cipher.get("name") == "aes-256-gcm" and isinstance(pub, dict)):
        raise PassportError("ERR_KEYSTORE_FORMAT", "the kdf, cipher or public block is missing or unknown")
    if pub.get("type") != "Ed25519":
        raise PassportError("ERR_KEYSTORE_FORMAT", "only Ed25519 agent keys are supported here")


def decrypt_key_file(file: Any, passphrase: str) -> AgentKey:
    """Decrypt a parsed key file; wrong passphrase, tampering, version and format have their codes."""
    _check_shape(file)
    body = {k: v for k, v in file.items() if k != "digest"}
    digest = base64.urlsafe_b64encode(hashlib.sha256(canonicalize(body).encode()).digest()).rstrip(b"=").decode()
    if not hmac.compare_digest(digest, str(file.get("digest"))):
        raise PassportError("ERR_KEYSTORE_TAMPERED", "the key file digest does not match its content")
    kdf, cipher, pub = file["kdf"], file["cipher"], file["public"]
    _check_kdf(kdf.get("N"), kdf.get("r"), kdf.get("p"))
    salt, nonce = _field(kdf.get("salt"), 16), _field(cipher.get("nonce"), 12)
    ciphertext, tag = _field(file.get("ciphertext"), 32), _field(file.get("tag"))
    check_value = _field(file.get("check"), 32)
    out = hashlib.scrypt(unicodedata.normalize("NFC", passphrase).encode(), salt=salt, n=kdf["N"], r=kdf["r"],
                         p=kdf["p"], dklen=64, maxmem=2 * 128 * kdf["N"] * kdf["r"] * kdf["p"] + 1024 * 1024)
    check = hmac.new(out[32:], _CHECK_LABEL, hashlib.sha256).digest()
    if not hmac.compare_digest(check, check_value):
        raise PassportError("ERR_KEYSTORE_PASSPHRASE", "wrong passphrase")
    if len(tag) != 16:
        raise PassportError("ERR_KEYSTORE_TAMPERED", "the authentication tag is not 16 bytes")
    header = canonicalize({"version": 1, "kdf": kdf, "cipher": cipher, "public": pub}).encode()
    try:
        seed = AESGCM(out[:32]).decrypt(nonce, ciphertext + tag, header)
    except InvalidTag as cause:
        raise PassportError("ERR_KEYSTORE_TAMPERED", "the key file does not authenticate") from cause
    key = AgentKey.from_seed(seed)
    if key.multibase != pub.get("publicKeyMultibase") or key.did != pub.get("did"):
        raise PassportError("ERR_KEYSTORE_TAMPERED", "the public block does not match the key")
    return key


def load_key_file(path: str | os.PathLike[str], passphrase: str | None = None,
                  passphrase_env: str = DEFAULT_PASSPHRASE_ENV) -> AgentKey:
    """Load an encrypted key file; the passphrase comes from the argument or the environment."""
    if passphrase is None:
        passphrase = os.environ.get(passphrase_env) or None
        if passphrase is None:
            raise PassportError("ERR_KEYSTORE_PASSPHRASE_MISSING", f"set {passphrase_env}")
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError as cause:
        raise PassportError("ERR_KEYSTORE_NOT_FOUND", f"no key file at {path}") from cause
    try:
        file = json.loads(text)
    except ValueError as cause:
        raise PassportError("ERR_KEYSTORE_FORMAT", "the key file is not JSON") from cause
    return decrypt_key_file(file, passphrase)
