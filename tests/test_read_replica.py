"""The read replica (DATABASE_REPLICA_URL): pages read the data people only read through it, every write and
every import stay on the primary, and a replica that lags cannot make an import wrong.

In tests the `replica` alias is a test mirror of default: a second connection to the same test database,
on SQLite and PostgreSQL alike. The router is switched on here only, in tests outside a transaction, so
what default holds is committed and the second connection sees it, as a replica that has caught up does.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from openward.accounts.models import User
from openward.areas.models import Ward
from openward.core import db_router
from openward.crime.importers import PoliceUkImporter
from openward.crime.importers.frames import STREET_HEADER
from openward.crime.models import Crime
from openward.crime.tests.factories import populate_ward
from openward.crime.tests.fixtures import areas
from openward.crime.tests.test_views import raw_rolling_change
from openward.verification.models import Membership
from tests.personas import make_places

ROUTER = ["openward.core.db_router.ReplicaRouter"]
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", re.I)
both_databases = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, db_router.REPLICA])


@pytest.fixture
def router_on(settings):
    settings.DATABASE_ROUTERS = ROUTER
    assert db_router.in_use()


def tables(queries) -> set[str]:
    found = set()
    for q in queries:
        found |= set(re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_]+)"?', q["sql"], re.I))
    return found


def test_routes_by_app_transaction_and_import(router_on):
    from django.db import router

    assert router.db_for_read(Crime) == router.db_for_read(Ward) == db_router.REPLICA
    assert router.db_for_read(User) == router.db_for_read(Membership) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Crime) == router.db_for_write(User) == DEFAULT_DB_ALIAS
    with db_router.primary():
        assert router.db_for_read(Crime) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Crime) == db_router.REPLICA
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "crime") and not router.allow_migrate(db_router.REPLICA, "crime")


@both_databases
def test_inside_a_transaction_reads_go_to_the_primary(router_on):
    from django.db import router

    with transaction.atomic():
        assert router.db_for_read(Ward) == DEFAULT_DB_ALIAS
    # ATOMIC_REQUESTS wraps every view in a transaction: that one alone does not send reads to the primary.
    connections[DEFAULT_DB_ALIAS].settings_dict["ATOMIC_REQUESTS"] = True
    try:
        with transaction.atomic():
            assert router.db_for_read(Ward) == db_router.REPLICA
            with transaction.atomic():
                assert router.db_for_read(Ward) == DEFAULT_DB_ALIAS
    finally:
        connections[DEFAULT_DB_ALIAS].settings_dict["ATOMIC_REQUESTS"] = False


@both_databases
def test_a_wards_crime_page_reads_crime_through_the_replica(client, router_on):
    ward = populate_ward()
    recent, _ = raw_rolling_change(ward)
    with (
        CaptureQueriesContext(connections[db_router.REPLICA]) as replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
    ):
        page = client.get(f"/crime/wards/{ward.gss_code}/")
    assert page.status_code == 200
    assert f"{recent} crimes (January 2024 to December 2024)" in page.content.decode()
    read = tables(replica.captured_queries)
    assert {"areas_ward", "crime_crime"} <= read or {"areas_ward", "crime_monthlycount"} <= read, read
    assert not [q for q in replica.captured_queries if WRITES.match(q["sql"])]
    # Nothing of crime or places was read from the primary.
    assert not {t for t in tables(primary.captured_queries) if t.startswith(("crime_", "areas_"))}, [
        q["sql"][:300] for q in primary.captured_queries
    ]


@both_databases
def test_a_sign_up_writes_only_to_the_primary(client, router_on, django_capture_on_commit_callbacks):
    make_places()
    with (
        CaptureQueriesContext(connections[db_router.REPLICA]) as replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            "/accounts/sign-up/",
            {"email": "ada@example.org", "postcode": "N1 9QZ", "relationship": "lives", "notifications": "on"},
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/check-your-email/"
    user = User.objects.get(email="ada@example.org")
    assert Membership.objects.get(user=user).ward.gss_code == "E05000901"
    assert not [q["sql"] for q in replica.captured_queries if WRITES.match(q["sql"])]
    assert not {t for t in tables(replica.captured_queries) if t.startswith(("accounts_", "verification_"))}
    written = {t for q in primary.captured_queries if WRITES.match(q["sql"]) for t in tables([q])}
    assert {"accounts_user", "verification_membership"} <= written


# -- a replica that lags -------------------------------------------------------------------------------------


@contextmanager
def lagging_replica():
    """Point the `replica` alias at a copy of the database as it is now (SQLite: a file made with the backup
    API; PostgreSQL: a database made from it as a template), which later writes to default never reach."""
    primary = connections[DEFAULT_DB_ALIAS]
    settings_dict = dict(primary.settings_dict)
    dropped = None
    if primary.vendor == "sqlite":
        import tempfile

        folder = tempfile.TemporaryDirectory()
        copy = f"{folder.name}/lagging.sqlite3"
        primary.ensure_connection()
        target = sqlite3.connect(copy)
        primary.connection.backup(target)
        target.close()
        settings_dict["NAME"] = copy
    else:
        name = f"{settings_dict['NAME']}_lag_{uuid.uuid4().hex[:8]}"
        connections.close_all()  # a template database must have no other sessions
        admin = psycopg.connect(
            dbname="postgres",
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            user=settings_dict["USER"] or None,
            password=settings_dict["PASSWORD"] or None,
            autocommit=True,
        )
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings_dict["NAME"]}"')
        settings_dict["NAME"] = dropped = name
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, db_router.REPLICA)
    mirror = connections[db_router.REPLICA]
    connections[db_router.REPLICA] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections[db_router.REPLICA] = mirror
        if dropped:
            admin.execute(f'DROP DATABASE "{dropped}"')
            admin.close()
        else:
            folder.cleanup()


@both_databases
def test_an_import_reads_the_primary_when_the_replica_lacks_the_last_import(tmp_path, router_on):
    """The replica was copied before the wards were loaded: placing crimes by what it holds would leave every
    crime without a ward. The importer reads the primary, so each crime lands in the ward that contains it."""
    areas.force("city-of-london", "City of London Police")
    with lagging_replica() as replica:
        g22 = areas.generation("2022", None, None)
        west = areas.ward("E05009001", g22, (-0.10, 51.51, -0.085, 51.52))
        east = areas.ward("E05009002", g22, (-0.085, 51.51, -0.08, 51.52))
        # The replica really lags, and reads through the router really go to it.
        assert Ward.objects.count() == 0 and Ward.objects.using(DEFAULT_DB_ALIAS).count() == 2
        longitudes = ["-0.0950", "-0.0900", "-0.0870", "-0.0840", "-0.0820"]
        lines = [",".join(STREET_HEADER)] + [
            f"{i:064x},2023-01,City of London Police,City of London Police,{lng},51.5150,On or near Moor Lane,"
            "E01000001,City of London 001A,Burglary,Under investigation,"
            for i, lng in enumerate(longitudes)
        ]
        path = tmp_path / "2023-01-city-of-london-street.csv"
        path.write_text("\n".join(lines) + "\n")
        with CaptureQueriesContext(replica) as on_replica:
            run = PoliceUkImporter(path, commit=True).run()
        assert on_replica.captured_queries == []
        assert run.counts["crime_rows"] == 5 and run.counts.get("crime_rows_unplaced", 0) == 0
        expected = {
            west.pk: sum(float(x) < -0.085 for x in longitudes),
            east.pk: sum(float(x) > -0.085 for x in longitudes),
        }
        placed = {w: Crime.objects.using(DEFAULT_DB_ALIAS).filter(ward_id=w).count() for w in expected}
        assert placed == expected == {west.pk: 3, east.pk: 2}
        # Pages still read the replica, which has not replayed the import yet.
        assert Crime.objects.count() == 0


@both_databases
def test_no_page_is_kept_while_the_replica_lacks_the_newest_import(client, router_on):
    """An import moves the page cache's version when it commits on the primary; pages read the replica. A page
    rendered before the replica replays the import shows the old figures, so it is not kept under the new
    version: the next visit renders again, and once the replica has the import, the page is kept."""
    from django.test import Client

    from openward.crime.tests.factories import import_run

    ward = populate_ward()
    import_run()
    path = f"/crime/wards/{ward.gss_code}/"

    def visit() -> int:
        with (
            CaptureQueriesContext(connections[db_router.REPLICA]) as replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        ):
            assert Client().get(path).status_code == 200
        return len(replica.captured_queries) + len(primary.captured_queries)

    with lagging_replica():
        assert not db_router.replica_behind()
        import_run()  # on the primary only: the replica has not replayed it
        assert db_router.replica_behind()
        assert visit() > 0
        assert visit() > 0, "a page rendered from the lagging replica was kept"
    # The replica caught up (the mirror of the primary again).
    assert not db_router.replica_behind()
    assert visit() > 0
    assert visit() == 0
