import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from ocop.notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LIST_URL = "/notifications/"


@pytest.fixture
def user():
    return UserFactory(username="xa_yenthe")


@pytest.fixture
def other():
    return UserFactory(username="xa_boha")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _open_url(notification) -> str:
    return reverse("notifications:notification_open", kwargs={"pk": notification.pk})


def test_urls():
    assert reverse("notifications:notification_list") == "/notifications/"
    assert _open_url(Notification(pk=12)) == "/notifications/12/open/"
    assert reverse("notifications:notification_mark_all_read") == "/notifications/mark-all-read/"


# ---------------------------------------------------------------------------------------------
# Anonymous users
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["list", "open", "mark_all_read"])
def test_anonymous_users_are_sent_to_the_login_page(client, user, method, name):
    notification = NotificationFactory(recipient=user)
    url = {"list": LIST_URL, "open": _open_url(notification), "mark_all_read": "/notifications/mark-all-read/"}[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert Notification.objects.get(pk=notification.pk).read_at is None


# ---------------------------------------------------------------------------------------------
# List
# ---------------------------------------------------------------------------------------------


def test_list_shows_only_the_users_notifications_unread_highlighted(signed_in, user, other):
    read = NotificationFactory(recipient=user, title="Đã xem", read_at=timezone.now())
    unread = NotificationFactory(recipient=user, title="Chưa xem", body="Dòng một\nDòng hai")
    NotificationFactory(recipient=other, title="Của người khác")

    response = signed_in.get(LIST_URL)

    assert response.status_code == 200
    assert response.templates[0].name == "notifications/notification_list.html"
    assert list(response.context["notifications"]) == [unread, read]
    html = response.content.decode()
    assert "Của người khác" not in html
    assert re.findall(r'data-testid="notification-(\d+)"\s+data-unread="true"', html) == [str(unread.pk)]
    assert f'href="/notifications/{unread.pk}/open/"' in html
    assert f'href="/notifications/{read.pk}/open/"' in html
    assert "Dòng một<br>Dòng hai" in html
    local = timezone.localtime(unread.created_at)
    assert f">{local:%d/%m/%Y %H:%M}</time>" in html
    assert 'data-testid="mark-all-read"' in html


def test_list_without_unread_has_no_mark_all_button(signed_in, user):
    NotificationFactory(recipient=user, read_at=timezone.now())
    html = signed_in.get(LIST_URL).content.decode()
    assert 'data-testid="mark-all-read"' not in html
    assert 'data-testid="unread-count"' not in html


def test_empty_list(signed_in):
    response = signed_in.get(LIST_URL)
    assert list(response.context["notifications"]) == []
    assert 'data-testid="no-notifications"' in response.content.decode()


def test_list_is_paginated_by_25(signed_in, user):
    NotificationFactory.create_batch(26, recipient=user)
    first = signed_in.get(LIST_URL)
    second = signed_in.get(LIST_URL + "?page=2")
    assert (len(first.context["notifications"]), len(second.context["notifications"])) == (25, 1)


@pytest.mark.parametrize("item_count", [1, 3])
def test_list_query_count_is_constant(signed_in, user, django_assert_num_queries, item_count):
    NotificationFactory.create_batch(item_count, recipient=user)
    # session, user, savepoint + paginator count + release (ATOMIC_REQUESTS), memberships and the
    # two permission lookups of the navigation, the unread count (bell), the page
    with django_assert_num_queries(10):
        response = signed_in.get(LIST_URL)
    assert len(response.context["notifications"]) == item_count


# ---------------------------------------------------------------------------------------------
# Open
# ---------------------------------------------------------------------------------------------


def test_opening_marks_read_and_goes_to_the_link(signed_in, user):
    notification = NotificationFactory(recipient=user, url="/products/5/?tab=history")
    response = signed_in.get(_open_url(notification))
    assert (response.status_code, response["Location"]) == (302, "/products/5/?tab=history")
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_opening_a_notification_without_link_goes_to_the_list(signed_in, user):
    notification = NotificationFactory(recipient=user, url="")
    response = signed_in.get(_open_url(notification))
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_opening_again_keeps_the_first_reading_time(signed_in, user):
    first = timezone.now() - dt.timedelta(hours=2)
    notification = NotificationFactory(recipient=user, read_at=first)
    signed_in.get(_open_url(notification))
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_someone_elses_notification_is_not_found(signed_in, other):
    notification = NotificationFactory(recipient=other)
    assert signed_in.get(_open_url(notification)).status_code == 404
    assert signed_in.get("/notifications/999999/open/").status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


# ---------------------------------------------------------------------------------------------
# Mark all read
# ---------------------------------------------------------------------------------------------


def test_mark_all_read_marks_only_the_users_notifications(signed_in, user, other):
    mine = NotificationFactory.create_batch(2, recipient=user)
    theirs = NotificationFactory(recipient=other)

    response = signed_in.post("/notifications/mark-all-read/", follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert [message.level_tag for message in response.context["messages"]] == ["success"]


def test_mark_all_read_with_nothing_unread_says_nothing(signed_in):
    response = signed_in.post("/notifications/mark-all-read/", follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert list(response.context["messages"]) == []


def test_mark_all_read_needs_post(signed_in):
    assert signed_in.get("/notifications/mark-all-read/").status_code == 405


# ---------------------------------------------------------------------------------------------
# The bell in the navbar
# ---------------------------------------------------------------------------------------------


def _bell(html: str) -> str:
    match = re.search(r'<a [^>]*data-testid="nav-notifications".*?</a>', html, re.S)
    return match.group(0) if match else ""


def test_bell_shows_the_unread_count(signed_in, user):
    NotificationFactory.create_batch(2, recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())
    bell = _bell(signed_in.get("/").content.decode())
    assert 'href="/notifications/"' in bell
    assert "bi-bell-fill" in bell
    assert re.search(r'data-testid="unread-count">2<span class="visually-hidden">', bell)


def test_bell_without_unread_has_no_badge(signed_in):
    bell = _bell(signed_in.get("/").content.decode())
    assert 'class="bi bi-bell"' in bell
    assert "unread-count" not in bell


def test_bell_caps_the_count_at_99(signed_in, user):
    NotificationFactory.create_batch(100, recipient=user)
    assert 'data-testid="unread-count">99+<' in _bell(signed_in.get("/").content.decode())


def test_bell_marks_the_current_page(signed_in):
    assert 'aria-current="page"' in _bell(signed_in.get(LIST_URL).content.decode())
    assert 'aria-current="page"' not in _bell(signed_in.get("/").content.decode())


def test_no_bell_for_anonymous_users(client):
    assert 'data-testid="nav-notifications"' not in client.get("/").content.decode()
    assert AnonymousUser().is_authenticated is False
