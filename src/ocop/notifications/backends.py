"""Text-message channels behind one interface (like Django's e-mail backends).

``settings.OCOP_SMS_BACKEND`` names the class by dotted path; :func:`get_sms_backend` loads it.
The default, :class:`NullBackend`, sends nothing, so the integration stays off until the variable
is set (style.md 3.10). :class:`ConsoleBackend` prints messages for development and
:class:`LocmemBackend` collects them in :data:`outbox` for tests.

A real gateway (an SMS provider, or Zalo ZNS/OA messages) is another subclass of
:class:`MessageBackend` added later: implement ``send`` and raise :class:`DeliveryError` when the
gateway refuses the message; the delivery service records the failure and goes on.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel could not deliver the message; the text is recorded as the failure reason."""


class MessageBackend:
    """Sends one short text to one phone number."""

    #: False for backends that deliver nothing (the delivery is then recorded as skipped).
    enabled: bool = True

    def send(self, *, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone`` or raise :class:`DeliveryError`."""
        raise NotImplementedError


class NullBackend(MessageBackend):
    """The default: SMS is off."""

    enabled = False

    def send(self, *, phone: str, text: str) -> None:
        return None


class ConsoleBackend(MessageBackend):
    """Development: write each message to standard output and the log."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, *, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {phone}: {text}\n")
        stream.flush()
        logger.info("SMS to %s: %s", phone, text)


@dataclass(frozen=True)
class TextMessage:
    phone: str
    text: str


#: Messages "sent" by :class:`LocmemBackend`, oldest first (tests clear it between tests).
outbox: list[TextMessage] = []


class LocmemBackend(MessageBackend):
    """Tests: keep each message in the module-level :data:`outbox`."""

    def send(self, *, phone: str, text: str) -> None:
        outbox.append(TextMessage(phone=phone, text=text))


def get_sms_backend() -> MessageBackend:
    """An instance of the class named by ``settings.OCOP_SMS_BACKEND``."""
    path = settings.OCOP_SMS_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"OCOP_SMS_BACKEND {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, MessageBackend)):
        raise ImproperlyConfigured(f"OCOP_SMS_BACKEND {path!r} is not a MessageBackend subclass")
    return backend_class()
