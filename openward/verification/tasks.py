"""Background work for verification."""

from django_tasks import task


@task()
def send_letter_by_notify(letter_id: int) -> None:
    """Post one verification letter through GOV.UK Notify."""
    from .letters import send_by_notify

    send_by_notify(letter_id)
