# SPDX-License-Identifier: Apache-2.0
"""RFC 3339 date-times with an explicit offset (VCDM 2.0 dateTimeStamp), as the toolkit reads them."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

DATE_TIME_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$")


def parse_date_time(value: Any) -> float | None:
    """Seconds since the epoch, or None when ``value`` is not a dateTimeStamp."""
    if not isinstance(value, str) or not DATE_TIME_STAMP.match(value):
        return None
    text = value.replace("Z", "+00:00")
    main, _, rest = text.partition(".")
    if rest:  # keep at most microseconds: fromisoformat takes six fraction digits
        frac, offset = rest[:-6], rest[-6:]
        text = f"{main}.{frac[:6].ljust(6, '0')}{offset}"
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def format_date_time(when: datetime) -> str:
    """The shortest dateTimeStamp of a time, in UTC, whole seconds (how the toolkit writes `created`)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
