"""Engagement writes, one module a concept: `events`, `registrations`, `records` (meeting records, topics and
actions), `bulletins`, `replies` and `volunteering`. Each write is one atomic, audited service named in domain
words; email goes after commit. Callers import the module they need, e.g.
`from openward.engagement.services import events`.
"""
