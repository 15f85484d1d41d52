"""Boundary importers: GeoJSON FeatureCollections and ESRI shapefiles in any CRS, stored as WGS84 GeoJSON.

A source declares which attribute holds the GSS code, the name and the parent borough's code;
the base reads the file, reprojects with pyproj (the CRS comes from the shapefile's .prj or the
GeoJSON's `crs`), refuses invalid geometry by naming the feature, and upserts on the code.
"""

from __future__ import annotations

import json
import re
import struct
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapefile
import shapely
from django.db import transaction
from django.utils.text import slugify
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import shape
from shapely.validation import explain_validity

from openward.core.bulk import update_rows
from openward.core.importers.base import BaseImporter

from ..geo import boundaries_changed
from ..models import Lsoa, Ward
from ..signals import ward_generation_imported
from . import places
from .files import SourceError, decode_utf8, open_zip, read_bytes
from .neighbours import link_neighbours, open_neighbourhoods

WGS84 = CRS.from_epsg(4326)
BOUNDED_FIELDS = ["boundary", "min_lat", "max_lat", "min_lng", "max_lng", "centre_lat", "centre_lng"]


@dataclass
class BoundaryFeature:
    where: str
    code: str
    name: str
    parent_code: str
    parent_name: str
    geometry: shapely.Geometry
    properties: dict


def set_bounds(obj, geometry: shapely.Geometry) -> None:
    """Fill a Bounded model's boundary (GeoJSON text, 6 decimals ≈ 10 cm), box and centre."""
    rounded = shapely.transform(geometry, lambda c: np.round(c, 6))
    obj.boundary = shapely.to_geojson(rounded)
    obj.min_lng, obj.min_lat, obj.max_lng, obj.max_lat = (round(v, 6) for v in geometry.bounds)
    centre = geometry.centroid
    if not geometry.contains(centre):
        centre = geometry.representative_point()
    obj.centre_lat, obj.centre_lng = round(centre.y, 6), round(centre.x, 6)


def _pick(candidates: tuple[str, ...] | str | None, fields: list[str]) -> str | None:
    """The first attribute matching a candidate (exact name, case-insensitive, or a regular expression)."""
    if not candidates:
        return None
    if isinstance(candidates, str):
        candidates = (candidates,)
    for candidate in candidates:
        for f in fields:
            if re.fullmatch(candidate, f, re.I):
                return f
    return None


class BoundaryImporter(BaseImporter):
    """Read features, reproject, check; subclasses declare fields and how features are stored."""

    all_or_nothing = True
    code_field: tuple[str, ...] = ()
    name_field: tuple[str, ...] = ()
    parent_field: tuple[str, ...] = ()
    parent_name_field: tuple[str, ...] = ()
    code_pattern = r"^[EWSN]\d{8}$"
    # Data fix for sources known to ship self-touching rings; set on those sources only, with a reason.
    repair_invalid_geometry = False

    def __init__(
        self,
        path,
        *,
        code_field=None,
        name_field=None,
        parent_field=None,
        repair_geometry: bool | None = None,
        demo: bool = False,
        **kwargs,
    ):
        super().__init__(path, **kwargs)
        self.code_field = (code_field,) if code_field else type(self).code_field
        self.name_field = (name_field,) if name_field else type(self).name_field
        self.parent_field = (parent_field,) if parent_field else type(self).parent_field
        if repair_geometry is not None:
            self.repair_invalid_geometry = repair_geometry
        self.demo = demo

    # -- reading ----------------------------------------------------------------------------
    def read(self):
        try:
            crs, fields, rows = self.read_source()
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        code_f = _pick(self.code_field, fields)
        name_f = _pick(self.name_field, fields)
        parent_f = _pick(self.parent_field, fields)
        parent_name_f = _pick(self.parent_name_field, fields)
        for label, chosen, needed in (
            ("code", code_f, self.code_field),
            ("name", name_f, self.name_field),
            ("parent code", parent_f, self.parent_field),
        ):
            if needed and not chosen:
                self.fail(
                    str(self.path),
                    f"no {label} attribute: expected one of {', '.join(needed)} (the file has {', '.join(fields)}). "
                    f"Name it with --{label.replace(' ', '-').replace('parent-code', 'borough')}-field.",
                )
        transformer = (
            None if crs.equals(WGS84, ignore_axis_order=True) else Transformer.from_crs(crs, WGS84, always_xy=True)
        )
        seen: dict[str, str] = {}
        for where, props, geometry in self.bar(rows, desc="features"):
            code = str(props.get(code_f) or "").strip()
            name = str(props.get(name_f) or "").strip() if name_f else ""
            label = f"{where} ({code or 'no code'}{' ' + name if name else ''})"
            self.counts["features_read"] += 1
            if not self.wanted(code):
                self.counts["features_skipped"] += 1
                continue
            if not re.match(self.code_pattern, code):
                self.problem(label, f'"{code}" is not a GSS code of the expected kind ({self.code_pattern}).')
                continue
            if code in seen:
                self.problem(label, f"the code {code} is also used by {seen[code]}.")
                continue
            seen[code] = where
            geometry = self.check_geometry(label, geometry)
            if geometry is None:
                continue
            if transformer is not None:
                geometry = shapely.transform(
                    geometry, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1]))
                )
            yield BoundaryFeature(
                where=label,
                code=code,
                name=name,
                parent_code=str(props.get(parent_f) or "").strip() if parent_f else "",
                parent_name=str(props.get(parent_name_f) or "").strip() if parent_name_f else "",
                geometry=geometry,
                properties=props,
            )

    def wanted(self, code: str) -> bool:
        """Hook: skip features that are not this importer's kind (e.g. the merged City in a ward file)."""
        return True

    def check_geometry(self, label: str, geometry) -> shapely.Geometry | None:
        if geometry is None or geometry.is_empty:
            self.problem(label, "the feature has no geometry.")
            return None
        if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
            self.problem(label, f"the geometry is a {geometry.geom_type}; an area needs a Polygon or MultiPolygon.")
            return None
        if not geometry.is_valid:
            reason = explain_validity(geometry)
            if not self.repair_invalid_geometry:
                self.problem(
                    label,
                    f"the geometry is invalid ({reason}). Repair it (e.g. QGIS “Fix geometries”) and import again, "
                    "or use --repair-geometry if you accept an automatic repair.",
                )
                return None
            repaired = shapely.make_valid(geometry)
            polygons = [g for g in getattr(repaired, "geoms", [repaired]) if g.geom_type in {"Polygon", "MultiPolygon"}]
            geometry = shapely.union_all(polygons)
            self.counts["geometries_repaired"] += 1
        return geometry

    def read_source(self):
        """(CRS, attribute names, [(where, properties, geometry)]) from a GeoJSON or shapefile (or a zip of one)."""
        path = self.path
        lower = path.name.lower()
        if lower.endswith((".geojson", ".json", ".geojson.gz", ".json.gz")):
            return self.read_geojson(path)
        if lower.endswith(".shp"):
            return self.read_shapefile(path)
        if lower.endswith(".zip"):
            archive = open_zip(path)
            shps = [m for m in archive.namelist() if m.lower().endswith(".shp")]
            geojsons = [m for m in archive.namelist() if m.lower().endswith((".geojson", ".json"))]
            if len(shps) + len(geojsons) != 1:
                raise SourceError(
                    str(path), "the zip must hold exactly one shapefile (.shp with .shx, .dbf, .prj) or GeoJSON."
                )
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    archive.extractall(tmp)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise SourceError(
                        str(path), f"the zip is damaged or incomplete ({exc}). Download it again."
                    ) from None
                member = Path(tmp) / (shps or geojsons)[0]
                result = self.read_shapefile(member) if shps else self.read_geojson(member)
                return result
        raise SourceError(str(path), "boundaries must be a .geojson, a .shp (with .shx, .dbf, .prj) or a .zip of one.")

    def read_geojson(self, path: Path):
        name = str(path)
        text = decode_utf8(read_bytes(path), name)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(
                f"{name}, line {exc.lineno}", f"this is not valid JSON ({exc.msg}); the file may be cut short."
            ) from None
        if (
            not isinstance(data, dict)
            or data.get("type") != "FeatureCollection"
            or not isinstance(data.get("features"), list)
        ):
            raise SourceError(
                name, 'expected a GeoJSON FeatureCollection ({"type": "FeatureCollection", "features": [...]}).'
            )
        crs = WGS84
        if crs_name := ((data.get("crs") or {}).get("properties") or {}).get("name"):
            try:
                crs = CRS.from_user_input(crs_name)
            except CRSError:
                raise SourceError(name, f'the CRS "{crs_name}" is not one pyproj knows.') from None
        rows, fields = [], {}
        for i, feature in enumerate(data["features"], 1):
            props = (feature or {}).get("properties") or {}
            fields.update(dict.fromkeys(props))
            try:
                geometry = shape(feature["geometry"]) if feature.get("geometry") else None
            except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
                raise SourceError(f"{name}, feature {i}", f"the geometry cannot be read ({exc}).") from None
            rows.append((f"{name}, feature {i}", props, geometry))
        if crs.is_geographic:
            bounds = shapely.total_bounds([g for _, _, g in rows if g is not None]) if rows else None
            if bounds is not None and (np.abs(bounds[[0, 2]]) > 180).any() | (np.abs(bounds[[1, 3]]) > 90).any():
                raise SourceError(
                    name,
                    "the coordinates are not longitude/latitude (they look like metres, e.g. British National Grid) "
                    'and the file does not say its CRS. Add "crs" or export it as WGS84.',
                )
        return crs, list(fields), rows

    def read_shapefile(self, path: Path):
        name = str(path)
        prj = path.with_suffix(".prj")
        if not prj.exists():
            prj = next((p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == ".prj"), prj)
        if not prj.exists():
            raise SourceError(
                name,
                f"{prj.name} is missing, so the coordinate system is unknown. Put the .prj that came with the "
                "shapefile next to it (a download zip has it) and import again.",
            )
        try:
            crs = CRS.from_wkt(prj.read_text(encoding="utf-8", errors="replace"))
        except CRSError as exc:
            raise SourceError(str(prj), f"the coordinate system cannot be read ({exc}).") from None
        cpg = path.with_suffix(".cpg")
        encoding = cpg.read_text().strip() if cpg.exists() else "utf-8"
        if encoding.upper() in {"UTF8", "UTF-8"}:
            encoding = "utf-8"
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                reader = shapefile.Reader(str(path), encoding=encoding, encodingErrors="strict")
        except (shapefile.ShapefileException, OSError, LookupError, struct.error) as exc:
            raise SourceError(name, f"the shapefile cannot be opened ({exc}). Is the .shx or .dbf missing?") from None
        if corrupt := [w for w in caught if "Corrupt" in w.category.__name__]:
            reader.close()
            raise SourceError(
                name, f"the file is not the size its header says ({corrupt[0].message}); it was cut short."
            )
        with reader:
            fields = [f[0] for f in reader.fields[1:]]
            rows = []
            for i in range(len(reader)):
                where = f"{name}, feature {i + 1}"
                try:
                    record = reader.record(i)
                    geo = reader.shape(i).__geo_interface__
                except UnicodeDecodeError as exc:
                    raise SourceError(where, _not_text(encoding, exc.reason)) from None
                except shapefile.ShapefileException as exc:
                    if "decode" not in str(exc):
                        raise SourceError(
                            where, f"this record cannot be read ({exc}); the file may be cut short."
                        ) from None
                    raise SourceError(where, _not_text(encoding, str(exc).split(" using ")[0])) from None
                except (OSError, ValueError, IndexError, EOFError, struct.error) as exc:
                    raise SourceError(
                        where, f"this record cannot be read ({exc}); the file may be cut short."
                    ) from None
                try:
                    geometry = shape(geo) if geo.get("coordinates") else None
                except (ValueError, TypeError, shapely.errors.GEOSException) as exc:
                    raise SourceError(where, f"the geometry cannot be read ({exc}).") from None
                rows.append((where, record.as_dict(), geometry))
        return crs, fields, rows


def _not_text(encoding: str, detail: str) -> str:
    return (
        f"the attributes are not {encoding} text ({detail}). "
        "Put a .cpg file naming the encoding (e.g. ISO-8859-1) next to the .shp and import again."
    )


# -- wards ------------------------------------------------------------------------------------------------
class WardBoundaryImporter(BoundaryImporter):
    """Ward boundaries of one generation; then each ward's neighbours and its police.uk neighbourhood."""

    name = "ward-boundaries"
    code_field: tuple[str, ...] = ("GSS_CODE", r"WD\d\dCD", "ward_code", "code")
    name_field: tuple[str, ...] = ("NAME", r"WD\d\dNM", "ward_name", "name")
    parent_field: tuple[str, ...] = ("LB_GSS_CD", "LAGSSCODE", r"LAD\d\dCD", "borough_code")
    parent_name_field: tuple[str, ...] = ("BOROUGH", "DISTRICT", r"LAD\d\dNM", "borough_name")
    code_pattern = r"^(E05|W05|S13|N08)\d{6}$"
    default_generation = "2022"

    def __init__(self, path, *, generation: str | None = None, **kwargs):
        super().__init__(path, **kwargs)
        self.generation_slug = generation or self.default_generation

    def wanted(self, code):
        # "City merged" ward files carry the whole City of London as one E09 feature.
        return not code.startswith("E09")

    def write(self, records):
        try:
            gen = places.generation(self.generation_slug)
        except ValueError as exc:
            self.fail(str(self.path), str(exc))
        boroughs = {}
        for feature in records:
            if not feature.parent_code:
                self.fail(feature.where, "the ward has no borough code.")
            if feature.parent_code not in boroughs:
                boroughs[feature.parent_code] = places.upsert_borough(
                    feature.parent_code, feature.parent_name or None, is_demo=self.demo, counts=self.counts
                )
        existing = {w.gss_code: w for w in Ward.objects.filter(generation=gen)}
        new, changed = [], []
        for feature in records:
            ward = existing.get(feature.code)
            if ward is None:
                ward = Ward(
                    gss_code=feature.code,
                    generation=gen,
                    valid_from=gen.valid_from,
                    valid_to=gen.valid_to,
                    is_demo=self.demo,
                )
                new.append(ward)
            else:
                changed.append(ward)
            ward.name = feature.name or ward.name or feature.code
            ward.slug = slugify(ward.name) or feature.code.lower()
            ward.borough = boroughs[feature.parent_code]
            set_bounds(ward, feature.geometry)
        Ward.objects.bulk_create(new, batch_size=200)
        update_rows(changed, ["name", "slug", "borough", *BOUNDED_FIELDS])
        self.counts["wards_created"] += len(new)
        self.counts["wards_updated"] += len(changed)
        self.counts["wards"] += len(records)
        self.counts["neighbour_pairs"] += link_neighbours(gen)
        self.counts["neighbourhoods"] += open_neighbourhoods(gen, demo=self.demo)
        boundaries_changed()
        # After commit only: a dry run is rolled back and its callbacks dropped.
        transaction.on_commit(lambda: ward_generation_imported.send(sender=type(self), generation=gen))


class LondonWards2014Esri(WardBoundaryImporter):
    """London Datastore "Statistical GIS boundary files" 2014 wards (London_Ward.shp)."""

    name = "london-wards-2014-esri"
    code_field = ("GSS_CODE",)
    name_field = ("NAME",)
    parent_field = ("LB_GSS_CD",)
    parent_name_field = ("BOROUGH",)
    default_generation = "2014"
    # Colville and Pembridge (Kensington and Chelsea) share a vertex where each ring touches itself;
    # make_valid splits the ring there and keeps the area to the square metre.
    repair_invalid_geometry = True


class LondonWards2018Esri(WardBoundaryImporter):
    """London Datastore "Statistical GIS boundary files" 2018 wards (London_Ward.shp)."""

    name = "london-wards-2018-esri"
    code_field = ("GSS_CODE",)
    name_field = ("NAME",)
    parent_field = ("LAGSSCODE",)
    parent_name_field = ("DISTRICT",)
    default_generation = "2018"


class OnsWards(WardBoundaryImporter):
    """ONS Open Geography Portal ward boundaries (WDyyCD, WDyyNM, LADyyCD), e.g. the 2025 London file."""

    name = "ons-wards"
    code_field = (r"WD\d\dCD",)
    name_field = (r"WD\d\dNM",)
    parent_field = (r"LAD\d\dCD",)
    parent_name_field = (r"LAD\d\dNM",)


# -- boroughs -----------------------------------------------------------------------------------------------
class BoroughBoundaryImporter(BoundaryImporter):
    """Borough (local authority district) boundaries."""

    name = "borough-boundaries"
    code_field: tuple[str, ...] = (r"LAD\d\dCD", "GSS_CODE", "code", "borough_code")
    name_field: tuple[str, ...] = (r"LAD\d\dNM", "NAME", "name", "borough_name")
    code_pattern = r"^(E06|E07|E08|E09|W06|S12|N09)\d{6}$"
    force_field: tuple[str, ...] = ("force",)

    def write(self, records):
        for feature in records:
            borough = places.upsert_borough(feature.code, feature.name or None, is_demo=self.demo, counts=self.counts)
            set_bounds(borough, feature.geometry)
            force_f = _pick(self.force_field, list(feature.properties))
            if slug := str(feature.properties.get(force_f) or "").strip() if force_f else "":
                try:
                    borough.force = places.force(slug)
                except ValueError as exc:
                    self.fail(feature.where, str(exc))
            borough.save()
            self.counts["boroughs"] += 1


class LondonBoroughsGeoJson(BoroughBoundaryImporter):
    """London borough outlines as GeoJSON with `code` and `name` properties."""

    name = "london-boroughs-geojson"
    code_field = ("code",)
    name_field = ("name",)
    # Greenwich and Barking and Dagenham each have one ring touching itself at a point in this file.
    repair_invalid_geometry = True


# -- LSOAs --------------------------------------------------------------------------------------------------
class LsoaBoundaryImporter(BoundaryImporter):
    """Lower-layer Super Output Areas of the 2011 or 2021 census."""

    name = "lsoa-boundaries"
    code_pattern = r"^(E01|W01)\d{6}$"

    def __init__(self, path, *, census_year: int = 2021, **kwargs):
        self.census_year = int(census_year)
        yy = str(self.census_year)[2:]
        super().__init__(path, **kwargs)
        self.code_field = self.code_field or (f"LSOA{yy}CD", "lsoa_code", "code")
        self.name_field = self.name_field or (f"LSOA{yy}NM", "lsoa_name", "name")
        self.parent_field = self.parent_field or (r"LAD\d\dCD", "borough_code")

    def write(self, records):
        existing = {lsoa.gss_code: lsoa for lsoa in Lsoa.objects.filter(census_year=self.census_year)}
        to_create: list[Lsoa] = []
        to_update: list[Lsoa] = []
        for feature in records:
            lsoa = existing.get(feature.code) or Lsoa(gss_code=feature.code, census_year=self.census_year)
            lsoa.name = feature.name
            lsoa.borough_code = feature.parent_code
            set_bounds(lsoa, feature.geometry)
            (to_update if lsoa.pk else to_create).append(lsoa)
        Lsoa.objects.bulk_create(to_create, batch_size=500)
        fields = [
            "name",
            "borough_code",
            "boundary",
            "min_lat",
            "max_lat",
            "min_lng",
            "max_lng",
            "centre_lat",
            "centre_lng",
        ]
        update_rows(to_update, fields)
        self.counts["lsoas_created"] += len(to_create)
        self.counts["lsoas_updated"] += len(to_update)


SOURCES: dict[str, type[BoundaryImporter]] = {
    "wards": WardBoundaryImporter,
    "ons-wards": OnsWards,
    "london-wards-2014-esri": LondonWards2014Esri,
    "london-wards-2018-esri": LondonWards2018Esri,
    "boroughs": BoroughBoundaryImporter,
    "london-boroughs-geojson": LondonBoroughsGeoJson,
    "lsoas": LsoaBoundaryImporter,
}
