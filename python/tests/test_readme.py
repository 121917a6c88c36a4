# SPDX-License-Identifier: Apache-2.0
"""Every ```python block of python/README.md runs, in order, in one namespace, against a real
service on 127.0.0.1; each `print(...)  # expected` prints what its comment says."""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import DATA
from vectors import KEYS, PASSPORT

from agent_passport import AgentKey
from agent_passport.dates import format_date_time
from agent_passport.proof import add_proof

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)


def fresh_passport() -> bytes:
    """The vector passport with validity around today, signed again with the (test) issuer key."""
    credential = json.loads(json.dumps(PASSPORT["passport"]))
    proof = credential.pop("proof")
    now = datetime.now(timezone.utc)
    credential["validFrom"] = format_date_time(now - timedelta(days=1))
    credential["validUntil"] = format_date_time(now + timedelta(days=30))
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    options["created"] = format_date_time(now - timedelta(days=1))
    issuer = AgentKey.from_seed(bytes.fromhex(KEYS["issuer"]["seedHex"]))
    return json.dumps(add_proof(credential, options, issuer.sign), separators=(",", ":")).encode()


def expected_outputs(block: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^print\(.*\)\s+# (.*)$", block, re.M)]


def test_the_readme_has_its_examples() -> None:
    assert len(BLOCKS) >= 6


def test_every_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(DATA / "agent-key.json", tmp_path / "agent-key.json")
    (tmp_path / "passport.json").write_bytes(fresh_passport())
    (tmp_path / "issuer-did.json").write_text(json.dumps(KEYS["issuerDidDocument"]))
    # The sub-agent example only signs with its chain (test_delegation.py; the TypeScript verifier
    # accepts real chains in test/interop/python-delegation.test.ts): a stand-in delegation naming it.
    (tmp_path / "planner-passport.json").write_bytes(fresh_passport())
    (tmp_path / "delegation.json").write_text(json.dumps({
        "id": "urn:uuid:5b1f", "type": ["VerifiableCredential", "AgentDelegation"],
        "credentialSubject": {"id": KEYS["agent"]["did"], "scopes": ["read:arxiv"]}}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AGENT_PASSPORT_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setenv("AGENT_PASSPORT_SEED", KEYS["agent"]["seedHex"])
    namespace: dict = {"__name__": "readme"}
    try:
        for i, block in enumerate(BLOCKS):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block, f"README block {i}", "exec"), namespace)  # noqa: S102
            printed = out.getvalue()
            for expected in expected_outputs(block):
                assert expected in printed, f"block {i}: {expected!r} not in {printed!r}"
    finally:
        if "server" in namespace:
            namespace["server"].server_close()
    assert namespace["first"].status_code == 200 and namespace["second"].status_code == 200
    assert namespace["tampered"].json()["code"] == "ERR_DIGEST_MISMATCH"
    assert namespace["result"].verified
