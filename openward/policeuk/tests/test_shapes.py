"""The recorded-shape comparator fails on what it exists to catch: null, empty and missing answers."""

import pytest

from .shapes import assert_same_shape, shape_problems

CRIME = {
    "category": "burglary",
    "location": {"latitude": "51.5", "longitude": "-0.1", "street": {"id": 1, "name": "On or near X"}},
    "outcome_status": None,
    "context": "",
}


@pytest.mark.parametrize(
    "ours",
    [
        None,
        [],
        {},
        [None],
        [{**CRIME, "location": None}],
        [{**CRIME, "category": ""}],
        [{**CRIME, "category": None}],
        [{**CRIME, "location": {}}],
        [{**CRIME, "location": {**CRIME["location"], "street": {"id": "1", "name": "On or near X"}}}],
        [{k: v for k, v in CRIME.items() if k != "context"}],
        [{**CRIME, "extra": 1}],
    ],
)
def test_null_empty_and_wrong_answers_fail(ours):
    with pytest.raises(AssertionError):
        assert_same_shape(ours, [CRIME])


def test_null_and_empty_pass_where_police_uk_has_them_too():
    assert_same_shape([CRIME], [CRIME])
    # outcome_status is null in the recording: an object or a null here are both police.uk's shape.
    assert_same_shape([{**CRIME, "outcome_status": {"category": "x", "date": "2024-01"}}], [CRIME])
    assert_same_shape([], [])
    assert_same_shape({"links": []}, {"links": []})


def test_each_element_matches_some_recorded_element():
    with_outcome = {**CRIME, "outcome_status": {"category": "Under investigation", "date": "2024-02"}}
    recorded = [with_outcome, {**CRIME, "location": None}]
    assert_same_shape([with_outcome, {**CRIME, "location": None}], recorded)
    assert shape_problems([{**with_outcome, "outcome_status": {"category": 3, "date": "2024-02"}}], [with_outcome])


def test_free_keys_may_differ_but_values_must_be_strings():
    recorded = {"contact_details": {"twitter": "http://x"}}
    assert_same_shape({"contact_details": {"email": "a@b.c"}}, recorded)
    with pytest.raises(AssertionError):
        assert_same_shape({"contact_details": {}}, recorded)
    with pytest.raises(AssertionError):
        assert_same_shape({"contact_details": {"email": None}}, recorded)
