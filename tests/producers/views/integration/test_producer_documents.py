"""Evidence vault: grouped list with status badges, upload, edit, delete and the download view."""

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from ocop.core.selectors import activities_for_object
from ocop.producers.enums import DocumentCategory, ExpiryStatus
from ocop.producers.models import DocumentType, ProducerDocument
from ocop.producers.services import add_document
from tests.factories.products import ProductFactory
from tests.producers.views.integration.conftest import PDF_BYTES, login, today, vi

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _documents_url(producer):
    return reverse("producers:producer_documents", kwargs={"pk": producer.pk})


def _errors(response) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in response.context["form"].errors.items()}


def _sample(filename: str) -> bytes:
    """Real content for a file name's extension: the vault checks what a file is, not only its name."""
    extension = filename.rsplit(".", 1)[-1].lower()
    buffer = io.BytesIO()
    if extension == "docx":
        docx.Document().save(buffer)
    elif extension == "xlsx":
        openpyxl.Workbook().save(buffer)
    else:
        Image.new("RGB", (32, 24), (120, 160, 40)).save(
            buffer, {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[extension]
        )
    return buffer.getvalue()


def _label(enum, value) -> str:
    with translation.override("vi"):
        return str(enum(value).label)


def test_vault_groups_documents_by_category_with_their_status(client, units, yen_the_producer, vietgap, document):
    haccp = DocumentType.objects.get(slug="haccp")
    trademark = DocumentType.objects.get(slug="trademark-registration")
    declaration = DocumentType.objects.get(slug="product-self-declaration")
    add_document(yen_the_producer, document_type=haccp, number="H-1", valid_until=today() + dt.timedelta(days=90))
    add_document(yen_the_producer, document_type=haccp, number="H-2", valid_until=today() - dt.timedelta(days=1))
    add_document(yen_the_producer, document_type=trademark, number="TM-9", issued_on=dt.date(2021, 6, 30))
    add_document(yen_the_producer, document_type=declaration, number="01/2025/TCB")

    login(client, "council-member", units.bac_ninh)
    response = client.get(_documents_url(yen_the_producer))
    groups = [
        (str(label), [(d.number, d.status) for d in documents])
        for label, documents in response.context["document_groups"]
    ]
    assert groups == [
        (
            _label(DocumentCategory, "certification"),
            [("VG-2025-017", "valid"), ("H-2", "expired"), ("H-1", "expiring")],
        ),
        (_label(DocumentCategory, "intellectual_property"), [("TM-9", "no_expiry")]),
        (_label(DocumentCategory, "quality_declaration"), [("01/2025/TCB", "no_expiry")]),
    ]
    html = response.content.decode()
    badges = re.findall(r'data-testid="document-status" data-status="(\w+)">([^<]+)<', html)
    assert badges == [
        ("valid", _label(ExpiryStatus, "valid")),
        ("expired", _label(ExpiryStatus, "expired")),
        ("expiring", _label(ExpiryStatus, "expiring")),
        ("no_expiry", _label(ExpiryStatus, "no_expiry")),
        ("no_expiry", _label(ExpiryStatus, "no_expiry")),
    ]
    assert 'class="badge text-bg-danger" data-testid="document-status" data-status="expired"' in html
    assert 'class="badge text-bg-warning" data-testid="document-status" data-status="expiring"' in html
    row = re.search(rf'data-document="{document.pk}">(.*?)</tr>', html, re.S).group(1)
    issued = (today() - dt.timedelta(days=400)).strftime("%d/%m/%Y")
    valid_until = (today() + dt.timedelta(days=365)).strftime("%d/%m/%Y")
    for bit in ("VG-2025-017", "Trung tâm Chứng nhận Phù hợp", issued, valid_until, "document-download"):
        assert bit in row, bit
    # View-only roles get no upload form and no edit/delete buttons.
    assert "form" not in response.context
    assert "document-edit" not in html and "document-delete" not in html
    assert 'data-testid="header-alert-expired"' in html


def test_upload_a_document_through_the_service(client, units, yen_the_producer, vietgap):
    product = ProductFactory(producer=yen_the_producer, name="Gà đồi Yên Thế")
    login(client, "commune-officer", units.yen_the)
    upload = SimpleUploadedFile("Giấy chứng nhận VietGAP.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        _documents_url(yen_the_producer),
        {
            "document_type": vietgap.pk,
            "number": " VG-01 ",
            "issuer": "Trung tâm  Kiểm định",
            "issued_on": "2025-02-01",
            "valid_until": "01/02/2028",
            "product": product.pk,
            "file": upload,
            "note": "Bản gốc lưu tại HTX",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _documents_url(yen_the_producer)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        vi("The document has been added to the evidence vault.")
    ]
    saved = yen_the_producer.documents.get()
    assert (
        saved.document_type,
        saved.number,
        saved.issuer,
        saved.issued_on,
        saved.valid_until,
        saved.product,
        saved.original_filename,
        saved.file_size,
        saved.note,
    ) == (
        vietgap,
        "VG-01",
        "Trung tâm Kiểm định",
        dt.date(2025, 2, 1),
        dt.date(2028, 2, 1),
        product,
        "Giấy chứng nhận VietGAP.pdf",
        len(PDF_BYTES),
        "Bản gốc lưu tại HTX",
    )
    assert saved.file.name.startswith(f"producers/{yen_the_producer.pk}/documents/")
    with saved.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert [a.action_type for a in activities_for_object(yen_the_producer)] == [
        "producers.document.add",
        "producers.producer.create",
    ]


def test_upload_refuses_a_file_over_the_size_limit(client, units, yen_the_producer, vietgap, settings):
    settings.OCOP_MAX_DOCUMENT_MB = 1
    login(client, "commune-officer", units.yen_the)
    big = SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * (1024 * 1024), content_type="application/pdf")
    response = client.post(_documents_url(yen_the_producer), {"document_type": vietgap.pk, "file": big})
    assert response.status_code == 200
    assert _errors(response) == {
        "file": [vi("The file is too large (%(size)s MB). The limit is %(limit)s MB.", size="1,1", limit=1)]
    }
    assert yen_the_producer.documents.count() == 0


@pytest.mark.parametrize("filename", ["virus.exe", "ghi chú.txt", "scan.PDF.zip", "noextension"])
def test_upload_refuses_a_disallowed_file_type(client, units, yen_the_producer, vietgap, filename):
    login(client, "commune-officer", units.yen_the)
    upload = SimpleUploadedFile(filename, b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(_documents_url(yen_the_producer), {"document_type": vietgap.pk, "file": upload})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else filename
    assert _errors(response) == {
        "file": [
            vi(
                "Files of type “%(extension)s” cannot be uploaded. Allowed types: %(allowed)s.",
                extension=extension,
                allowed="PDF, JPG, JPEG, PNG, WEBP, DOCX, XLSX, PPTX, DOC, XLS",
            )
        ]
    }
    assert yen_the_producer.documents.count() == 0


@pytest.mark.parametrize("filename", ["ảnh.JPG", "scan.png", "photo.webp", "hồ sơ.docx", "bảng.xlsx"])
def test_upload_accepts_the_allowed_file_types(client, units, yen_the_producer, vietgap, filename):
    login(client, "commune-officer", units.yen_the)
    upload = SimpleUploadedFile(filename, _sample(filename), content_type="application/octet-stream")
    response = client.post(_documents_url(yen_the_producer), {"document_type": vietgap.pk, "file": upload})
    assert response.status_code == 302
    assert yen_the_producer.documents.get().original_filename == filename


def test_upload_refuses_content_that_does_not_match_the_file_name(client, units, yen_the_producer, vietgap):
    login(client, "commune-officer", units.yen_the)
    upload = SimpleUploadedFile("Giấy chứng nhận.pdf", _sample("anh.png"), content_type="application/pdf")
    response = client.post(_documents_url(yen_the_producer), {"document_type": vietgap.pk, "file": upload})
    assert _errors(response) == {
        "file": [
            vi(
                "The content of this file does not match its type: the name ends in “.%(extension)s” "
                "but the content is of type %(detected)s.",
                extension="pdf",
                detected="PNG",
            )
        ]
    }
    assert yen_the_producer.documents.count() == 0


def test_upload_refuses_an_expiry_before_the_issue_date(client, units, yen_the_producer, vietgap):
    login(client, "commune-officer", units.yen_the)
    data = {"document_type": vietgap.pk, "issued_on": "2025-05-01", "valid_until": "2025-04-30"}
    response = client.post(_documents_url(yen_the_producer), data)
    assert _errors(response) == {"valid_until": [vi("The expiry date must not be before the issue date.")]}


def test_upload_refuses_a_product_of_another_producer(client, units, yen_the_producer, other_producer, vietgap):
    foreign = ProductFactory(producer=other_producer, name="Chè Bố Hạ")
    login(client, "province-agency", units.bac_ninh)
    response = client.post(_documents_url(yen_the_producer), {"document_type": vietgap.pk, "product": foreign.pk})
    assert list(_errors(response)) == ["product"]
    assert yen_the_producer.documents.count() == 0


def test_edit_a_document_and_replace_its_file(
    client, units, yen_the_producer, document, django_capture_on_commit_callbacks
):
    old_name = document.file.name
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:document_update", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    form = client.get(url).context["form"]
    assert (form["number"].value(), form["document_type"].value()) == ("VG-2025-017", document.document_type_id)

    new_file = SimpleUploadedFile("VietGAP gia hạn.pdf", b"%PDF-1.4 new\n%%EOF\n", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "document_type": document.document_type_id,
                "number": "VG-2026-001",
                "valid_until": "2029-01-31",
                "file": new_file,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == _documents_url(yen_the_producer)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [vi("The document has been updated.")]
    document.refresh_from_db()
    assert (document.number, document.valid_until, document.original_filename, document.issuer) == (
        "VG-2026-001",
        dt.date(2029, 1, 31),
        "VietGAP gia hạn.pdf",
        "",
    )
    assert not document.file.storage.exists(old_name)


def test_edit_keeps_the_file_when_none_is_uploaded(client, units, yen_the_producer, document):
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:document_update", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    response = client.post(url, {"document_type": document.document_type_id, "number": "VG-X"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.number, document.original_filename) == ("VG-X", "Chứng nhận VietGAP.pdf")


def test_edit_refuses_a_disallowed_file(client, units, yen_the_producer, document):
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:document_update", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    bad = SimpleUploadedFile("macro.xlsm", b"PK", content_type="application/octet-stream")
    response = client.post(url, {"document_type": document.document_type_id, "file": bad})
    assert list(_errors(response)) == ["file"]
    document.refresh_from_db()
    assert document.original_filename == "Chứng nhận VietGAP.pdf"


def test_delete_a_document_after_confirmation(
    client, units, yen_the_producer, document, django_capture_on_commit_callbacks
):
    file_name = document.file.name
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:document_delete", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    confirm = client.get(url)
    assert 'data-testid="confirm-delete"' in confirm.content.decode()
    assert "Chứng nhận VietGAP.pdf" in confirm.content.decode()
    assert ProducerDocument.objects.filter(pk=document.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == _documents_url(yen_the_producer)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [vi("The document has been deleted.")]
    assert not ProducerDocument.objects.filter(pk=document.pk).exists()
    assert not document.file.storage.exists(file_name)


def test_document_pages_answer_404_for_a_document_of_another_producer(
    client, units, yen_the_producer, other_producer, vietgap
):
    foreign = add_document(other_producer, document_type=vietgap, number="X")
    login(client, "province-agency", units.bac_ninh)
    for name in ("document_update", "document_delete", "document_download"):
        url = reverse(f"producers:{name}", kwargs={"pk": yen_the_producer.pk, "document_pk": foreign.pk})
        assert client.get(url).status_code == 404, name
    assert ProducerDocument.objects.filter(pk=foreign.pk).exists()


# --- download ------------------------------------------------------------------------------------
def test_download_streams_the_file_with_its_original_name(client, units, yen_the_producer, document):
    login(client, "council-member", units.bac_ninh)
    url = reverse("producers:document_download", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Ch%E1%BB%A9ng%20nh%E1%BA%ADn%20VietGAP.pdf"
    )


def test_download_outside_scope_is_404(client, units, yen_the_producer, document):
    url = reverse("producers:document_download", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    login(client, "commune-officer", units.bo_ha)
    assert client.get(url).status_code == 404
    login(client, "province-agency", units.ha_tinh)
    assert client.get(url).status_code == 404


def test_download_of_a_document_without_file_is_404(client, units, yen_the_producer, vietgap):
    bare = add_document(yen_the_producer, document_type=vietgap, number="no file")
    login(client, "commune-officer", units.yen_the)
    url = reverse("producers:document_download", kwargs={"pk": yen_the_producer.pk, "document_pk": bare.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_vault_query_count_is_constant(client, units, yen_the_producer, vietgap, django_assert_num_queries, item_count):
    product = ProductFactory(producer=yen_the_producer, name="Gà đồi")
    for index in range(item_count):
        add_document(yen_the_producer, document_type=vietgap, number=f"VG-{index}", product=product)
    login(client, "commune-officer", units.yen_the)
    # session, user, savepoint, memberships, producer, release, documents, types and products of the form
    with django_assert_num_queries(10):
        response = client.get(_documents_url(yen_the_producer))
    assert sum(len(documents) for _, documents in response.context["document_groups"]) == item_count
