from django.urls import path

from openward.core import access

from . import feeds, views

app_name = "engagement"

AREA = "<str:kind>/<str:key>"

urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/cancel-registration/", views.cancel_registration, name="cancel-registration"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/reply/", views.reply_to_event, name="event-reply"),
    path("events/<int:pk>/record/", views.record_edit, name="record-edit"),
    path("events/<int:pk>/topics/", views.topic_add, name="topic-add"),
    path(f"places/{AREA}/events/new/", views.event_new, name="event-new"),
    path(f"places/{AREA}/records/", views.area_records, name="area-records"),
    path(f"places/{AREA}/records.<str:fmt>", views.area_export, name="area-export"),
    path(f"places/{AREA}/volunteering/new/", views.volunteer_task_new, name="volunteer-task-new"),
    path("wards/<str:code>/calendar.ics", views.ward_calendar, name="ward-calendar"),
    path("calendar/<str:token>.ics", views.personal_calendar, name="personal-calendar"),
    path("offers/<str:token>/", views.offer, name="offer"),
    path("mine/", views.mine, name="mine"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/actions/", views.action_add, name="action-add"),
    path("actions/<int:pk>/", views.action_update, name="action-update"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_new, name="bulletin-new"),
    path("bulletins/feed.rss", access.public(feeds.BulletinFeed()), name="bulletins-rss"),
    path("bulletins/feed.atom", access.public(feeds.BulletinAtomFeed()), name="bulletins-atom"),
    path("wards/<str:code>/bulletins.rss", access.public(feeds.BulletinFeed()), name="ward-bulletins-rss"),
    path("wards/<str:code>/bulletins.atom", access.public(feeds.BulletinAtomFeed()), name="ward-bulletins-atom"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/reply/", views.reply_to_bulletin, name="bulletin-reply"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin-edit"),
    path("bulletins/images/<int:pk>/", views.bulletin_image, name="bulletin-image"),
    path("replies/<str:token>/", views.reply_by_link, name="reply-by-link"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_reply, name="inbox-reply"),
    path("volunteering/", views.volunteering_list, name="volunteering"),
    path("volunteering/<int:pk>/", views.volunteer_task, name="volunteer-task"),
    path("volunteering/<int:pk>/sign-up/", views.volunteer_sign_up, name="volunteer-sign-up"),
    path("volunteering/<int:pk>/withdraw/", views.volunteer_withdraw, name="volunteer-withdraw"),
    path("volunteering/<int:pk>/report/", views.volunteer_report, name="volunteer-report"),
]
