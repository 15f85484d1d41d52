from django.urls import path

from openward.core import access

from . import feeds
from .views import bulletins, calendars, events, records, replies, volunteering

app_name = "engagement"

AREA = "<str:kind>/<str:key>"

urlpatterns = [
    path("events/", events.event_list, name="events"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/register/", events.register, name="register"),
    path("events/<int:pk>/cancel-registration/", events.cancel_registration, name="cancel-registration"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event-cancel"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/reply/", replies.reply_to_event, name="event-reply"),
    path("events/<int:pk>/record/", records.record_edit, name="record-edit"),
    path("events/<int:pk>/topics/", records.topic_add, name="topic-add"),
    path(f"places/{AREA}/events/new/", events.event_new, name="event-new"),
    path(f"places/{AREA}/records/", records.area_records, name="area-records"),
    path(f"places/{AREA}/records.<str:fmt>", records.area_export, name="area-export"),
    path(f"places/{AREA}/volunteering/new/", volunteering.volunteer_task_new, name="volunteer-task-new"),
    path("wards/<str:code>/calendar.ics", calendars.ward_calendar, name="ward-calendar"),
    path("calendar/<str:token>.ics", calendars.personal_calendar, name="personal-calendar"),
    path("offers/<str:token>/", events.offer, name="offer"),
    path("mine/", calendars.mine, name="mine"),
    path("records/<int:pk>/", records.record_detail, name="record"),
    path("records/<int:pk>/actions/", records.action_add, name="action-add"),
    path("actions/<int:pk>/", records.action_update, name="action-update"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/new/", bulletins.bulletin_new, name="bulletin-new"),
    path("bulletins/feed.rss", access.public(feeds.BulletinFeed()), name="bulletins-rss"),
    path("bulletins/feed.atom", access.public(feeds.BulletinAtomFeed()), name="bulletins-atom"),
    path("wards/<str:code>/bulletins.rss", access.public(feeds.BulletinFeed()), name="ward-bulletins-rss"),
    path("wards/<str:code>/bulletins.atom", access.public(feeds.BulletinAtomFeed()), name="ward-bulletins-atom"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/reply/", replies.reply_to_bulletin, name="bulletin-reply"),
    path("bulletins/<int:pk>/edit/", bulletins.bulletin_edit, name="bulletin-edit"),
    path("bulletins/images/<int:pk>/", bulletins.bulletin_image, name="bulletin-image"),
    path("replies/<str:token>/", replies.reply_by_link, name="reply-by-link"),
    path("inbox/", replies.inbox, name="inbox"),
    path("inbox/<int:pk>/", replies.inbox_reply, name="inbox-reply"),
    path("volunteering/", volunteering.volunteering_list, name="volunteering"),
    path("volunteering/<int:pk>/", volunteering.volunteer_task, name="volunteer-task"),
    path("volunteering/<int:pk>/sign-up/", volunteering.volunteer_sign_up, name="volunteer-sign-up"),
    path("volunteering/<int:pk>/withdraw/", volunteering.volunteer_withdraw, name="volunteer-withdraw"),
    path("volunteering/<int:pk>/report/", volunteering.volunteer_report, name="volunteer-report"),
]
