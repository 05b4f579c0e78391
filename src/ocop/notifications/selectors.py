"""Read selectors of notifications: a user only ever sees their own."""

from django.db.models import QuerySet

from ocop.notifications.models import Notification


def notifications_for_user(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (none for anonymous users)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    """How many of the user's notifications are unread: one COUNT on (recipient, read_at)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
