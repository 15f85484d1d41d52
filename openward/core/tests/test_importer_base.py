"""The importer flow: dry run rolls back, commit writes, problems stop all-or-nothing imports."""

import pytest
from django.core.management import call_command

from openward.areas.models import Force
from openward.core.importers import BaseImporter, ImportFailed
from openward.core.models import ImportRun


class ForcesFromLines(BaseImporter):
    """Test importer: one force slug per line; a line with a space is a bad row."""

    name = "test-forces"

    def read(self):
        for lineno, line in enumerate(self.path.read_text().splitlines(), start=1):
            if " " in line:
                self.problem(f"{self.path.name}:{lineno}", "a slug has no spaces")
                continue
            yield line

    def write(self, records):
        for slug in records:
            Force.objects.update_or_create(slug=slug, defaults={"name": slug.title()})
            self.counts["forces"] += 1


class PartialForces(ForcesFromLines):
    all_or_nothing = False


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_records_the_run(tmp_path):
    f = tmp_path / "forces.txt"
    f.write_text("metropolitan\nbtp\n")
    run = ForcesFromLines(f).run()
    assert run.status == "dry-run" and run.counts == {"forces": 2}
    assert Force.objects.count() == 0


@pytest.mark.django_db
def test_commit_writes_and_rerun_upserts(tmp_path):
    f = tmp_path / "forces.txt"
    f.write_text("metropolitan\nbtp\n")
    ForcesFromLines(f, commit=True).run()
    ForcesFromLines(f, commit=True).run()
    assert sorted(Force.objects.values_list("slug", flat=True)) == ["btp", "metropolitan"]
    assert ImportRun.objects.filter(status="committed").count() == 2


@pytest.mark.django_db
def test_bad_row_in_all_or_nothing_import_imports_nothing_and_says_where(tmp_path):
    f = tmp_path / "forces.txt"
    f.write_text("metropolitan\nbad slug\n")
    with pytest.raises(ImportFailed) as exc:
        ForcesFromLines(f, commit=True).run()
    assert "forces.txt:2: a slug has no spaces" in str(exc.value)
    assert Force.objects.count() == 0
    assert exc.value.run.status == "failed"


@pytest.mark.django_db
def test_partial_import_keeps_good_rows_and_reports_bad_ones(tmp_path):
    f = tmp_path / "forces.txt"
    f.write_text("metropolitan\nbad slug\nbtp\n")
    run = PartialForces(f, commit=True).run()
    assert Force.objects.count() == 2
    assert run.problems == [{"where": "forces.txt:2", "message": "a slug has no spaces"}]


@pytest.mark.django_db
def test_missing_file_fails_clearly(tmp_path):
    with pytest.raises(ImportFailed, match="No such file"):
        ForcesFromLines(tmp_path / "nope.txt", commit=True).run()


@pytest.mark.django_db
def test_load_demo_runs_every_registered_step(tmp_path):
    call_command("load_demo", workdir=str(tmp_path))
