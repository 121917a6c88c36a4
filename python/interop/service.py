# SPDX-License-Identifier: Apache-2.0
"""Cross-language driver (test/interop/python.test.ts): a Python service the TypeScript agent calls.
Usage: service.py ISSUER (a did:key, or a file holding the issuer's DID document). Prints its origin on the first line, then one JSON line
per request it verified; stops when stdin closes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from service import Service  # noqa: E402

from agent_passport import RequestVerifier, Verifier  # noqa: E402


def main(issuer: str) -> None:
    trusted = issuer if issuer.startswith("did:key:") else json.loads(Path(issuer).read_text("utf-8"))
    service = Service(lambda origin: RequestVerifier(Verifier([trusted]), origin))
    original = service.verifier.verify

    def logged(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = original(*args, **kwargs)
        print(json.dumps({"verified": result.verified, "code": result.code, "agent": result.agent,
                          "compact": args[2] is not None and "agent-passport" not in {k.lower() for k, _ in args[2]}}),
              flush=True)
        return result

    service.verifier.verify = logged  # type: ignore[method-assign]
    print(service.origin, flush=True)
    sys.stdin.read()
    service.close()


if __name__ == "__main__":
    main(sys.argv[1])
