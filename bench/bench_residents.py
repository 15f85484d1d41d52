"""Residents per ward by verification level: one annotated query against the per-person property.

Run: /work/main/.venv/bin/python bench/bench_residents.py
Builds an in-memory database with 20 wards and 4,000 people (a third each at levels 0, 1, 2),
then counts people at level 2 or above per ward two ways and checks they agree:
  baseline  – Membership.level for each row (what a naive page would do)
  annotated – Membership.objects.with_level() grouped in the database
Also times the access check (has_role) for a ward-scoped officer.
"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

PEOPLE, WARDS = 4000, 20


def build():
    from openward.accounts.models import Role, RoleGrant, User
    from openward.areas.models import Borough, Ward, WardGeneration
    from openward.verification.models import Level, Membership, Method, VerificationGrant

    call_command("migrate", verbosity=0)
    generation = WardGeneration.objects.create(slug="2022", name="2022")
    borough = Borough.objects.create(gss_code="E09000001", name="Bench", slug="bench")
    wards = Ward.objects.bulk_create(
        Ward(gss_code=f"E05{i:06d}", name=f"Ward {i}", slug=f"w{i}", borough=borough, generation=generation)
        for i in range(WARDS)
    )
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"p{i}@example.org", email_key=f"p{i}@example.org", email_confirmed_at=now if i % 3 else None)
        for i in range(PEOPLE)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=u, ward=wards[i % WARDS], is_home=True) for i, u in enumerate(users)
    )
    grants = []
    for i, m in enumerate(memberships):
        if i % 3:
            grants.append(VerificationGrant(membership=m, level=Level.EMAIL, method=Method.EMAIL_POSTCODE))
        if i % 3 == 2:
            grants.append(VerificationGrant(membership=m, level=Level.ADDRESS, method=Method.LETTER))
    VerificationGrant.objects.bulk_create(grants)
    officer = users[1]
    RoleGrant.objects.create(user=officer, role=Role.OFFICER, ward=wards[0])
    return wards, officer


def timed(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    from openward.accounts.models import Role, RoleGrant
    from openward.accounts.permissions import has_role, models_q_for_ward
    from openward.verification.models import Membership

    wards, officer = build()

    def baseline():
        counts = Counter()
        for m in Membership.objects.select_related("user", "ward"):
            if m.level >= 2:
                counts[m.ward.gss_code] += 1
        return dict(counts)

    def annotated():
        rows = Membership.objects.at_least(2).values("ward__gss_code").annotate(n=Count("id"))
        return {r["ward__gss_code"]: r["n"] for r in rows}

    with CaptureQueriesContext(connection) as base_q:
        base_s, base_result = timed(baseline, repeat=1)
    with CaptureQueriesContext(connection) as ann_q:
        ann_s, ann_result = timed(annotated, repeat=1)
    base_s, _ = timed(baseline)
    ann_s, _ = timed(annotated)
    assert base_result == ann_result, "the two counts disagree"
    print(f"people: {PEOPLE}, wards: {WARDS}, level-2 people: {sum(ann_result.values())}")
    print(f"baseline (per-row .level): {base_s * 1000:8.1f} ms, {len(base_q.captured_queries)} queries")
    print(f"annotated (with_level):    {ann_s * 1000:8.1f} ms, {len(ann_q.captured_queries)} queries")
    print(f"ratio baseline/annotated: {base_s / ann_s:.1f}x faster")

    def orm_filters(user, roles, ward):
        # Baseline: the first version of has_role, all in ORM filters (two queries with joins).
        grants = RoleGrant.objects.active().filter(user=user)
        if grants.filter(role=Role.SITE_ADMIN).exists():
            return True
        return grants.filter(role__in=roles).filter(models_q_for_ward(ward)).exists()

    def checks(fn, n=500):
        start = time.perf_counter()
        for _ in range(n):
            assert fn(officer, [Role.OFFICER], wards[0])
            assert not fn(officer, [Role.OFFICER], wards[1])
        return (time.perf_counter() - start) / (2 * n)

    base_check, new_check = checks(orm_filters), checks(has_role)
    print(f"access check, ORM filters (baseline): {base_check * 1e6:6.0f} µs per check")
    print(f"access check, has_role:               {new_check * 1e6:6.0f} µs per check")
    print(f"ratio baseline/has_role: {base_check / new_check:.1f}x faster")


if __name__ == "__main__":
    main()
