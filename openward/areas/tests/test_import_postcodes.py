"""Postcode importers: Code-Point Open in every form a person downloads it, ONSPD-style CSVs, bad input."""

import gzip
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from openward.areas import demo_data
from openward.areas.importers import CodePointOpenImporter, OnsPostcodeDirectoryImporter
from openward.areas.models import Borough, Postcode, Ward
from openward.core.importers.base import ImportFailed
from openward.core.models import ImportRun

pytestmark = pytest.mark.django_db

HEADER = (
    "Postcode,Positional_quality_indicator,Eastings,Northings,Country_code,NHS_regional_HA_code,"
    "NHS_HA_code,Admin_county_code,Admin_district_code,Admin_ward_code"
)
# Two real Code-Point Open 2025.4 rows; postcodes.io and ONSPD give SW1A 1AA as 51.501009, -0.141588.
SW1A = '"SW1A 1AA",10,529090,179645,"E92000001","E19000003","E18000007","","E09000033","E05013806"'
BR1 = '"BR1 1AA",10,540291,168873,"E92000001","E19000003","E18000007","","E09000006","E05013991"'
NO_GRID = '"E1 0ZZ",90,0,0,"E92000001","E19000003","E18000007","","E09000030","E05009332"'


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def snapshot():
    return sorted(Postcode.objects.values_list("compact", "latitude", "ward_code")), Ward.objects.count()


def test_a_headerless_csv_is_converted_to_wgs84_and_stored_compact(tmp_path):
    source = write(tmp_path / "sw.csv", f"{SW1A}\n{BR1}\n{NO_GRID}\n")
    run = CodePointOpenImporter(source, commit=True).run()
    pc = Postcode.objects.get(compact="SW1A1AA")
    assert (pc.latitude, pc.longitude) == pytest.approx((51.501009, -0.141588), abs=2e-6)
    assert (pc.easting, pc.northing, pc.positional_quality) == (529090, 179645, 10)
    assert (pc.ward_code, pc.borough_code, pc.source) == ("E05013806", "E09000033", "codepoint-open")
    no_grid = Postcode.objects.get(compact="E10ZZ")
    assert no_grid.latitude is None and no_grid.easting is None and no_grid.positional_quality == 90
    assert run.status == ImportRun.Status.COMMITTED
    assert run.counts["postcodes_created"] == 3 and run.counts["wards_created"] == 3
    assert set(Borough.objects.values_list("gss_code", flat=True)) == {"E09000033", "E09000006", "E09000030"}
    assert Borough.objects.get(gss_code="E09000033").force.slug == "metropolitan"


def test_dry_run_saves_nothing_but_records_the_run(tmp_path):
    source = write(tmp_path / "sw.csv", f"{SW1A}\n{BR1}\n")
    run = CodePointOpenImporter(source).run()
    assert run.status == ImportRun.Status.DRY_RUN and run.counts["postcodes_created"] == 2
    assert Postcode.objects.count() == 0 and Ward.objects.count() == 0


def test_a_headed_gzipped_csv_and_a_rerun_updates_in_place(tmp_path):
    source = tmp_path / "london.csv.gz"
    source.write_bytes(gzip.compress(f"{HEADER}\n{SW1A}\n{BR1}\n".encode()))
    CodePointOpenImporter(source, commit=True).run()
    moved = SW1A.replace("529090,179645", "529100,179650")
    source.write_bytes(gzip.compress(f"{HEADER}\n{moved}\n{BR1}\n".encode()))
    run = CodePointOpenImporter(source, commit=True).run()
    counts = run.counts
    assert (counts["postcodes_created"], counts["postcodes_updated"], counts["postcodes_unchanged"]) == (0, 1, 1)
    assert Postcode.objects.count() == 2
    assert Postcode.objects.get(compact="SW1A1AA").easting == 529100


def test_the_product_zip_as_downloaded_with_its_code_list(tmp_path):
    source = demo_data.write_codepoint_zip(tmp_path / "codepo_gb.zip")
    run = CodePointOpenImporter(source, commit=True).run()
    assert run.counts["postcodes_created"] == len(demo_data.demo_postcodes())
    first = demo_data.demo_wards()[0]
    # Names come from Doc/Codelist.xlsx inside the zip.
    assert Ward.objects.get(gss_code=first.code).name == first.name
    assert Borough.objects.get(gss_code=demo_data.DEMO_BOROUGH_CODE).name == demo_data.DEMO_BOROUGH_NAME


def test_an_unzipped_product_folder(tmp_path):
    with zipfile.ZipFile(demo_data.write_codepoint_zip(tmp_path / "codepo_gb.zip")) as archive:
        archive.extractall(tmp_path / "codepo_gb")
    run = CodePointOpenImporter(tmp_path / "codepo_gb", commit=True).run()
    assert run.counts["postcodes_created"] == len(demo_data.demo_postcodes())


def test_a_names_file_names_the_wards_and_boroughs(tmp_path):
    source = write(tmp_path / "sw.csv", f"{SW1A}\n")
    names = write(
        tmp_path / "names.csv",
        "ward_code,ward_name,borough_code,borough_name,postcodes\n"
        "E05013806,St. James's,E09000033,City of Westminster London Boro,1\n",
    )
    CodePointOpenImporter(source, commit=True, names=names).run()
    assert Ward.objects.get(gss_code="E05013806").name == "St. James's"
    assert Borough.objects.get(gss_code="E09000033").slug == "city-of-westminster-london-boro"


def test_districts_filter_keeps_only_the_area_asked_for(tmp_path):
    outside = '"AB10 1AB",10,394235,806529,"S92000003","S08000020","","","S12000033","S13002842"'
    source = write(tmp_path / "gb.csv", f"{SW1A}\n{outside}\n")
    run = CodePointOpenImporter(source, commit=True, districts=["E09"]).run()
    assert list(Postcode.objects.values_list("compact", flat=True)) == ["SW1A1AA"]
    assert run.counts["rows_outside_districts"] == 1


# -- bad input: the importer says what and where, and the database is unchanged ---------------------------
@pytest.fixture
def existing(tmp_path):
    CodePointOpenImporter(write(tmp_path / "first.csv", f"{BR1}\n"), commit=True).run()
    return snapshot()


def refused(importer) -> str:
    with pytest.raises(ImportFailed) as info:
        importer.run()
    assert info.value.run.status == ImportRun.Status.FAILED
    return str(info.value)


def test_a_truncated_zip_is_refused(tmp_path, existing):
    whole = demo_data.write_codepoint_zip(tmp_path / "codepo_gb.zip").read_bytes()
    cut = write(tmp_path / "cut.zip", "")
    cut.write_bytes(whole[: len(whole) // 2])
    message = refused(CodePointOpenImporter(cut, commit=True))
    assert "cut.zip" in message and "not a complete zip file" in message
    assert snapshot() == existing


def test_a_truncated_last_row_is_refused_with_its_line(tmp_path, existing):
    source = write(tmp_path / "cut.csv", f"{SW1A}\n{BR1}\n" + '"E1 0AA",10,5352')
    message = refused(CodePointOpenImporter(source, commit=True))
    assert "cut.csv, line 3" in message and "has 3 fields, expected 10" in message
    assert snapshot() == existing


def test_a_last_row_cut_after_its_last_comma_is_refused(tmp_path, existing):
    # Every field is there, but the ward code is empty: imported, it would blank BR1's stored ward.
    source = write(tmp_path / "cut.csv", f"{SW1A}\n" + BR1.rsplit(",", 1)[0] + ",")
    message = refused(CodePointOpenImporter(source, commit=True))
    assert "cut.csv, line 2: the last line does not end with a line break" in message
    assert snapshot() == existing and Postcode.objects.get(compact="BR11AA").ward_code == "E05013991"


def test_a_wrong_header_is_refused(tmp_path, existing):
    source = write(tmp_path / "other.csv", "Postcode,Lat,Long\nSW1A 1AA,51.5,-0.14\n")
    message = refused(CodePointOpenImporter(source, commit=True))
    assert "other.csv, line 1" in message and "missing Positional_quality_indicator" in message
    assert snapshot() == existing


def test_a_file_that_is_not_code_point_at_all_is_refused(tmp_path, existing):
    source = write(tmp_path / "onspd.csv", "pcds,lat,long\nSW1A 1AA,51.5,-0.14\n")
    assert "neither a postcode nor Code-Point Open's header" in refused(CodePointOpenImporter(source, commit=True))
    assert snapshot() == existing


def test_a_non_utf8_file_is_refused_with_its_line(tmp_path, existing):
    source = write(
        tmp_path / "latin1.csv",
        f"{SW1A}\n{BR1}\n" + '"SE1 9ÉA",10,1,1,"","","","","E09000028","E05011095"\n',
        "latin-1",
    )
    message = refused(CodePointOpenImporter(source, commit=True))
    assert "latin1.csv, line 3" in message and "not UTF-8" in message
    assert snapshot() == existing


def test_bad_values_are_each_reported_and_nothing_is_imported(tmp_path, existing):
    bad_quality = SW1A.replace(",10,", ",11,")
    bad_postcode = BR1.replace("BR1 1AA", "BR1 1A")
    source = write(tmp_path / "bad.csv", f"{bad_quality}\n{bad_postcode}\n{NO_GRID}\n{NO_GRID}\n")
    with pytest.raises(ImportFailed) as info:
        CodePointOpenImporter(source, commit=True).run()
    problems = {(p.where.rsplit(", ", 1)[1], p.message) for p in info.value.problems}
    assert (
        "line 1",
        'postcode "SW1A 1AA": the positional quality is not one of 10, 20, 30, 40, 50, 60, 90.',
    ) in problems
    assert ("line 2", '"BR1 1A" is not a postcode.') in problems
    assert ("line 4", 'postcode "E10ZZ" is also on line 3.') in problems
    assert snapshot() == existing


# -- ONS postcode directory style ---------------------------------------------------------------------------
ONSPD_HEADER = "pcd,pcds,dointr,doterm,oseast1m,osnrth1m,osward,oslaua,lsoa11,lsoa21,lat,long"


def test_onspd_keeps_terminated_postcodes_with_their_date(tmp_path):
    source = write(
        tmp_path / "onspd.csv",
        f"{ONSPD_HEADER}\n"
        "SW1A1AA,SW1A 1AA,198001,,529090,179645,E05013806,E09000033,E01004736,E01004736,51.501009,-0.141588\n"
        "SW1A0PW,SW1A 0PW,198001,200212,530268,179545,E05013806,E09000033,E01004736,,51.499840,-0.124663\n"
        "E1W 9ZZ,E1W 9ZZ,201001,201401,,,E05009332,E09000030,,,99.999999,0.000000\n",
    )
    run = OnsPostcodeDirectoryImporter(source, commit=True).run()
    live = Postcode.objects.get(compact="SW1A1AA")
    assert (live.lsoa11_code, live.introduced, live.terminated) == ("E01004736", date(1980, 1, 1), None)
    gone = Postcode.objects.get(compact="SW1A0PW")
    assert gone.terminated == date(2002, 12, 1)
    assert Postcode.objects.get(compact="E1W9ZZ").latitude is None
    assert list(Postcode.objects.live().values_list("compact", flat=True)) == ["SW1A1AA"]
    assert run.counts["terminated"] == 2


def test_onspd_after_code_point_adds_lsoas_without_blanking_quality(tmp_path):
    CodePointOpenImporter(write(tmp_path / "cp.csv", f"{SW1A}\n"), commit=True).run()
    OnsPostcodeDirectoryImporter(
        write(
            tmp_path / "o.csv",
            "pcds,lat,long,osward,oslaua,lsoa11\nSW1A 1AA,51.501009,-0.141588,E05013806,E09000033,E01004736\n",
        ),
        commit=True,
    ).run()
    pc = Postcode.objects.get(compact="SW1A1AA")
    assert (pc.positional_quality, pc.lsoa11_code, pc.source) == (10, "E01004736", "onspd")


def test_onspd_without_a_ward_column_is_refused(tmp_path):
    source = write(tmp_path / "o.csv", "pcds,lat,long,oslaua\nSW1A 1AA,51.5,-0.14,E09000033\n")
    message = refused(OnsPostcodeDirectoryImporter(source, commit=True))
    assert "o.csv, line 1" in message and "no ward code column" in message and "osward" in message
    assert Postcode.objects.count() == 0


# -- the command ---------------------------------------------------------------------------------------------
def test_import_postcodes_command_dry_run_then_commit(tmp_path, capsys):
    source = write(tmp_path / "sw.csv", f"{SW1A}\n{BR1}\n")
    call_command("import_postcodes", str(source))
    out = capsys.readouterr().out
    assert "postcodes created: 2" in out and "dry run, nothing was saved" in out
    assert Postcode.objects.count() == 0
    call_command("import_postcodes", str(source), "--commit")
    assert Postcode.objects.count() == 2


def test_import_postcodes_command_detects_onspd_and_reports_failures(tmp_path):
    onspd = write(tmp_path / "o.csv", "pcds,lat,long,osward,oslaua\nSW1A 1AA,51.501009,-0.141588,E05013806,E09000033\n")
    call_command("import_postcodes", str(onspd), "--commit")
    assert Postcode.objects.get().source == "onspd"
    bad = write(tmp_path / "cut.csv", f"{SW1A}\n" + '"E1 0AA",10,5352')
    with pytest.raises(CommandError, match=r"cut.csv, line 2: this row has 3 fields"):
        call_command("import_postcodes", str(bad), "--commit")
