"""Cold ward, borough and force pages read counts precomputed at import, through the intended indexes.

Each page is rendered cold (empty cache) through the real view after a real import. The tests pin
how many queries it makes, and EXPLAIN every query that reads a crime table: none scans a table;
the counts rolled up to areas are read through their (level, area, month) index and the snap-point
counts through the index on the page's own area column (ward, borough or force); on PostgreSQL a
query of the crimes of one month reads that month's partition and no other. A re-import must leave
the precomputed counts equal to a direct count of the stored crimes, at every level.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openward.crime.analytics import scope
from openward.crime.importers import PoliceUkImporter
from openward.crime.importers.frames import STREET_HEADER
from openward.crime.tests.fixtures import areas
from tests.support import forget_process_caches

pytestmark = pytest.mark.django_db

HEADER = ",".join(STREET_HEADER)
WEST, EAST = "E05009001", "E05009002"
# The tables a crime page may read; the count tables must be read through the index the page's area needs.
CRIME_TABLES = ("crime_crime", "crime_stop", "crime_droppedduplicate")
ROLLUP_TABLES = ("crime_areacount", "crime_outcomecount")  # by (level, area, month)
COUNT_TABLES = (*ROLLUP_TABLES, "crime_pointcount")  # snap points by the area's own column
AREA_COLUMN = {"ward": "ward_id", "borough": "borough_code", "force": "force_id", "ward page": "ward_id"}
# Cold pages today, exactly: a change that adds queries per row or per month fails here, and so does one that
# saves some (lower the pin with it). The ward page counts the police.uk events and priorities sections (one
# query each) and the police.uk events the meetings section mentions (core.sections.listed_elsewhere); each
# page reads the crime data version once and hands it to every figure it shows.
QUERIES = {"ward": 18, "borough": 22, "force": 15, "ward page": 25}
DATA_VERSION = re.compile(r"SELECT \(SELECT MAX\(id\) FROM core_importrun\)")


def line(i: int, month: str, *, kind="Burglary", lng="-0.0950", lat="51.5150", street="Moor Lane", outcome=""):
    crime_id = "" if kind == "Anti-social behaviour" else f"{month}-{i}".encode().hex().ljust(64, "0")
    outcome = outcome or "Under investigation"
    return (
        f"{crime_id},{month},City of London Police,City of London Police,{lng},{lat},On or near {street},"
        f"E01000001,City of London 001A,{kind},{outcome},"
    )


def month_file(folder, month: str, rows: list[str]):
    folder.mkdir(exist_ok=True)
    path = folder / f"{month}-city-of-london-street.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def first_rows(month: str) -> list[str]:
    """12 crimes in the west ward at two snap points, 3 in the east ward, 4 anti-social behaviour."""
    rows = [line(i, month, street="Moor Lane") for i in range(7)]
    court = "Court result unavailable"
    rows += [line(10 + i, month, kind="Robbery", lat="51.5160", street="Wood Street", outcome=court) for i in range(5)]
    rows += [line(20 + i, month, kind="Shoplifting", lng="-0.0820", street="Ropemaker Street") for i in range(3)]
    rows += [line(30 + i, month, kind="Anti-social behaviour") for i in range(4)]
    return rows


@pytest.fixture
def loaded(tmp_path):
    force = areas.force("city-of-london", "City of London Police")
    g22 = areas.generation("2022", dt.date(2022, 5, 5), None)
    west = areas.ward(WEST, g22, (-0.10, 51.51, -0.085, 51.52))
    east = areas.ward(EAST, g22, (-0.085, 51.51, -0.08, 51.52))
    for month in ("2023-01", "2023-02"):
        PoliceUkImporter(month_file(tmp_path / month, month, first_rows(month)), commit=True).run()
    return {"force": force, "west": west, "east": east}


def rows(sql: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return sorted(cursor.fetchall(), key=repr)


def direct_counts() -> dict[str, list[tuple]]:
    """Each precomputed table's content, and the same figures counted straight from the stored crimes."""
    asb = "(SELECT id FROM crime_crimecategory WHERE slug = 'anti-social-behaviour')"
    return {
        "monthly": (
            rows("SELECT ward_id, force_id, category_id, month, SUM(count) FROM crime_monthlycount "
                 "GROUP BY ward_id, force_id, category_id, month"),
            rows("SELECT ward_id, force_id, category_id, month, COUNT(*) FROM crime_crime "
                 "GROUP BY ward_id, force_id, category_id, month"),
        ),
        **{
            f"{table} by {level}": (
                rows(f"SELECT area, force_id, category_id, month, {extra} count FROM {table} WHERE level = %s", level),
                rows(f"SELECT {area}, force_id, category_id, month, {extra} COUNT(*) FROM crime_crime WHERE {present} "
                     f"GROUP BY {area}, force_id, category_id, month {',' if extra else ''} {extra.rstrip(', ')}"),
            )
            for table, extra in (("crime_areacount", ""), ("crime_outcomecount", "outcome_category, "))
            for level, area, present in (
                ("ward", "CAST(ward_id AS VARCHAR(20))", "ward_id IS NOT NULL"),
                ("borough", "borough_code", "borough_code <> ''"),
                ("force", "CAST(force_id AS VARCHAR(20))", "1 = 1"),
            )
        },
        "points": (
            rows("SELECT ward_id, force_id, month, latitude, longitude, street_name, count FROM crime_pointcount"),
            rows("SELECT ward_id, force_id, month, latitude, longitude, street_name, COUNT(*) FROM crime_crime "
                 f"WHERE latitude IS NOT NULL AND category_id <> {asb} "
                 "GROUP BY ward_id, force_id, month, latitude, longitude, street_name"),
        ),
    }  # fmt: skip


def test_a_reimport_leaves_the_precomputed_counts_equal_to_a_direct_count(tmp_path, loaded):
    before = direct_counts()
    for name, (stored, counted) in before.items():
        assert stored == counted, name
    points = dict(((r[0], r[2], r[5]), r[6]) for r in before["points"][0])
    west = loaded["west"].pk
    assert points[(west, dt.date(2023, 2, 1), "On or near Moor Lane")] == 7

    # February again: Moor Lane loses 4 crimes, Wood Street's outcome changes, a new point appears.
    month = "2023-02"
    revised = [line(i, month, street="Moor Lane") for i in range(3)]
    prison = "Offender sent to prison"
    revised += [
        line(10 + i, month, kind="Robbery", lat="51.5160", street="Wood Street", outcome=prison) for i in range(5)
    ]
    revised += [line(20 + i, month, kind="Shoplifting", lng="-0.0820", street="Ropemaker Street") for i in range(3)]
    revised += [line(40 + i, month, kind="Drugs", lat="51.5170", street="Fore Street") for i in range(2)]
    revised += [line(30 + i, month, kind="Anti-social behaviour") for i in range(4)]
    PoliceUkImporter(month_file(tmp_path / "again", month, revised), commit=True).run()

    after = direct_counts()
    for name, (stored, counted) in after.items():
        assert stored == counted, name
        assert stored != before[name][0], f"{name} did not change with the re-import"
    points = dict(((r[0], r[2], r[5]), r[6]) for r in after["points"][0])
    assert points[(west, dt.date(2023, 2, 1), "On or near Moor Lane")] == 3
    assert points[(west, dt.date(2023, 2, 1), "On or near Fore Street")] == 2
    outcomes = {(r[3], r[4]): r[5] for r in after["crime_outcomecount by ward"][0] if r[0] == str(west)}
    assert outcomes[(dt.date(2023, 2, 1), "Offender sent to prison")] == 5
    assert (dt.date(2023, 2, 1), "Court result unavailable") not in outcomes
    assert outcomes[(dt.date(2023, 1, 1), "Court result unavailable")] == 5  # January untouched


def index_names(table: str, column: str) -> set[str]:
    """Indexes of `table` whose first column is `column`."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, c in constraints.items() if c["index"] and c["columns"] and c["columns"][0] == column}


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The tables are tiny, so the planner would read them whole; off, it shows which index it can use.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            text = "\n".join(r[0] for r in cursor.fetchall())
            cursor.execute("SET LOCAL enable_seqscan = on")
            return text
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(r[-1] for r in cursor.fetchall())


def scans(text: str, table: str) -> bool:
    """Whether a plan reads all of `table` or, on PostgreSQL, one of its partitions (a sequential scan, or
    SQLite's SCAN without a search)."""
    if connection.vendor == "postgresql":
        return re.search(rf"Seq Scan on {table}(_p\d{{6}}|_default)?\b", text) is not None
    return re.search(rf"\bSCAN {table}\b", text) is not None


def uses_one_of(text: str, names: set[str]) -> bool:
    """Whether a plan reads through one of the indexes `names` (or, on PostgreSQL, one of their partitions')."""
    return any(re.search(rf"\b{name}(_p\d{{6}})?\b", text) for name in names)


def crime_partitions(text: str) -> set[str]:
    """The month partitions of the crime table a PostgreSQL plan reads."""
    return set(re.findall(r"\bcrime_crime_(p\d{6}|default)\b", text))


@pytest.mark.parametrize(
    "kind,path",
    [
        ("ward", f"/crime/wards/{WEST}/"),
        ("borough", "/crime/boroughs/E09000001/"),
        ("force", "/crime/forces/city-of-london/"),
        ("ward page", f"/wards/{WEST}/"),
    ],
)
def test_a_cold_area_page_reads_precomputed_counts_through_its_index(client, loaded, kind, path):
    forget_process_caches()  # the import warmed them: a cold page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    if kind != "ward page":
        # The busiest place and the outcomes come from PointCount and OutcomeCount: 7 + 7 crimes at Moor Lane.
        assert "Moor Lane" in page and "Court result unavailable" in page
    # Reads only: PostgreSQL adds its statement time limit and savepoints around them.
    selects = [q["sql"] for q in queries.captured_queries if re.match(r"\s*SELECT\s+(?!set_config)", q["sql"])]
    assert len(selects) == QUERIES[kind], "\n".join(selects)
    assert len([sql for sql in selects if DATA_VERSION.match(sql)]) == 1, "\n".join(selects)

    read = {t: [] for t in CRIME_TABLES + COUNT_TABLES}
    for sql in selects:
        for table in read:
            if re.search(rf'\b"?{table}"?\b', sql):
                read[table].append(sql)
    expected = {"crime_areacount"} if kind == "ward page" else set(COUNT_TABLES)
    assert {t for t in COUNT_TABLES if read[t]} == expected
    column = AREA_COLUMN[kind]
    checked, pruned = set(), []
    for table, sqls in read.items():
        for sql in sqls:
            text = plan(sql)
            assert not scans(text, table), f"{table} is read whole:\n{sql}\n{text}"
            if table in ROLLUP_TABLES and re.search(rf'"?{table}"?\."?area"?\s*(=|IN)', sql):
                names = index_names(table, "level")
                assert names and uses_one_of(text, names), f"{table} not read by {names}:\n{sql}\n{text}"
                checked.add(table)
            if table == "crime_pointcount" and re.search(rf'"?{table}"?\."?{column}"?\s*(=|IN)', sql):
                names = index_names(table, column)
                assert names and uses_one_of(text, names), f"{table} not read by {names}:\n{sql}\n{text}"
                checked.add(table)
            month = re.search(r'"crime_crime"\."month" = \'(\d{4})-(\d{2})-01', sql)
            if table == "crime_crime" and month and connection.vendor == "postgresql":
                # One month of crimes: that month's partition, and no other.
                assert crime_partitions(text) == {f"p{month[1]}{month[2]}"}, f"{sql}\n{text}"
                pruned.append(sql)
    assert checked == expected
    if connection.vendor == "postgresql":
        assert pruned, "no query of one month's crimes was checked"
    # The outcome and snap-point figures never read the crimes themselves.
    for sql in read["crime_crime"]:
        assert "outcome_category" not in sql and "street_name" not in sql, sql


@pytest.mark.parametrize("limit", [None, 1, 2])
def test_a_page_keeps_the_busiest_places_and_the_concentration_of_them_all(tmp_path, loaded, limit):
    from openward.crime import stats
    from openward.crime.analytics.summary import crime_summary

    # February again, with more places: 5 crimes at Moor Lane, 3 at Wood Street, 2 at Fore Street, 1 at Milk Street.
    month = "2023-02"
    rows = [line(i, month) for i in range(5)]
    rows += [line(10 + i, month, kind="Robbery", lat="51.5160", street="Wood Street") for i in range(3)]
    rows += [line(20 + i, month, kind="Drugs", lat="51.5170", street="Fore Street") for i in range(2)]
    rows += [line(30, month, kind="Drugs", lat="51.5180", street="Milk Street")]
    PoliceUkImporter(month_file(tmp_path / "again", month, rows), commit=True).run()
    everything = crime_summary(scope.force_scope("city-of-london"), points_limit=None)
    summary = crime_summary(scope.force_scope("city-of-london"), points_limit=limit)
    counts = sorted((p.count for p in everything.points), reverse=True)
    # Moor Lane 7 + 5 over the two months, Wood Street 5 + 3, Fore Street 2, Milk Street 1, Ropemaker Street 3.
    assert counts == [12, 8, 3, 2, 1]
    assert summary.places == everything.places == 5
    assert (summary.concentration_top, summary.concentration_share) == stats.concentration_share(counts)
    assert summary.concentration_share == pytest.approx(12 / 26)
    assert [p.street for p in summary.points] == [p.street for p in everything.points][: limit or 5]
