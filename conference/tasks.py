"""Background tasks of the core. Each takes ids, fetches, and calls a service."""

from celery import shared_task

from conference import services


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_outgoing_email(email_id: int) -> str:
    return services.outgoing_email_send(email_id=email_id)


@shared_task
def prune_outgoing_email() -> int:
    return services.outgoing_email_prune()
