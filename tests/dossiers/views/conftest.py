import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation


class LanguageClient(Client):
    """A test client whose pages come in ``language`` (the language cookie), and which reads in
    that language after each response too: ``ocop.core.middleware.LocaleMiddleware`` deactivates
    the translation when a request ends, which would render the lazy strings of
    ``response.context`` (form errors, labels) in the default Vietnamese."""

    def __init__(self, language: str, **defaults):
        super().__init__(**defaults)
        self.language = language
        self.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def request(self, **request):
        response = super().request(**request)
        translation.activate(self.language)
        return response


@pytest.fixture
def login():
    """A signed-in test client for ``user``; the pages answer in English unless ``language`` says
    otherwise, so messages compare with their msgids."""

    def make(user, language: str = "en") -> Client:
        client = LanguageClient(language)
        client.force_login(user)
        return client

    yield make
    translation.deactivate()
