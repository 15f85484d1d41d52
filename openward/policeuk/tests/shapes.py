"""Compare a response with a recorded police.uk response: same keys, same JSON types."""

from __future__ import annotations


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def assert_same_shape(ours, recorded, where="$", free_keys=("contact_details",)):
    """Every key the recording has, we have (and no others); non-null values have the same JSON type."""
    if recorded is None or ours is None:
        return
    assert json_type(ours) == json_type(recorded), f"{where}: {json_type(ours)} here, {json_type(recorded)} recorded"
    if isinstance(recorded, dict):
        if where.rsplit(".", 1)[-1] not in free_keys:
            assert set(ours) == set(recorded), f"{where}: keys {sorted(ours)} here, {sorted(recorded)} recorded"
        for key in set(ours) & set(recorded):
            assert_same_shape(ours[key], recorded[key], f"{where}.{key}", free_keys)
    elif isinstance(recorded, list) and recorded and ours:
        for item in ours:
            assert_same_shape(item, recorded[0], f"{where}[]", free_keys)
