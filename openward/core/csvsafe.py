"""CSV for people to open in spreadsheets: a text cell that could start a formula is neutralised.

A cell beginning with = + - @ tab or carriage return is taken by Excel, LibreOffice and Google
Sheets as a formula (`=HYPERLINK(…)`, `-2+3`, `@SUM(…)`), so text from the public or from an
imported file could run when someone opens an export. Such cells get a leading apostrophe, as
OWASP recommends; plain numbers ("-6.3", "+2") are left alone, since a spreadsheet reads them as
numbers and nothing runs. Every CSV export writes through `writer` or `dict_writer`.
"""

from __future__ import annotations

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value):
    """The value as it is safe to write: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row):
        return self._inner.writerow([cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class _SafeDictWriter:
    def __init__(self, inner):
        self._inner = inner

    def writeheader(self):
        return self._inner.writeheader()

    def writerow(self, row):
        return self._inner.writerow({k: cell(v) for k, v in row.items()})

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs) -> _SafeWriter:
    """csv.writer whose cells are neutralised."""
    return _SafeWriter(csv.writer(out, **kwargs))


def dict_writer(out, fieldnames, **kwargs) -> _SafeDictWriter:
    """csv.DictWriter whose cells are neutralised."""
    return _SafeDictWriter(csv.DictWriter(out, fieldnames=fieldnames, **kwargs))
