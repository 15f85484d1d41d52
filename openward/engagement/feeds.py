"""Bulletin archive feeds: RSS 2.0 and Atom, for everyone or one ward."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

from openward.areas.selectors import ward_or_404

from .models import Bulletin


class BulletinFeed(Feed):
    description = "Bulletins, appeals and crime prevention advice from neighbourhood policing teams."

    def get_object(self, request, code=None):
        return ward_or_404(code) if code else None

    def title(self, ward):
        return f"Open Ward bulletins: {ward.name}" if ward else "Open Ward bulletins"

    def link(self, ward):
        from django.urls import reverse

        url = reverse("engagement:bulletins")
        return f"{url}?ward={ward.gss_code}" if ward else url

    def items(self, ward):
        bulletins = Bulletin.objects.published()
        if ward:
            bulletins = bulletins.for_ward(ward)
        return bulletins[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or strip_tags(item.body_html)[:500]

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_kind_display()]


class BulletinAtomFeed(BulletinFeed):
    feed_type = Atom1Feed
    subtitle = BulletinFeed.description
