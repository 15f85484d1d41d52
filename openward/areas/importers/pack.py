"""A places pack (data/london/): checked against its checksums, then loaded by the ordinary importers.

One transaction and one recorded run for the whole pack: forces, boroughs (with their force),
wards (with neighbours and police.uk neighbourhoods), postcodes and the LSOA → ward look-up
go in together or not at all. A pack whose files do not match SHA256SUMS changes nothing.
"""

from __future__ import annotations

from openward.core.importers.base import BaseImporter, ImportFailed

from .. import pack
from .boundaries import BoroughBoundaryImporter, WardBoundaryImporter
from .forces import ForceImporter
from .lookups import LsoaWardLookupImporter
from .postcodes import OnsPostcodeDirectoryImporter

# The pack's wards are the pattern London has used since May 2022 (the 2025 ONS file is that pattern).
PACK_GENERATION = "2022"


class PackPostcodes(OnsPostcodeDirectoryImporter):
    """The pack's postcodes: an ONSPD-style CSV (pcds, lat, long, osward, oslaua, lsoa21, …)."""

    name = "places-pack-postcodes"
    source_label = "places-pack"


class PlacesPackImporter(BaseImporter):
    """Load a places pack after verifying every file against its SHA256SUMS."""

    name = "places-pack"
    all_or_nothing = True

    def steps(self) -> list[tuple[str, BaseImporter]]:
        folder, progress = self.path, self.progress
        return [
            ("forces", ForceImporter(progress=progress)),
            ("boroughs", BoroughBoundaryImporter(folder / pack.FILES["boroughs"], progress=progress)),
            (
                "wards",
                WardBoundaryImporter(folder / pack.FILES["wards"], generation=PACK_GENERATION, progress=progress),
            ),
            (
                "postcodes",
                PackPostcodes(folder / pack.FILES["postcodes"], generation=PACK_GENERATION, progress=progress),
            ),
            (
                "lsoa_wards",
                LsoaWardLookupImporter(
                    folder / pack.FILES["lsoa_wards"], generation=PACK_GENERATION, census_year=2021, progress=progress
                ),
            ),
        ]

    def read(self):
        try:
            pack.verify(self.path)
        except pack.PackError as exc:
            self.fail(str(self.path), str(exc))
        # Every file is read and checked before anything is written.
        for label, importer in self.steps():
            try:
                records = list(importer.read())
            except ImportFailed as exc:
                self.problems.extend(exc.problems)
                raise ImportFailed(self.problems) from None
            self.problems.extend(importer.problems)
            yield label, importer, records

    def write(self, records):
        for label, importer, rows in records:
            importer.write(rows)
            if importer.problems:
                raise ImportFailed(importer.problems)
            for key, value in importer.counts.items():
                self.counts[f"{label}_{key}"] += value
