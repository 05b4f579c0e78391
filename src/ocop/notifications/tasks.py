"""Background wrappers (huey): call the delivery service with the notifications' ids."""

from huey.contrib.djhuey import db_task


@db_task(name="ocop.notifications.deliver_notifications")
def task_deliver_notifications(notification_ids: list[int]) -> None:
    from ocop.notifications.services import deliver_notification  # noqa: PLC0415 - tasks are layer 0

    deliver_notification(notification_ids)
