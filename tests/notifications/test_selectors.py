import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ocop.notifications.selectors import notifications_for_user, unread_count
from tests.factories.accounts import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def people():
    return UserFactory(username="an"), UserFactory(username="binh")


def test_notifications_for_user_lists_only_their_own_newest_first(people):
    an, binh = people
    first = NotificationFactory(recipient=an)
    NotificationFactory(recipient=binh)
    second = NotificationFactory(recipient=an, read_at=timezone.now())
    assert list(notifications_for_user(an)) == [second, first]


def test_anonymous_users_have_no_notifications(people):
    NotificationFactory(recipient=people[0])
    assert list(notifications_for_user(AnonymousUser())) == []
    assert unread_count(AnonymousUser()) == 0


def test_unread_count_counts_only_the_users_unread_ones_in_one_query(people, django_assert_num_queries):
    an, binh = people
    NotificationFactory.create_batch(2, recipient=an)
    NotificationFactory(recipient=an, read_at=timezone.now())
    NotificationFactory(recipient=binh)
    with django_assert_num_queries(1):
        assert unread_count(an) == 2
    assert unread_count(UserFactory()) == 0
