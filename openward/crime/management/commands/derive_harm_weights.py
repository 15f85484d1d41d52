"""Derive police.uk category harm weights from CSS offence weights and recorded offence volumes.

    manage.py derive_harm_weights css_offence_weights.csv prc-pfa-2017-18.csv.gz [--write]

The first file has `offence_code,weight` (ONS Crime Severity Score "List of weights"); the second
is the Home Office police recorded crime open data by force and offence with a `Policeuk_Cat`
column. Prints each category's derived weight, or why it has none; `--write` replaces
openward/crime/data/harm_weights.csv.
"""

import csv
import gzip
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openward.core import csvsafe
from openward.crime.harm import WEIGHTS_FILE, derive_category_weights
from openward.crime.importers.categories import CATEGORY_NAMES, category_slug

# Offences reported to Action Fraud are not in police.uk's street-level data.
NOT_ON_POLICE_UK = {"Action Fraud"}


def _rows(path: Path) -> list[dict]:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


class Command(BaseCommand):
    help = "Derive category harm weights (volume-weighted CSS offence weights); --write saves them."

    def add_arguments(self, parser):
        parser.add_argument("offence_weights", type=Path)
        parser.add_argument("volumes", type=Path)
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--source", default="ONS Crime Severity Score offence weights", help="Cited per row.")

    def handle(self, *args, offence_weights, volumes, write, source, **options):
        try:
            weights = {r["offence_code"].strip(): float(r["weight"]) for r in _rows(offence_weights)}
            volume_rows = []
            for line, r in enumerate(_rows(volumes), start=2):
                if r["Force_Name"] in NOT_ON_POLICE_UK:
                    continue
                slug = category_slug(r["Policeuk_Cat"])
                if slug is None:
                    raise CommandError(f'{volumes}:{line}: "{r["Policeuk_Cat"]}" is not a police.uk category.')
                volume_rows.append((r["Offence_Code"].strip(), slug, int(r["Number_of_Offences"] or 0)))
        except (KeyError, ValueError) as exc:
            raise CommandError(f"Could not read the files: {exc}. See docs/harm-weights.md for their columns.") from exc
        derived = derive_category_weights(weights, volume_rows)
        rows = []
        for slug in CATEGORY_NAMES:
            if slug == "public-disorder-weapons":
                continue
            d = derived.get(slug)
            if d is None:
                rows.append((slug, "", "no recorded offences map to this category"))
            elif d.weight is None:
                rows.append((slug, "", d.reason))
            else:
                rows.append((slug, f"{d.weight:.4f}", f"{source}; {d.reason} over {d.offences} offences"))
            self.stdout.write(f"{slug}: {rows[-1][1] or '-'}  {rows[-1][2]}")
        if write:
            with open(WEIGHTS_FILE, "w", newline="", encoding="utf-8") as fh:
                out = csvsafe.writer(fh)
                out.writerow(["slug", "weight", "source"])
                out.writerows(rows)
            self.stdout.write(f"Written to {WEIGHTS_FILE}.")
