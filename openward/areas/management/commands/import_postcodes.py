"""Import postcodes from OS Code-Point Open or an ONS postcode directory style CSV."""

import gzip
from pathlib import Path

from django.core.management.base import BaseCommand

from openward.areas.importers import CodePointOpenImporter, OnsPostcodeDirectoryImporter
from openward.areas.importers.report import run_and_report


def looks_like_onspd(path: Path) -> bool:
    if path.is_dir() or path.suffix.lower() == ".zip" or not path.exists():
        return False
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
            header = fh.readline().lower()
    except OSError:
        return False
    return any(f"{name}," in header or header.startswith(name) for name in ("pcds", "pcd", "lat,", "long,"))


class Command(BaseCommand):
    help = (
        "Import postcodes: a Code-Point Open zip/folder/CSV or an ONS postcode directory CSV. Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="Code-Point Open zip, its folder, a CSV (.csv or .csv.gz), or an ONSPD-style CSV."
        )
        parser.add_argument("--format", choices=["auto", "codepoint", "onspd"], default="auto")
        parser.add_argument("--generation", default="2022", help="Ward generation of the file's ward codes.")
        parser.add_argument(
            "--names",
            help="Ward/borough names: a CSV (ward_code, ward_name, borough_code, borough_name) or Codelist.xlsx.",
        )
        parser.add_argument(
            "--districts", nargs="*", default=[], help="Keep only districts whose code starts with these, e.g. E09."
        )
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")

    def handle(self, *args, path, format, generation, names, districts, commit, **options):
        path = Path(path)
        onspd = format == "onspd" or (format == "auto" and looks_like_onspd(path))
        importer_class = OnsPostcodeDirectoryImporter if onspd else CodePointOpenImporter
        importer = importer_class(path, commit=commit, generation=generation, names=names, districts=districts)
        run_and_report(self, importer)
