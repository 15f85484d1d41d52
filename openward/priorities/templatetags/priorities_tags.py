from django import template

register = template.Library()


@register.filter
def percent_of(share, rows):
    """A bar's length: this share relative to the largest share among the rows (0–100)."""
    top = max((r.share for r in rows), default=0)
    return f"{(share / top * 100) if top else 0:.1f}"


@register.filter
def pct(value, places=0):
    if value is None:
        return "–"
    return f"{value * 100:.{int(places)}f}%"


@register.filter
def status_words(value):
    """A priority status in words ("not achieved"), never its stored value ("not_achieved")."""
    from openward.priorities.models import Priority

    try:
        return Priority.Status(value).label.lower()
    except ValueError:
        return "changed"
