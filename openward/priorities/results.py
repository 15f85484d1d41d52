"""Results of a consultation: ranked concerns for all and for verified respondents, weighted to the
census beside the raw count, representativeness, and concerns set against recorded crime.

Nothing here reads who voted: ballots are loaded as columns of codes. No group of fewer than
`MIN_GROUP` respondents is broken down, and nothing is counted before the consultation closes:
`consultation_results` refuses an open one, so no page, export, API or evidence can show a
running result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Count, Sum

from openward.crime.analytics.cache import cached, data_version

from . import evidence, tally
from .models import (
    AgeBand,
    Ballot,
    Concern,
    Consultation,
    Demographics,
    Ethnicity,
    Level,
    PopulationGroup,
    Relationship,
)
from .stats import Comparison, compare_counts

MIN_GROUP = 10
# A group is named as under-represented when its share of respondents is below this fraction of its census share.
UNDER_REPRESENTED = 0.8
# "Verified" means an address verified by letter or in person; an email alone is easy to fake.
VERIFIED_FROM = Level.ADDRESS

DIMENSIONS = (("age", AgeBand), ("ethnicity", Ethnicity))


class NotPublished(Exception):
    """A consultation's results are secret until it closes."""


@dataclass
class Row:
    concern: Concern
    rank: int
    points: float
    first: float
    mentions: float
    share: float  # share of all points, 0..1


@dataclass
class Result:
    label: str
    respondents: float
    rows: list[Row]
    weighted: bool = False

    def row_for(self, concern_id: int) -> Row | None:
        return next((r for r in self.rows if r.concern.pk == concern_id), None)


@dataclass
class GroupShare:
    dimension: str
    group: str
    label: str
    respondents: int | None  # None: fewer than MIN_GROUP, not shown
    respondent_share: float | None
    census: int
    census_share: float
    under_represented: bool


@dataclass
class CrimeComparison:
    concern: Concern
    worry_rank: int
    crime_rank: int
    recent: int
    previous: int
    trend: Comparison
    verdict: str


@dataclass
class ConsultationResults:
    consultation: Consultation
    method: str = tally.METHOD
    respondents: int = 0
    overall: Result | None = None
    verified: Result | None = None
    others: Result | None = None  # respondents below VERIFIED_FROM, beside the verified result
    n_verified: int = 0
    weighted: Result | None = None
    notes: list[str] = field(default_factory=list)
    representativeness: list[GroupShare] = field(default_factory=list)
    census_source: str = ""
    relationships: list[tuple[str, int | None]] = field(default_factory=list)
    crime_period: tuple | None = None
    against_crime: list[CrimeComparison] = field(default_factory=list)

    @property
    def headline(self) -> Result | None:
        """The one result decisions rest on: verified respondents when they can be shown, else everyone."""
        return self.verified or self.overall

    @property
    def n_others(self) -> int:
        return self.respondents - self.n_verified

    def level_rule(self) -> str:
        """Why only some of those who took part count as verified, in words."""
        taking_part = Level(self.consultation.min_level)
        if taking_part >= VERIFIED_FROM:
            return (
                f"Only people whose address was verified (by letter or in person) could take part, so all "
                f"{self.respondents} count as verified."
            )
        return (
            f"Anyone at level {taking_part.value} ({taking_part.label.lower()}) or above could take part. "
            f"Only people whose address was verified by letter or in person (level {VERIFIED_FROM.value}) count "
            f"as verified, because an email address and a postcode are easy to give without living here: "
            f"{self.n_verified} of the {self.respondents} people who took part were verified."
        )

    def side_by_side(self) -> list[dict]:
        """The headline table: each concern's rank and share among verified respondents and among the others."""
        if not (self.verified and self.others):
            return []
        out = []
        for row in self.verified.rows:
            other = self.others.row_for(row.concern.pk)
            out.append({"concern": row.concern, "verified": row, "others": other})
        return out

    @property
    def under_represented(self) -> list[str]:
        return [g.label for g in self.representativeness if g.under_represented]

    def differences(self) -> list[dict]:
        """Each concern's rank and share of points among all respondents and among verified ones."""
        if not (self.overall and self.verified):
            return []
        out = []
        for row in self.overall.rows:
            v = self.verified.row_for(row.concern.pk)
            out.append(
                {
                    "concern": row.concern,
                    "all_rank": row.rank,
                    "verified_rank": v.rank,
                    "all_share": row.share,
                    "verified_share": v.share,
                    "difference": row.share - v.share,
                }
            )
        return out


def _codes(values: np.ndarray, known: list) -> np.ndarray:
    """Map each value to its position in `known`, or -1 (vectorised: 100,000 ballots in milliseconds)."""
    lookup = {v: i for i, v in enumerate(known)}
    uniques, inverse = np.unique(values, return_inverse=True)
    return np.array([lookup.get(u, -1) for u in uniques.tolist()], dtype=np.int64)[inverse]


def load_ballots(consultation: Consultation, concerns: list[Concern]) -> tally.Ballots:
    """The consultation's ballots as columns of codes (concern index, level, age and ethnic-group index)."""
    # One raw query: the ORM would build 100,000 Python tuples through its row machinery first.
    ballot, demographics = Ballot._meta.db_table, Demographics._meta.db_table
    sql = (
        f"SELECT b.first_id, COALESCE(b.second_id, 0), COALESCE(b.third_id, 0), b.level, "
        f"COALESCE(d.age_band, ''), COALESCE(d.ethnicity, '') "
        f"FROM {ballot} b LEFT JOIN {demographics} d ON d.ballot_id = b.id WHERE b.consultation_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [consultation.pk])
        rows = cursor.fetchall()
    if not rows:
        return tally.Ballots.from_rows([])
    first, second, third, level, age, ethnicity = zip(*rows, strict=True)
    concern_ids = [c.pk for c in concerns]
    return tally.Ballots(
        _codes(np.array(first), concern_ids),
        _codes(np.array(second), concern_ids),
        _codes(np.array(third), concern_ids),
        np.array(level, dtype=np.int64),
        _codes(np.array(age), list(AgeBand.values)),
        _codes(np.array(ethnicity), list(Ethnicity.values)),
    )


def _result(label: str, ballots: tally.Ballots, concerns: list[Concern], weights=None) -> Result:
    counts = tally.count(ballots, len(concerns), weights)
    ranks = tally.rank(counts.points, counts.first)
    total = counts.points.sum() or 1.0
    rows = [
        Row(
            concerns[i],
            int(ranks[i]),
            float(counts.points[i]),
            float(counts.first[i]),
            float(counts.mentions[i]),
            float(counts.points[i] / total),
        )
        for i in np.argsort(ranks, kind="stable")
    ]
    return Result(label, counts.respondents, rows, weighted=weights is not None)


def census_profile(wards) -> tuple[dict[str, np.ndarray], str]:
    """Residents aged 16+ per census group for `wards`, summed, and the sources' description."""
    profile = {dim: np.zeros(len(choices.values)) for dim, choices in DIMENSIONS}
    sources = set()
    for dim, choices in DIMENSIONS:
        positions = {v: i for i, v in enumerate(choices.values)}
        for group, count, source in PopulationGroup.objects.filter(ward__in=list(wards), dimension=dim).values_list(
            "group", "count", "source"
        ):
            if group in positions:
                profile[dim][positions[group]] += count
                sources.add(source)
    return profile, "; ".join(sorted(sources))


def _representativeness(ballots: tally.Ballots, profile: dict[str, np.ndarray]) -> list[GroupShare]:
    out = []
    for dim, choices in DIMENSIONS:
        census = profile[dim]
        if census.sum() == 0:
            continue
        codes = ballots.age if dim == "age" else ballots.ethnicity
        answered = codes[codes >= 0]
        counts = np.bincount(answered, minlength=len(census))
        n = len(answered)
        for i, (value, label) in enumerate(choices.choices):
            census_share = float(census[i] / census.sum())
            share = float(counts[i] / n) if n else 0.0
            shown = int(counts[i]) if counts[i] >= MIN_GROUP else None
            out.append(
                GroupShare(
                    dim,
                    value,
                    label,
                    shown,
                    share if shown is not None else None,
                    int(census[i]),
                    census_share,
                    n >= MIN_GROUP and share < UNDER_REPRESENTED * census_share,
                )
            )
    return out


def _relationships(consultation: Consultation) -> list[tuple[str, int | None]]:
    """Respondents by connection to the area (no census figure to compare); None below MIN_GROUP."""
    counts = dict(
        Demographics.objects.filter(ballot__consultation=consultation)
        .exclude(relationship="")
        .values_list("relationship")
        .annotate(n=Count("pk"))
    )
    return [(label, n if (n := counts.get(value, 0)) >= MIN_GROUP else None) for value, label in Relationship.choices]


def _against_crime(consultation: Consultation, headline: Result) -> tuple[tuple | None, list[CrimeComparison]]:
    wards = consultation.wards()
    latest = evidence.latest_month(wards)
    mapped = [r for r in headline.rows if r.concern.crime_categories]
    if latest is None or not mapped:
        return None, []
    recent_start = evidence.add_months(latest, -11)
    previous_end = evidence.add_months(recent_start, -1)
    previous_start = evidence.add_months(previous_end, -11)
    recent_by_cat = evidence.counts_by_category(wards, recent_start, latest)
    previous_by_cat = evidence.counts_by_category(wards, previous_start, previous_end)
    recent = {r.concern.pk: sum(recent_by_cat.get(c, 0) for c in r.concern.crime_categories) for r in mapped}
    previous = {r.concern.pk: sum(previous_by_cat.get(c, 0) for c in r.concern.crime_categories) for r in mapped}
    worry_ranks = tally.rank(np.array([r.points for r in mapped]), np.array([r.first for r in mapped]))
    crime_ranks = tally.rank(np.array([float(recent[r.concern.pk]) for r in mapped]), np.zeros(len(mapped)))
    out = []
    for row, worry, crime in zip(mapped, worry_ranks, crime_ranks, strict=True):
        gap = int(crime) - int(worry)
        if recent[row.concern.pk] == 0:
            verdict = "Worry, but no recorded crime" if worry <= 3 else "No recorded crime"
        elif gap >= 2:
            verdict = "Worry runs ahead of the data"
        elif gap <= -2:
            verdict = "The data runs ahead of worry"
        else:
            verdict = "In step"
        trend = compare_counts(previous[row.concern.pk], recent[row.concern.pk], 12, 12)
        out.append(
            CrimeComparison(
                row.concern, int(worry), int(crime), recent[row.concern.pk], previous[row.concern.pk], trend, verdict
            )
        )
    return (recent_start, latest, previous_start, previous_end), out


def _small_weighting_cells(ballots: tally.Ballots) -> list[str]:
    """The weighting cells (census groups, and "not answered") holding 1 to MIN_GROUP - 1 respondents."""
    small = []
    for dim, choices in DIMENSIONS:
        codes = ballots.age if dim == "age" else ballots.ethnicity
        counts = np.bincount(codes + 1, minlength=len(choices.values) + 1)
        labels = [f"{dim}: not answered", *(f"{dim}: {label}" for label in choices.labels)]
        small += [label for label, n in zip(labels, counts, strict=True) if 0 < n < MIN_GROUP]
    return small


def consultation_results(consultation: Consultation) -> ConsultationResults:
    """Everything the results page, the CSV and the API show for one closed consultation."""
    if not consultation.is_closed():
        raise NotPublished("Results are published when the consultation closes.")
    concerns = list(consultation.concerns.all())
    ballots = load_ballots(consultation, concerns)
    results = ConsultationResults(consultation, respondents=len(ballots))
    if len(ballots) < MIN_GROUP:
        results.notes.append(
            f"Results are shown once at least {MIN_GROUP} people have taken part, "
            "so that no one's choices can be picked out."
        )
        return results
    results.overall = _result("All respondents", ballots, concerns)
    verified_mask = ballots.level >= VERIFIED_FROM
    n_verified = int(verified_mask.sum())
    n_unverified = len(ballots) - n_verified
    results.n_verified = n_verified
    if n_verified >= MIN_GROUP and (n_unverified == 0 or n_unverified >= MIN_GROUP):
        results.verified = _result("Verified respondents", ballots.subset(verified_mask), concerns)
        if n_unverified:
            results.others = _result("Other respondents (not verified)", ballots.subset(~verified_mask), concerns)
    else:
        results.notes.append(
            f"The verified-only result is not shown: it needs at least {MIN_GROUP} verified respondents, "
            f"and either none or at least {MIN_GROUP} others, so that no small group can be picked out."
        )
    profile, results.census_source = census_profile(consultation.wards())
    if all(profile[dim].sum() > 0 for dim, _ in DIMENSIONS):
        results.representativeness = _representativeness(ballots, profile)
        small = _small_weighting_cells(ballots)
        if small:
            # A small group's weight is spread over few people: the weighted result minus the
            # unweighted one would show what those few chose.
            results.notes.append(
                f"The result weighted to the census is not shown: weighting gives each group of respondents "
                f"its own weight, and {len(small)} group{'s' if len(small) > 1 else ''} "
                f"({'; '.join(small)}) {'have' if len(small) > 1 else 'has'} fewer than {MIN_GROUP} people, "
                "whose choices the weighted result would reveal."
            )
        else:
            weights = tally.rake(ballots.age, ballots.ethnicity, profile["age"], profile["ethnicity"])
            results.weighted = _result("All respondents, weighted to the census", ballots, concerns, weights)
    else:
        results.notes.append(
            "No census profile is loaded for this area, so respondents cannot be compared with it or weighted."
        )
    results.relationships = _relationships(consultation)
    headline = results.verified or results.overall
    results.crime_period, results.against_crime = _against_crime(consultation, headline)
    return results


def free_text(consultation: Consultation) -> list[tuple[str, list[str]]]:
    """Respondents' own words, alphabetically (never in ballot order), each with the concerns it matches.

    For the panel only, and only once the consultation has closed with at least `MIN_GROUP` taking part.
    """
    if not consultation.is_closed() or consultation.ballots.count() < MIN_GROUP:
        return []
    texts = sorted(t for t in consultation.ballots.exclude(other_text="").values_list("other_text", flat=True))
    vocabulary = list(Concern.objects.active())
    out = []
    for text in texts:
        lowered = text.lower()
        matched = [c.name for c in vocabulary if any(s.lower() in lowered for s in c.synonyms)]
        out.append((text, matched))
    return out


def closed_results_version(consultation: Consultation) -> str:
    """What a closed consultation's results depend on: its ballots (only erasure changes them once
    closed) and the imported data they are set against (census profiles, crime), in two queries."""
    ballots = Ballot.objects.filter(consultation=consultation).aggregate(
        n=Count("pk"), levels=Sum("level"), demographics=Count("demographics")
    )
    return f"{ballots['n']}:{ballots['levels']}:{ballots['demographics']}:{data_version()}"


def published_results(consultation: Consultation) -> ConsultationResults:
    """`consultation_results`, computed once per change of what it depends on once the consultation is closed."""
    if not consultation.is_closed():
        return consultation_results(consultation)
    return cached(
        f"priorities|results|{consultation.pk}|{consultation.closes_at.isoformat()}",
        lambda: consultation_results(consultation),
        version=closed_results_version(consultation),
    )
