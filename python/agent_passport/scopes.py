# SPDX-License-Identifier: Apache-2.0
"""The scope grammar (packages/schema/README.md): action:resource, exact per segment; the only
wildcards are a whole action "*", a whole resource "*", and a trailing "/*" (strictly below)."""
from __future__ import annotations

import re
from typing import Sequence

SCOPE = re.compile(r"^(\*|[a-z][a-z0-9_-]{0,31}):(\*|[a-z0-9][a-z0-9_.-]{0,63}(/[a-z0-9][a-z0-9_.-]{0,63})*(/\*)?)$")
REQUIRED_SCOPE = re.compile(r"^[a-z][a-z0-9_-]{0,31}:[a-z0-9][a-z0-9_.-]{0,63}(/[a-z0-9][a-z0-9_.-]{0,63})*$")


def is_scope(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 200 and bool(SCOPE.fullmatch(value))


def scope_grants(granted: str, required: str) -> bool:
    if not is_scope(granted) or not isinstance(required, str) or not REQUIRED_SCOPE.fullmatch(required):
        return False
    g_action, g_resource = granted.split(":", 1)
    r_action, r_resource = required.split(":", 1)
    if g_action not in ("*", r_action):
        return False
    if g_resource == "*":
        return True
    if not g_resource.endswith("/*"):
        return g_resource == r_resource
    base, want = g_resource[:-2].split("/"), r_resource.split("/")
    return len(want) > len(base) and want[: len(base)] == base


def missing_scopes(granted: Sequence[str], required: Sequence[str]) -> list[str]:
    return [r for r in required if not any(scope_grants(g, r) for g in granted)]
