"""Published figures of a consultation as plain rows and dictionaries (CSV export and API).

Only aggregates leave here: counts per concern and per census group, never a ballot.
"""

from __future__ import annotations

from .results import MIN_GROUP, ConsultationResults, Result


def _round(x: float | None, places: int = 2):
    return None if x is None else round(x, places)


def result_dict(result: Result | None) -> dict | None:
    if result is None:
        return None
    return {
        "label": result.label,
        "weighted": result.weighted,
        "respondents": _round(result.respondents, 1),
        "concerns": [
            {
                "concern": r.concern.slug,
                "name": r.concern.name,
                "rank": r.rank,
                "points": _round(r.points, 1),
                "first_preferences": _round(r.first, 1),
                "mentions": _round(r.mentions, 1),
                "share_of_points": _round(r.share, 4),
            }
            for r in result.rows
        ],
    }


def results_dict(results: ConsultationResults) -> dict:
    """Everything published about a closed consultation, as JSON-ready data."""
    c = results.consultation
    period = results.crime_period
    return {
        "consultation": c.pk,
        "title": c.title,
        "method": results.method,
        "minimum_group_shown": MIN_GROUP,
        "respondents": results.respondents,
        "notes": results.notes,
        "headline": (
            {
                "based_on": "verified" if results.verified else "all",
                "top_concern": results.headline.rows[0].concern.slug,
                "verified_respondents": results.n_verified,
                "other_respondents": results.n_others,
                "who_counts_as_verified": results.level_rule(),
            }
            if results.headline
            else None
        ),
        "all": result_dict(results.overall),
        "verified": result_dict(results.verified),
        "others": result_dict(results.others),
        "weighted": result_dict(results.weighted),
        "differences": [
            {
                "concern": d["concern"].slug,
                "all_rank": d["all_rank"],
                "verified_rank": d["verified_rank"],
                "all_share": _round(d["all_share"], 4),
                "verified_share": _round(d["verified_share"], 4),
            }
            for d in results.differences()
        ],
        "census_source": results.census_source,
        "representativeness": [
            {
                "dimension": g.dimension,
                "group": g.group,
                "respondents": g.respondents,
                "respondent_share": _round(g.respondent_share, 4),
                "census_residents_16_plus": g.census,
                "census_share": _round(g.census_share, 4),
                "under_represented": g.under_represented,
            }
            for g in results.representativeness
        ],
        "connection_to_the_area": [{"group": label, "respondents": n} for label, n in results.relationships],
        "recorded_crime_period": (
            {
                "recent": [period[0].isoformat()[:7], period[1].isoformat()[:7]],
                "previous": [period[2].isoformat()[:7], period[3].isoformat()[:7]],
            }
            if period
            else None
        ),
        "against_recorded_crime": [
            {
                "concern": a.concern.slug,
                "worry_rank": a.worry_rank,
                "crime_rank": a.crime_rank,
                "crimes_recent_12_months": a.recent,
                "crimes_previous_12_months": a.previous,
                "change": a.trend.short(),
                "trend_p_value": _round(a.trend.p_value, 4),
                "verdict": a.verdict,
            }
            for a in results.against_crime
        ],
    }


def result_rows(results: ConsultationResults) -> list[list]:
    """The CSV: one row per concern and result, then the census comparison, then recorded crime."""
    rows: list[list] = [
        ["# " + results.consultation.title],
        ["# method", results.method],
        ["# respondents", results.respondents],
    ]
    rows += [["# note", n] for n in results.notes]
    rows.append(
        ["result", "concern", "rank", "points", "first_preferences", "mentions", "share_of_points", "respondents"]
    )
    for result in (results.overall, results.verified, results.weighted):
        if result is None:
            continue
        for r in result.rows:
            rows.append(
                [
                    result.label,
                    r.concern.name,
                    r.rank,
                    _round(r.points, 1),
                    _round(r.first, 1),
                    _round(r.mentions, 1),
                    _round(r.share, 4),
                    _round(result.respondents, 1),
                ]
            )
    if results.representativeness:
        rows.append([])
        rows.append(
            [
                "dimension",
                "group",
                "respondents",
                "respondent_share",
                "census_residents_16_plus",
                "census_share",
                "under_represented",
            ]
        )
        for g in results.representativeness:
            rows.append(
                [
                    g.dimension,
                    g.label,
                    g.respondents if g.respondents is not None else f"fewer than {MIN_GROUP}",
                    _round(g.respondent_share, 4),
                    g.census,
                    _round(g.census_share, 4),
                    "yes" if g.under_represented else "no",
                ]
            )
    if results.against_crime:
        rows.append([])
        rows.append(
            [
                "concern",
                "worry_rank",
                "crime_rank",
                "crimes_recent_12_months",
                "crimes_previous_12_months",
                "trend_p_value",
                "verdict",
            ]
        )
        for a in results.against_crime:
            rows.append(
                [
                    a.concern.name,
                    a.worry_rank,
                    a.crime_rank,
                    a.recent,
                    a.previous,
                    _round(a.trend.p_value, 4),
                    a.verdict,
                ]
            )
    return rows
