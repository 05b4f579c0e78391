"""Channels a notification goes out on, and the delivery states recorded per channel."""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a notification is shown or sent.

    The in-app row is always written (it also records the other channels' delivery); ``email``
    and ``sms`` are delivered in the background after the transaction commits.
    """

    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")

    outbound = enum.nonmember(("email", "sms"))


class DeliveryStatus:
    """Values of ``Notification.delivery[channel]``; failures and skips carry a short reason.

    ``pending`` is set when the row is created and replaced by the delivery task, which handles
    only pending channels (a task delivered twice sends nothing twice).
    """

    PENDING = "pending"
    SENT = "sent"
    SKIPPED_NO_ADDRESS = "skipped: no address"
    SKIPPED_NO_PHONE = "skipped: no phone"
    SKIPPED_NO_BACKEND = "skipped: no SMS backend"
    SKIPPED_INACTIVE = "skipped: inactive user"
    FAILED_PREFIX = "failed: "

    @classmethod
    def failed(cls, reason: str) -> str:
        return (cls.FAILED_PREFIX + reason)[:300]
