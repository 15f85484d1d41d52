"""A stored month and the files that try to replace it, for the tests of what an import may never lose."""

from __future__ import annotations

import datetime as dt

from openward.crime.importers.frames import STOPS_HEADER, STREET_HEADER

from .plain import csv_bytes

MONTH = dt.date(2023, 1, 1)
STREET_NAME = "2023-01-city-of-london-street.csv"
STOPS_NAME = "2023-01-city-of-london-stop-and-search.csv"
TYPES = ["Burglary", "Shoplifting", "Anti-social behaviour", "Violence and sexual offences", "Drugs"]


def street_rows(n: int = 40, month: str = "2023-01") -> list[list[str]]:
    """`n` valid street rows, no two alike in more than one field (distinct id and longitude)."""
    rows = []
    for i in range(n):
        kind = TYPES[i % len(TYPES)]
        crime_id = "" if kind == "Anti-social behaviour" else f"{i:064x}"
        location = "On or near Café Row" if i % 7 == 3 else f"On or near Street {i}"
        rows.append(
            [crime_id, month, "City of London Police", "City of London Police", f"{-0.0900 - i / 10000:.4f}",
             "51.5150", location, "E01000001", "City of London 001A", kind, "Under investigation", ""]
        )  # fmt: skip
    return rows


def street_file(rows: list[list[str]] | None = None, *, newline: str = "\r\n") -> bytes:
    return csv_bytes(list(STREET_HEADER), street_rows() if rows is None else rows, newline=newline)


def stop_rows(n: int = 30, month: str = "2023-01") -> list[list[str]]:
    return [
        ["Person search", f"{month}-{1 + i % 28:02d}T{i % 24:02d}:15:00+00:00", "False", "", "51.515",
         f"{-0.09 - i / 10000:.4f}", "Male", "18-24", "White - English", "White",
         "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs", "Arrest", "True", "False"]
        for i in range(n)
    ]  # fmt: skip


def stops_file(rows: list[list[str]] | None = None) -> bytes:
    return csv_bytes(list(STOPS_HEADER), stop_rows() if rows is None else rows, newline="\n")
