"""From a data.police.uk street CSV, through the importer, to the figure on the page and in the API."""

import csv
import hashlib

import pytest
from django.core.management import call_command

from openward.crime import stats

from .factories import ForceFactory, WardFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


def write_street_csv(path, month: str, crimes: int, asb: int):
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(crimes):
            pid = hashlib.sha256(f"{month}-{i}".encode()).hexdigest()
            w.writerow(
                [
                    pid,
                    month,
                    "Metropolitan Police Service",
                    "Metropolitan Police Service",
                    "-0.090000",
                    f"{51.513 + (i % 4) * 0.001:.6f}",
                    "On or near Test Street",
                    "E01000001",
                    "City of London 001A",
                    "Burglary" if i % 2 else "Violence and sexual offences",
                    "Under investigation",
                    "",
                ]
            )
        for _ in range(asb):
            w.writerow(
                [
                    "",
                    month,
                    "Metropolitan Police Service",
                    "Metropolitan Police Service",
                    "-0.090000",
                    "51.515000",
                    "On or near Test Street",
                    "E01000001",
                    "City of London 001A",
                    "Anti-social behaviour",
                    "",
                    "",
                ]
            )


def test_imported_csv_gives_the_page_and_api_figures(tmp_path, client):
    ForceFactory(slug="metropolitan", name="Metropolitan Police Service")
    ward = WardFactory(gss_code="E05000777", name="Importville", centre_lat=51.515, centre_lng=-0.09)
    write_street_csv(tmp_path / "2024-12-metropolitan-street.csv", "2024-12", crimes=37, asb=5)
    write_street_csv(tmp_path / "2023-12-metropolitan-street.csv", "2023-12", crimes=25, asb=2)
    call_command("import_crime", str(tmp_path), commit=True)

    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert (api["total"]["recent"], api["total"]["earlier"]) == (37, 25)
    assert api["latest_month"] == "2024-12"
    assert api["source"]["last_updated"] is not None
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert stats.compare_counts(37, 25).statement in html
