"""Dates at the precision a source gives them: '2025', '2025-06' or '2025-06-11'.

A date is never padded into a false day: '2025-06' stays June 2025 on every page.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = [
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """As written in the data: '2025', '2025-06' or '2025-06-11'."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out

    def human(self) -> str:
        """'2025', 'June 2025' or '11 June 2025'."""
        if self.day:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    def earliest(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    def latest(self) -> tuple[int, int, int]:
        month = self.month or 12
        return (self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def sort_key(self) -> tuple[int, int, int]:
        """Sorts a month or year before the days inside it."""
        return (self.year, self.month or 0, self.day or 0)


@lru_cache(maxsize=65536)  # pages ask for the same few thousand dates again and again
def parse(value) -> PartialDate:
    """Parse a data value into a PartialDate; raises ValueError with a plain-words reason."""
    text = str(value)
    match = FORM.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date; write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month}; months run from 01 to 12")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"'{text}' is not a real day: {MONTHS[month]} {year} has {last} days")
    return PartialDate(year, month, day)
