import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ocop.notifications import backends
from ocop.notifications.backends import (
    ConsoleBackend,
    LocmemBackend,
    MessageBackend,
    NullBackend,
    TextMessage,
    get_sms_backend,
)

pytestmark = [pytest.mark.unit]


def test_tests_use_the_locmem_backend():
    assert type(get_sms_backend()) is LocmemBackend


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("ocop.notifications.backends.NullBackend", NullBackend),
        ("ocop.notifications.backends.ConsoleBackend", ConsoleBackend),
        ("ocop.notifications.backends.LocmemBackend", LocmemBackend),
    ],
)
def test_get_sms_backend_loads_the_configured_class(path, expected):
    with override_settings(OCOP_SMS_BACKEND=path):
        assert type(get_sms_backend()) is expected


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("ocop.notifications.backends.NoSuchBackend", "cannot be imported"),
        ("nowhere.Backend", "cannot be imported"),
        ("ocop.notifications.backends.DeliveryError", "is not a MessageBackend subclass"),
        ("ocop.notifications.backends.get_sms_backend", "is not a MessageBackend subclass"),
    ],
)
def test_get_sms_backend_refuses_a_wrong_setting(path, message):
    with override_settings(OCOP_SMS_BACKEND=path), pytest.raises(ImproperlyConfigured, match=message):
        get_sms_backend()


def test_default_setting_is_the_null_backend():
    """SMS stays off unless OCOP_SMS_BACKEND is set (style.md 3.10)."""
    from ocop import settings as base_settings

    if os.environ.get("OCOP_SMS_BACKEND"):
        pytest.skip("OCOP_SMS_BACKEND is set in this environment")
    assert base_settings.OCOP_SMS_BACKEND == "ocop.notifications.backends.NullBackend"


def test_null_backend_is_disabled_and_sends_nothing(sms_outbox):
    backend = NullBackend()
    assert backend.enabled is False
    assert backend.send(phone="0912345678", text="hello") is None
    assert sms_outbox == []


def test_locmem_backend_collects_messages(sms_outbox):
    LocmemBackend().send(phone="0912345678", text="one")
    LocmemBackend().send(phone="0987654321", text="two")
    assert backends.outbox == [TextMessage("0912345678", "one"), TextMessage("0987654321", "two")]


def test_console_backend_writes_the_message(caplog):
    stream = io.StringIO()
    with caplog.at_level("INFO", logger="ocop.notifications.backends"):
        ConsoleBackend(stream=stream).send(phone="0912345678", text="Hồ sơ đã nộp")
    assert stream.getvalue() == "SMS to 0912345678: Hồ sơ đã nộp\n"
    assert [record.getMessage() for record in caplog.records] == ["SMS to 0912345678: Hồ sơ đã nộp"]


def test_console_backend_defaults_to_stdout(capsys):
    ConsoleBackend().send(phone="0912345678", text="xin chào")
    assert capsys.readouterr().out == "SMS to 0912345678: xin chào\n"


def test_base_backend_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        MessageBackend().send(phone="0912345678", text="x")
