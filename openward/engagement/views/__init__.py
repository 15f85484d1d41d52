"""Engagement pages, one module a concept: `events`, `calendars`, `records`, `bulletins`, `replies` and
`volunteering` (urls.py names each). Thin views: they check access, call one service and render."""
