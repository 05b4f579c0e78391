"""Fixtures and helpers shared by the producer page tests."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from ocop.producers.models import DocumentType
from ocop.producers.services import add_document
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def vi(message: str, **params) -> str:
    """A UI message as the (Vietnamese) pages show it, whether or not the catalogue translates it yet."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def today() -> dt.date:
    return timezone.localdate()


def login(client, role: str | None, unit=None, **kwargs):
    user = make_user_with_role(role, unit, **kwargs)
    client.force_login(user)
    return user


@pytest.fixture
def yen_the_producer(units):
    return ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, tax_code="2400871238")


@pytest.fixture
def other_producer(units):
    return ProducerFactory(name="HTX Chè Bố Hạ", address_unit=units.bo_ha)


@pytest.fixture
def vietgap():
    return DocumentType.objects.get(slug="vietgap")


@pytest.fixture
def document(yen_the_producer, vietgap):
    return add_document(
        yen_the_producer,
        document_type=vietgap,
        number="VG-2025-017",
        issuer="Trung tâm Chứng nhận Phù hợp",
        issued_on=today() - dt.timedelta(days=400),
        valid_until=today() + dt.timedelta(days=365),
        file=SimpleUploadedFile("Chứng nhận VietGAP.pdf", PDF_BYTES, content_type="application/pdf"),
    )
