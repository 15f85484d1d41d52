"""Compare a response with a recorded police.uk response: same keys, same JSON types, nothing missing.

A null, an empty string, an empty list or an empty object in our response is a failure unless
police.uk's recording has one at the same place too: an endpoint that answers `null` or `[]`
must not pass a shape test by having nothing to compare.
"""

from __future__ import annotations


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def shape_problems(ours, recorded, where="$", free_keys=("contact_details",)) -> list[str]:
    """Why `ours` does not have the shape of `recorded` (an empty list when it does)."""
    if recorded is None:
        # police.uk sends null here at least sometimes, so any value (or null) is allowed.
        return []
    if _is_empty(ours) and not _is_empty(recorded):
        shown = "null" if ours is None else f"empty {json_type(ours)}"
        return [f"{where}: {shown} here, a non-empty {json_type(recorded)} recorded"]
    if json_type(ours) != json_type(recorded):
        return [f"{where}: {json_type(ours)} here, {json_type(recorded)} recorded"]
    if isinstance(recorded, dict):
        return _object_problems(ours, recorded, where, free_keys)
    if isinstance(recorded, list):
        return _array_problems(ours, recorded, where, free_keys)
    return []


def _object_problems(ours: dict, recorded: dict, where: str, free_keys) -> list[str]:
    if where.rsplit(".", 1)[-1] in free_keys:
        # Keys vary (email, twitter, …); every value is a non-empty string like the recorded ones.
        sample = next(iter(recorded.values()), "")
        return [p for key, value in ours.items() for p in shape_problems(value, sample, f"{where}.{key}", free_keys)]
    if set(ours) != set(recorded):
        return [f"{where}: keys {sorted(ours)} here, {sorted(recorded)} recorded"]
    return [p for key in recorded for p in shape_problems(ours[key], recorded[key], f"{where}.{key}", free_keys)]


def _array_problems(ours: list, recorded: list, where: str, free_keys) -> list[str]:
    """Every element of ours must have the shape of at least one recorded element."""
    if not recorded:
        return []
    problems = []
    for i, item in enumerate(ours):
        tries = [shape_problems(item, r, f"{where}[{i}]", free_keys) for r in recorded]
        if all(tries):
            problems.extend(min(tries, key=len))
    return problems


def assert_same_shape(ours, recorded, where="$", free_keys=("contact_details",)):
    """Fail, listing every difference, unless `ours` has the recorded police.uk shape."""
    problems = shape_problems(ours, recorded, where, free_keys)
    assert not problems, "not the recorded police.uk shape:\n" + "\n".join(problems[:20])
