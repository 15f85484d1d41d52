"""The thin commands: import_crime rehearses by default and commits on request; crime_summary counts."""

import pytest
from django.core.management import CommandError, call_command

from openward.crime.models import Crime
from openward.crime.tests.fixtures import areas
from openward.crime.tests.test_import_street import ID1, ID2, row, write

pytestmark = pytest.mark.django_db


def test_import_crime_dry_run_then_commit_then_summary(tmp_path, capsys):
    areas.force("city-of-london")
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1, crime_type="Burglary"),
        row(ID2, crime_type="Burglary"),
        row("", crime_type="Anti-social behaviour"),
        row("", month="2023-02"),
    )
    call_command("import_crime", str(path), "--no-progress")
    assert Crime.objects.count() == 0
    assert "Dry run" in capsys.readouterr().out
    call_command("import_crime", str(path), "--commit", "--no-progress")
    out = capsys.readouterr().out
    assert "crime_rows 3" in out and ':5: Month "2023-02" differs' in out
    call_command("crime_summary", "--force", "city-of-london", "--month", "2023-01")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "city-of-london · 2023-01"
    assert lines[1].split() == ["Burglary", "2"]
    assert lines[2].split() == ["Anti-social", "behaviour", "1"]
    assert lines[3].split()[-1] == "3"


def test_import_crime_reports_failure_as_a_command_error(tmp_path):
    path = write(tmp_path, "2023-01-nowhere-street.csv", row(ID1))
    with pytest.raises(CommandError, match="Nothing was imported from"):
        call_command("import_crime", str(path), "--commit", "--no-progress")


def test_crime_summary_needs_a_force_or_ward():
    with pytest.raises(CommandError, match="Give --force or --ward"):
        call_command("crime_summary")
    with pytest.raises(CommandError, match='Ward "E05999999" is not known'):
        call_command("crime_summary", "--ward", "E05999999")


def test_crime_summary_for_a_ward(tmp_path, capsys):
    import datetime as dt

    areas.force("city-of-london")
    gen = areas.generation("2022", dt.date(2022, 5, 5), None)
    areas.ward("E05009001", gen, (-0.10, 51.51, -0.085, 51.52))
    path = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1), row(ID2, lng="-0.0500"))
    call_command("import_crime", str(path), "--commit", "--no-progress")
    capsys.readouterr()
    call_command("crime_summary", "--ward", "E05009001")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Ward E05009001 (E05009001)"
    assert lines[1].split() == ["Burglary", "1"]  # the other crime lies outside the ward
