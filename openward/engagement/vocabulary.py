"""The standard minutes topics every panel starts with (panels can add their own)."""

STANDARD_TOPICS = [
    ("theft", "Theft"),
    ("personal-safety", "Personal safety"),
    ("night-time-economy", "Night-time economy"),
    ("drugs", "Drugs"),
    ("counter-terrorism", "Counter terrorism"),
    ("fraud", "Fraud"),
    ("cycle-safety", "Cycle safety"),
    ("anti-social-behaviour", "Anti-social behaviour"),
    ("other", "Other"),
]


def ensure_standard_topics(topic_model) -> None:
    """Create or refresh the standard topics (used by the data migration and the demo step)."""
    for position, (slug, name) in enumerate(STANDARD_TOPICS, start=1):
        topic_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_standard": True, "position": position}
        )
