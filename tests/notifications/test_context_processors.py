import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from ocop.notifications.context_processors import unread
from tests.factories.accounts import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_anonymous_users_get_zero_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert unread(_request(AnonymousUser())) == {"unread_notifications": 0}


def test_count_is_queried_once_and_only_when_used(django_assert_num_queries):
    user = UserFactory()
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory()
    with django_assert_num_queries(0):
        context = unread(_request(user))
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 3
        assert str(context["unread_notifications"]) == "3"
        assert context["unread_notifications"] > 2
