import pytest
from django.db import IntegrityError
from django.utils import timezone

from ocop.notifications.models import Notification
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_str_is_the_title():
    assert str(Notification(title="Hồ sơ mới")) == "Hồ sơ mới"


def test_absolute_url_opens_the_notification():
    notification = NotificationFactory()
    assert notification.get_absolute_url() == f"/notifications/{notification.pk}/open/"


def test_is_read():
    assert Notification().is_read is False
    assert Notification(read_at=timezone.now()).is_read is True


@pytest.mark.parametrize("url", ["", "/", "/dossiers/1/?tab=history"])
def test_site_relative_links_are_accepted(url):
    assert NotificationFactory(url=url).url == url


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "dossiers/1/"])
def test_links_outside_the_site_are_refused_by_the_database(url):
    with pytest.raises(IntegrityError, match="notif_url_site_relative"):
        NotificationFactory(url=url)
