"""Independent checks for import tests: run the command as manage.py does, count with plain SQL and csv.

Nothing here goes through the importer, so a test can compare what it stored with what the
file holds without trusting the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from contextlib import redirect_stderr, redirect_stdout

from django.core.management import ManagementUtility
from django.db import connection


def manage(monkeypatch, *argv: str) -> tuple[int, str, str]:
    """Run `manage.py <argv>` in this process: (exit status, stdout, stderr), as a shell would see them.

    Django closes every database connection after a command; inside a test's transaction that
    would end the test database, so only that is switched off.
    """
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            ManagementUtility(["manage.py", *argv, "--skip-checks"]).execute()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def ids(table: str, month: dt.date) -> list[int]:
    """Primary keys of one month's rows of a crime app table (crime, stop, outcome, monthlycount…), in order."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM crime_{table} WHERE month = %s ORDER BY id", [month])
        return [r[0] for r in cursor.fetchall()]


def monthly_total(month: dt.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(count), 0) FROM crime_monthlycount WHERE month = %s", [month])
        return cursor.fetchone()[0]


def values(sql: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [tuple(r) for r in cursor.fetchall()]


def csv_records(data: bytes) -> list[list[str]]:
    """Every record after the header, read by Python's csv module from text decoded leniently."""
    text = data.decode("utf-8-sig", errors="replace")
    return [r for r in list(csv.reader(io.StringIO(text, newline="")))[1:] if r]


def csv_bytes(header: list[str], rows: list[list[str]], *, newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
