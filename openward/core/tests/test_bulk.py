"""update_rows: the named fields of each object reach its row, and nothing else changes."""

import datetime as dt

import pytest

from openward.areas.models import Neighbourhood
from openward.areas.tests.factories import ForceFactory, NeighbourhoodFactory, WardFactory
from openward.core.bulk import update_rows


def stored(pk: int) -> tuple:
    return Neighbourhood.objects.filter(pk=pk).values_list(
        "ward_id", "name", "valid_from", "valid_to", "description", "contact_details"
    )[0]


@pytest.mark.django_db
def test_update_rows_writes_the_named_fields_of_each_object_and_nothing_else():
    force = ForceFactory()
    first, second, untouched = (NeighbourhoodFactory(force=force, valid_from=dt.date(2014, 5, 22)) for _ in range(3))
    before_untouched = stored(untouched.pk)
    other_ward = WardFactory()
    first.ward, first.name, first.valid_from, first.valid_to = other_ward, "Renamed", dt.date(2022, 5, 5), None
    second.ward, second.name, second.valid_to = None, "Without a ward", dt.date(2022, 5, 4)
    for changed in (first, second, untouched):
        changed.description = "not one of the named fields"
        changed.contact_details = {"email": "not-written@example.org"}

    assert update_rows([first, second], ["ward", "name", "valid_from", "valid_to"]) == 2

    team = {"email": "team@met.police.uk", "telephone": "101"}
    description = "<p>Your local Safer Neighbourhoods team.</p>"
    assert stored(first.pk) == (other_ward.pk, "Renamed", dt.date(2022, 5, 5), None, description, team)
    assert stored(second.pk) == (None, "Without a ward", dt.date(2014, 5, 22), dt.date(2022, 5, 4), description, team)
    assert stored(untouched.pk) == before_untouched


@pytest.mark.django_db
def test_update_rows_writes_nothing_for_no_objects_and_refuses_the_key():
    assert update_rows([], ["name"]) == 0
    with pytest.raises(ValueError, match="not id"):
        update_rows([NeighbourhoodFactory()], ["id"])
