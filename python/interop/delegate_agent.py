# SPDX-License-Identifier: Apache-2.0
"""Cross-language driver (test/interop/python-delegation.test.ts): a Python sub-agent calls a
TypeScript service on the authority of a delegation chain.
Usage: delegate_agent.py ORIGIN PASSPORT_FILE DELEGATION_FILE WIDENED_CHAIN_FILE CHALLENGE, with the
sub-agent's key in the toolkit's encrypted key file AGENT_KEY_FILE (passphrase in
AGENT_PASSPORT_PASSPHRASE). DELEGATION_FILE holds one delegation; WIDENED_CHAIN_FILE the exact bytes
of a chain (a JSON list). Prints one JSON object: the header names it sends, the status of each
call (and the headers the service received), the widened chain's refusal, and a presentation of
the chain for CHALLENGE."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import requests  # noqa: E402

from agent_passport import (DELEGATION_HEADER, DELEGATION_REF_HEADER, PASSPORT_HEADER,  # noqa: E402
                            PASSPORT_REF_HEADER, DelegationChain, HttpxPassportAuth, Passport, PassportSigner,
                            RequestsPassportAuth, create_presentation, load_key_file)


def answer(response: httpx.Response | requests.Response) -> list:
    body = response.json()
    return [response.status_code, body.get("code") or body.get("principals")]


def main(origin: str, passport_file: str, delegation_file: str, widened_file: str, challenge: str) -> dict:
    key = load_key_file(os.environ["AGENT_KEY_FILE"])
    passport = Passport.load(passport_file)
    chain = DelegationChain.load(delegation_file)
    out: dict = {
        "key_did": key.did,
        "headers": [PASSPORT_HEADER, PASSPORT_REF_HEADER, DELEGATION_HEADER, DELEGATION_REF_HEADER],
    }
    with httpx.Client(auth=HttpxPassportAuth(PassportSigner(key, passport, delegations=chain))) as client:
        out["httpx_first"] = answer(client.get(f"{origin}/papers?q=agents"))  # the chain inline
        out["httpx_second"] = answer(client.post(f"{origin}/papers", json={"note": "compact"}))  # references
        # A service instance that never saw the chain: it asks for it, and the client sends it again.
        out["httpx_forgotten"] = answer(client.get(f"{origin}/fresh/papers"))
    session = requests.Session()
    session.auth = RequestsPassportAuth(PassportSigner(key, passport, delegations=chain))
    out["requests_first"] = answer(session.get(f"{origin}/papers"))
    out["requests_second"] = answer(session.put(f"{origin}/papers/1", data=b"bytes \x00\xff"))
    widened = DelegationChain(Path(widened_file).read_bytes())
    with httpx.Client(auth=HttpxPassportAuth(PassportSigner(key, passport, delegations=widened))) as client:
        out["widened"] = answer(client.get(f"{origin}/papers"))
    out["presentation"] = create_presentation(passport, key, challenge, "api.example", delegations=chain)
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:6])))
