# SPDX-License-Identifier: Apache-2.0
"""Paths to the repository's vendored vectors (never outside the repository)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "fixtures" / "vectors"
AGENT_VECTORS = VECTORS / "agent-passport"
DATA = Path(__file__).resolve().parent / "data"


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))
