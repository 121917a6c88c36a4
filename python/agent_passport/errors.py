# SPDX-License-Identifier: Apache-2.0
"""PassportError: every refusal carries a stable code, the same codes as the TypeScript toolkit
(docs/errors.md)."""
from __future__ import annotations


class PassportError(Exception):
    """Bad input, with a stable ``code`` such as ``ERR_SIG_INVALID``."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message or code
