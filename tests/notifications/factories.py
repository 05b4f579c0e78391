import factory
from factory.django import DjangoModelFactory

from ocop.notifications.models import Notification
from tests.factories.accounts import UserFactory


class NotificationFactory(DjangoModelFactory):
    """An in-app notification; no e-mail or SMS (use ``notify`` to test delivery)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "dossiers.dossier.submit"
    title = factory.Sequence(lambda n: f"Hồ sơ số {n} cần tiếp nhận")
    body = "Một hồ sơ mới đã được nộp."
    url = factory.Sequence(lambda n: f"/dossiers/{n}/")
