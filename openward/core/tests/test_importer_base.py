"""The importer flow: dry run rolls back, commit writes, problems stop all-or-nothing imports."""

import io

import pytest
from django.core.management import CommandError, call_command

from openward.areas.models import Force
from openward.core import demo
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


def demo_rows() -> dict[str, dict[str, int]]:
    """What each demo step loads, counted in the database; a new step must add its own line here."""
    from openward.accounts.demo_data import DEMO_EMAIL_DOMAIN
    from openward.accounts.models import User
    from openward.areas.models import Cluster, Neighbourhood, Postcode, Ward
    from openward.crime.models import Crime, MonthlyCount, Outcome, Stop
    from openward.engagement.models import Bulletin, Event, VolunteerTask
    from openward.monitoring.models import MonitoringGroup
    from openward.patrols.models import PatrolPlan, Visit
    from openward.priorities.models import Ballot, Consultation, Priority

    return {
        "areas": {
            "wards": Ward.objects.filter(is_demo=True).count(),
            "postcodes": Postcode.objects.filter(is_demo=True).count(),
            "neighbourhoods": Neighbourhood.objects.filter(is_demo=True).count(),
            "clusters": Cluster.objects.filter(is_demo=True).count(),
        },
        "crime": {
            "crimes": Crime.objects.filter(is_demo=True).count(),
            "monthly counts": MonthlyCount.objects.count(),
            "stops": Stop.objects.filter(is_demo=True).count(),
            "outcomes": Outcome.objects.filter(is_demo=True).count(),
        },
        "residents": {"people": User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).count()},
        "engagement": {
            "events": Event.objects.filter(is_demo=True).count(),
            "bulletins": Bulletin.objects.filter(is_demo=True).count(),
            "volunteering tasks": VolunteerTask.objects.filter(is_demo=True).count(),
        },
        "priorities": {
            "consultations": Consultation.objects.filter(is_demo=True).count(),
            "ballots": Ballot.objects.filter(consultation__is_demo=True).count(),
            "priorities": Priority.objects.filter(is_demo=True).count(),
        },
        "patrols": {
            "plans": PatrolPlan.objects.filter(is_demo=True).count(),
            "visits": Visit.objects.filter(is_demo=True).count(),
        },
        "monitoring": {"groups": MonitoringGroup.objects.count()},
    }


@pytest.mark.django_db
def test_load_demo_runs_every_registered_step_and_each_loads_something(tmp_path):
    from openward.accounts.demo_data import RESIDENTS, STAFF
    from openward.areas.demo_data import demo_wards
    from openward.priorities.demo_data import DEMO_BALLOTS

    steps = [s.name for s in demo.steps()]
    before = demo_rows()
    assert list(before) == steps, "every registered demo step is counted here, in order"
    assert all(n == 0 for counts in before.values() for n in counts.values())
    out = io.StringIO()
    call_command("load_demo", workdir=str(tmp_path), stdout=out)
    assert [line.removeprefix("Demo: ") for line in out.getvalue().splitlines() if line.startswith("Demo: ")] == steps
    after = demo_rows()
    empty = {step: [k for k, n in counts.items() if not n] for step, counts in after.items()}
    assert not any(empty.values()), f"demo steps that loaded nothing: {empty}"
    assert after["areas"]["wards"] == len(demo_wards()) and after["areas"]["clusters"] == 2
    assert after["residents"]["people"] == len(STAFF) + len(RESIDENTS)
    assert after["priorities"] == {"consultations": 1, "ballots": DEMO_BALLOTS, "priorities": 4}
    assert after["crime"]["crimes"] > 1000 and after["crime"]["stops"] > 100
    assert after["patrols"]["plans"] == 1 and after["monitoring"]["groups"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["crime", "residents", "engagement", "priorities", "monitoring"])
def test_a_demo_step_with_nothing_to_build_on_fails_loudly(tmp_path, step):
    with pytest.raises(CommandError, match=f"Demo step {step} loaded nothing: .*run the areas step first"):
        call_command("load_demo", "--only", step, workdir=str(tmp_path), stdout=io.StringIO())
