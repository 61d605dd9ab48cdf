"""Background work of registrations."""

from celery import shared_task

from registrations import services


@shared_task
def expire_offers() -> int:
    return services.expire_offers()
