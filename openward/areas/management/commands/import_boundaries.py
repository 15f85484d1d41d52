"""Import ward, borough or LSOA boundaries from GeoJSON or an ESRI shapefile."""

from django.core.management.base import BaseCommand

from openward.areas.importers import BOUNDARY_SOURCES
from openward.areas.importers.report import run_and_report


class Command(BaseCommand):
    help = (
        "Import boundaries (GeoJSON or shapefile with its .prj, any CRS). Wards also get their neighbours "
        "and police.uk neighbourhoods. Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=".geojson, .shp (with .shx, .dbf, .prj) or a .zip of one.")
        parser.add_argument(
            "--source",
            choices=sorted(BOUNDARY_SOURCES),
            default="wards",
            help="What the file is; wards, boroughs and lsoas find the usual ONS attribute names themselves.",
        )
        parser.add_argument("--generation", help="Ward generation: 2014, 2018 or 2022 (default: the source's).")
        parser.add_argument("--census-year", type=int, choices=[2011, 2021], default=2021, help="For LSOAs.")
        parser.add_argument("--code-field", help="Attribute holding the GSS code.")
        parser.add_argument("--name-field", help="Attribute holding the name.")
        parser.add_argument("--borough-field", help="Attribute holding the borough's GSS code (wards, LSOAs).")
        parser.add_argument(
            "--repair-geometry",
            action="store_true",
            default=None,
            help="Repair invalid polygons instead of refusing the file.",
        )
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")

    def handle(
        self,
        *args,
        path,
        source,
        generation,
        census_year,
        code_field,
        name_field,
        borough_field,
        repair_geometry,
        commit,
        **options,
    ):
        importer_class = BOUNDARY_SOURCES[source]
        extra = {}
        if source in {"lsoas"}:
            extra["census_year"] = census_year
        elif "ward" in source:
            extra["generation"] = generation
        importer = importer_class(
            path,
            commit=commit,
            code_field=code_field,
            name_field=name_field,
            parent_field=borough_field,
            repair_geometry=repair_geometry,
            **extra,
        )
        run_and_report(self, importer)
