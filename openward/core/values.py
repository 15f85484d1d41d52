"""Small value objects that normalise input once, at the edge."""

from __future__ import annotations

import re
from dataclasses import dataclass

_POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class InvalidPostcode(ValueError):
    """The text cannot be a UK postcode."""


class PostcodeNotInWard(ValueError):
    """The postcode is valid but we cannot place it in a ward."""


class InvalidMonth(ValueError):
    """The text is not a YYYY-MM month."""


@dataclass(frozen=True, order=True)
class Postcode:
    """A UK postcode, stored without spaces ("SW1A1AA") and shown with one ("SW1A 1AA")."""

    compact: str

    @classmethod
    def parse(cls, text: str) -> Postcode:
        compact = re.sub(r"\s+", "", str(text or "")).upper()
        if not _POSTCODE_RE.match(compact):
            shown = str(text or "").strip()[:20]
            raise InvalidPostcode(
                f'"{shown}" is not a UK postcode. A postcode looks like "SW1A 1AA": '
                "one or two letters, a number, then a number and two letters."
            )
        return cls(compact)

    @property
    def outcode(self) -> str:
        return self.compact[:-3]

    @property
    def incode(self) -> str:
        return self.compact[-3:]

    @property
    def display(self) -> str:
        return f"{self.outcode} {self.incode}"

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, as data.police.uk writes it: "2024-01"."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH_RE.match(str(text or "").strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise InvalidMonth(f'"{str(text)[:20]}" is not a month. Write it as YYYY-MM, for example 2024-01.')
        return cls(int(m.group(1)), int(m.group(2)))

    def add(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
