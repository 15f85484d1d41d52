"""Counts per crime category for a force or a ward and month: `manage.py crime_summary --force city-of-london`."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum

from openward.areas.models import Force, Ward
from openward.core.values import InvalidMonth, Month
from openward.crime.models import MonthlyCount, Stop


class Command(BaseCommand):
    help = "Print crimes per category (and stops and searches) for a force and/or ward, in one month or all."

    def add_arguments(self, parser):
        parser.add_argument("--force", help="Force id, e.g. metropolitan.")
        parser.add_argument("--ward", help="Ward GSS code (E05…), in every boundary generation that has it.")
        parser.add_argument("--month", help="YYYY-MM; default: every month imported.")

    def handle(self, *args, force, ward, month, **options):
        if not force and not ward:
            raise CommandError("Give --force or --ward (or both).")
        counts, stops = MonthlyCount.objects.all(), Stop.objects.all()
        title = []
        if force:
            if not Force.objects.filter(slug=force).exists():
                raise CommandError(
                    f'Force "{force}" is not known. Known: {", ".join(Force.objects.values_list("slug", flat=True))}'
                )
            counts, stops = counts.filter(force__slug=force), stops.filter(force__slug=force)
            title.append(force)
        if ward:
            wards = list(Ward.objects.filter(gss_code=ward))
            if not wards:
                raise CommandError(f'Ward "{ward}" is not known. Give a GSS code such as E05009288.')
            counts, stops = counts.filter(ward__in=wards), stops.filter(ward__in=wards)
            title.append(f"{wards[0].name} ({ward})")
        if month:
            try:
                parsed = Month.parse(month)
            except InvalidMonth as exc:
                raise CommandError(str(exc)) from exc
            first = f"{parsed}-01"
            counts, stops = counts.filter(month=first), stops.filter(month=first)
            title.append(str(parsed))
        self.stdout.write(" · ".join(title))
        rows = counts.values("category__name").annotate(n=Sum("count")).order_by("-n", "category__name")
        total = 0
        for r in rows:
            self.stdout.write(f"  {r['category__name']:<32} {r['n']:>8}")
            total += r["n"]
        self.stdout.write(f"  {'All crime and ASB':<32} {total:>8}")
        searches = stops.aggregate(n=Count("id"))["n"]
        self.stdout.write(f"  {'Stops and searches':<32} {searches:>8}")
