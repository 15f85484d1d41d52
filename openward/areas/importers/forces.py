"""Police forces: the reference file Open Ward ships (police.uk ids and names), or one in the same shape."""

from __future__ import annotations

from openward.core.importers.base import BaseImporter

from ..models import Force
from .files import SourceError, read_json
from .places import FORCES_FILE

SLUG = r"^[a-z0-9-]+$"


class ForceImporter(BaseImporter):
    """Forces as police.uk's GET forces/{id} shapes them, plus `listed` and the force area's `gss_code`."""

    name = "forces"
    all_or_nothing = True

    def __init__(self, path=FORCES_FILE, **kwargs):
        super().__init__(path, **kwargs)

    def read(self):
        try:
            records = read_json(self.path)
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        if not isinstance(records, list):
            self.fail(str(self.path), "a forces file is a JSON list of forces, like police.uk's /api/forces.")
        seen = set()
        for index, record in enumerate(records, 1):
            where = f"{self.path}, force {index}"
            if not isinstance(record, dict) or not record.get("id") or not record.get("name"):
                self.problem(where, 'every force needs an "id" (like "metropolitan") and a "name".')
                continue
            if record["id"] in seen:
                self.problem(where, f'the force "{record["id"]}" is listed twice.')
            seen.add(record["id"])
            self.counts["rows_read"] += 1
            yield record

    def write(self, records):
        for record in records:
            _, created = Force.objects.update_or_create(
                slug=record["id"],
                defaults={
                    "name": record["name"],
                    "description": record.get("description") or "",
                    "url": record.get("url") or "",
                    "telephone": record.get("telephone") or "",
                    "engagement_methods": record.get("engagement_methods") or [],
                    "listed": record.get("listed", True),
                    "gss_code": record.get("gss_code") or "",
                },
            )
            self.counts["forces_created" if created else "forces_updated"] += 1
