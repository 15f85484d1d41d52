"""Build the London places pack (data/london/) from the official downloads.

    .venv/bin/python scripts/build_london_pack.py \
        --wards Wards_December_2025_Boundaries_UK_BGC.geojson \
        --postcodes codepo_gb.zip \
        --lsoas LSOA_2021_EW_BGC.shp

Where to download each file, and its licence: docs/data-sources.md ("The London places pack").
The pack's own README says what it holds. Commit the rebuilt folder; `make run` loads it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", required=True, type=Path, help="ONS ward boundaries (GeoJSON or shapefile).")
    parser.add_argument("--postcodes", required=True, type=Path, help="OS Code-Point Open: the zip, folder or CSV.")
    parser.add_argument("--lsoas", required=True, type=Path, help="ONS LSOA (2021) boundaries (shapefile or GeoJSON).")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "london", help="The pack folder to write.")
    parser.add_argument("--wards-release", default=None, help='e.g. "Wards (December 2026) Boundaries UK BGC".')
    parser.add_argument("--postcodes-release", default=None, help='e.g. "OS Code-Point Open 2026.1".')
    parser.add_argument("--lsoas-release", default=None)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.dev")
    import django

    django.setup()
    from openward.areas.pack import PackError, Sources, build_pack

    releases = {
        key: value
        for key, value in (
            ("wards_release", args.wards_release),
            ("postcodes_release", args.postcodes_release),
            ("lsoas_release", args.lsoas_release),
        )
        if value
    }
    try:
        build_pack(Sources(args.wards, args.postcodes, args.lsoas, **releases), args.out)
    except PackError as exc:
        print(f"The pack was not built: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
