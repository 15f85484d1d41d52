"""iCalendar (RFC 5545) feeds: escaped text, lines folded at 75 octets, CRLF line ends, times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line so no physical line is longer than 75 octets, never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event, *, show_link: bool, now: datetime) -> list[str]:
    url = settings.SITE_URL.rstrip("/") + reverse("engagement:event", args=[event.pk])
    description = event.description or ""
    if show_link and event.online_link:
        description = f"{description}\n\nJoin online: {event.online_link}".strip()
    location = event.address
    if event.mode == event.Mode.ONLINE:
        location = event.online_link if show_link else "Online (link for people registered)"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}@openward",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(event.starts_at)}",
    ]
    if event.ends_at:
        lines.append(f"DTEND:{utc(event.ends_at)}")
    lines += [
        f"SUMMARY:{escape(event.title)}",
        f"DESCRIPTION:{escape(description)}",
        f"LOCATION:{escape(location)}",
        f"URL:{url}",
        f"CATEGORIES:{escape(event.get_kind_display())}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
        f"LAST-MODIFIED:{utc(event.updated_at)}",
        "END:VEVENT",
    ]
    return lines


def calendar(name: str, events, *, show_links: bool = False, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Open Ward//Events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += event_lines(event, show_link=show_links, now=now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
