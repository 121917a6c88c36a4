# SPDX-License-Identifier: Apache-2.0
"""Cross-language driver (test/interop/python.test.ts): the Python agent calls a TypeScript service.
Usage: agent.py ORIGIN PASSPORT_FILE CHALLENGE, with the agent key in the toolkit's encrypted key file
AGENT_KEY_FILE (passphrase in AGENT_PASSPORT_PASSPHRASE) or as a raw seed in AGENT_PASSPORT_SEED. Prints
one JSON object: the key's DID, the status of each call, the codes of tampered calls, and a
presentation for CHALLENGE."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import requests  # noqa: E402

from agent_passport import (HttpxPassportAuth, Passport, PassportSigner, RequestsPassportAuth,  # noqa: E402
                            create_presentation, key_from_env, load_key_file)


def main(origin: str, passport_file: str, challenge: str) -> dict:
    key_file = os.environ.get("AGENT_KEY_FILE")
    key = load_key_file(key_file) if key_file else key_from_env()
    passport = Passport.load(passport_file)
    signer = PassportSigner(key, passport)
    out: dict = {"key_did": key.did}
    with httpx.Client(auth=HttpxPassportAuth(signer)) as client:
        out["httpx_get"] = client.get(f"{origin}/api/notes?limit=2").status_code
        out["httpx_post"] = client.post(f"{origin}/api/notes", json={"title": "from python"}).status_code
    session = requests.Session()
    session.auth = RequestsPassportAuth(PassportSigner(key, passport))
    out["requests_get"] = session.get(f"{origin}/api/notes").status_code
    out["requests_put"] = session.put(f"{origin}/api/notes/7", data=b"bytes \x00\xff").status_code
    body = b'{"title":"signed"}'
    headers = signer.sign("POST", f"{origin}/api/notes", {"content-type": "application/json"}, body).headers
    tampered = {
        "body": httpx.post(f"{origin}/api/notes", headers=headers, content=b'{"title":"SIGNED"}'),
        "path": httpx.post(f"{origin}/api/admin", headers=headers, content=body),
        "method": httpx.put(f"{origin}/api/notes", headers=headers, content=body),
    }
    out["tampered"] = {k: [r.status_code, r.json().get("code")] for k, r in tampered.items()}
    out["presentation"] = create_presentation(passport, key, challenge, "api.service.example")
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
