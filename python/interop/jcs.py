# SPDX-License-Identifier: Apache-2.0
"""Cross-language driver (test/interop/python.test.ts): for each line of FILE (one JSON text, itself
JSON-encoded), print the RFC 8785 form of its strict parse, or the refusal's code."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_passport import PassportError, canonicalize, parse_json  # noqa: E402


def main(path: str) -> None:
    out = []
    for line in Path(path).read_text("utf-8").splitlines():
        text = json.loads(line)
        try:
            out.append({"canonical": canonicalize(parse_json(text.encode("utf-8", "surrogatepass"), 1 << 20))})
        except PassportError as refusal:
            out.append({"code": refusal.code})
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
