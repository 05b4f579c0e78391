import pytest

from ocop.notifications import backends


@pytest.fixture(autouse=True)
def sms_outbox():
    """The locmem SMS outbox, empty at the start of each test (like Django's ``mail.outbox``)."""
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()
