# SPDX-License-Identifier: Apache-2.0
"""Agent keys: the toolkit's encrypted key file (made by packages/keystore), its refusals, raw seeds
from the environment, and did:key forms against the W3C vectors and this project's keys."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import AGENT_VECTORS, DATA, VECTORS, load

from agent_passport import AgentKey, PassportError, decrypt_key_file, key_from_env, load_key_file
from agent_passport.didkey import decode_multikey, encode_multikey, public_key_of_method

PASSPHRASE = "correct horse battery staple"
KEYS = load(AGENT_VECTORS / "keys.json")
FILE = load(DATA / "agent-key.json")


def test_the_toolkits_key_file_decrypts_to_the_agent_key() -> None:
    key = load_key_file(DATA / "agent-key.json", PASSPHRASE)
    assert key.did == KEYS["agent"]["did"]
    assert key.key_id == KEYS["agent"]["verificationMethod"]
    assert key.public_key.hex() == KEYS["agent"]["publicKeyHex"]


def test_passphrase_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_PASSPORT_PASSPHRASE", PASSPHRASE)
    assert load_key_file(DATA / "agent-key.json").did == KEYS["agent"]["did"]
    monkeypatch.delenv("AGENT_PASSPORT_PASSPHRASE")
    with pytest.raises(PassportError) as e:
        load_key_file(DATA / "agent-key.json")
    assert e.value.code == "ERR_KEYSTORE_PASSPHRASE_MISSING"


def edited(change) -> dict:  # noqa: ANN001
    file = copy.deepcopy(FILE)
    change(file)
    return file


@pytest.mark.parametrize(("file", "passphrase", "code"), [
    (FILE, "wrong horse battery staple", "ERR_KEYSTORE_PASSPHRASE"),
    (edited(lambda f: f["public"].update(label="renamed")), PASSPHRASE, "ERR_KEYSTORE_TAMPERED"),
    (edited(lambda f: f.update(version=2)), PASSPHRASE, "ERR_KEYSTORE_VERSION"),
    (edited(lambda f: f["kdf"].update(name="pbkdf2")), PASSPHRASE, "ERR_KEYSTORE_FORMAT"),
    ([], PASSPHRASE, "ERR_KEYSTORE_FORMAT"),
], ids=["wrong-passphrase", "public-block-edited", "version", "kdf-name", "not-an-object"])
def test_key_file_refusals(file: object, passphrase: str, code: str) -> None:
    with pytest.raises(PassportError) as e:
        decrypt_key_file(file, passphrase)
    assert e.value.code == code


def test_kdf_parameters_outside_the_limits_are_refused_before_deriving(tmp_path: Path) -> None:
    # Re-digested so that only the parameter is wrong: N = 2^21 is above the cap.
    import base64
    import hashlib

    from agent_passport.jcs import canonicalize
    file = edited(lambda f: f["kdf"].update(N=2**21))
    body = {k: v for k, v in file.items() if k != "digest"}
    file["digest"] = base64.urlsafe_b64encode(hashlib.sha256(canonicalize(body).encode()).digest()).rstrip(b"=").decode()
    with pytest.raises(PassportError) as e:
        decrypt_key_file(file, PASSPHRASE)
    assert e.value.code == "ERR_KEYSTORE_KDF_PARAMS"


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(PassportError) as e:
        load_key_file(tmp_path / "nope.json", PASSPHRASE)
    assert e.value.code == "ERR_KEYSTORE_NOT_FOUND"


def test_raw_seed_from_the_environment_hex_or_base64url() -> None:
    seed = bytes.fromhex(KEYS["agent"]["seedHex"])
    import base64
    b64 = base64.urlsafe_b64encode(seed).rstrip(b"=").decode()
    for text in (seed.hex(), b64):
        assert key_from_env("SEED", {"SEED": text}).did == KEYS["agent"]["did"]
    with pytest.raises(PassportError) as e:
        key_from_env("SEED", {})
    assert e.value.code == "ERR_KEYSTORE_NOT_FOUND"
    with pytest.raises(ValueError):
        key_from_env("SEED", {"SEED": "abcd"})


def test_fixed_seeds_give_the_vector_keys() -> None:
    import hashlib
    for name in ("agent", "attacker"):
        entry = KEYS[name]
        seed = hashlib.sha256(entry["seedLabel"].encode()).digest()
        key = AgentKey.from_seed(seed)
        assert (key.public_key.hex(), key.multibase, key.did) == (entry["publicKeyHex"], entry["publicKeyMultibase"], entry["did"])


def test_w3c_did_key_ed25519_vectors() -> None:
    vectors = load(VECTORS / "w3c" / "did-method-key-test-vectors.json")
    text = json.dumps(vectors)
    checked = 0
    for did in sorted(set(w for w in text.replace('"', " ").split() if w.startswith("did:key:z6Mk") and "#" not in w)):
        mk = did[len("did:key:"):]
        assert encode_multikey(decode_multikey(mk)) == mk
        assert public_key_of_method(f"{did}#{mk}") == decode_multikey(mk)
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize(("multibase", "code"), [
    ("u6MkfKJAj1erW7addzQyHKmSt1zFwGsuAkpbzt5f2orippNH", "ERR_MULTIBASE_PREFIX"),
    ("z0OIl", "ERR_MULTIBASE_DECODE"),
    ("zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", "ERR_MULTICODEC_UNSUPPORTED"),
    ("z5UQPCapnPymXMzof6", "ERR_KEY_LENGTH"),
])
def test_multikey_refusals(multibase: str, code: str) -> None:
    with pytest.raises(PassportError) as e:
        decode_multikey(multibase)
    assert e.value.code == code
