"""Evidence pages of a dossier: upload (or the phone camera) to a criterion or a legal paper, pick
from the producer's evidence vault, remove, download; files checked by content before anything
is stored (``ocop.core.uploads.inspect_upload``)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ocop.core.uploads import accepted_extensions
from ocop.dossiers.enums import DossierKind, DossierState, EvidenceSource
from ocop.dossiers.models import DossierEvidence
from ocop.dossiers.services import add_evidence_file, create_dossier
from ocop.producers.models import DocumentType
from ocop.producers.services import add_document
from tests.dossiers.views.helpers import (
    draft_dossier,
    element_text,
    evidence_url,
    fresh,
    has_testid,
    in_state,
    messages_of,
    other_producer,
    page_messages,
)
from tests.factories.dossiers import PDF_BYTES, classified_product, pdf_upload
from tests.utils import close_streamed

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

S = DossierState


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def stored_files(dossier) -> list[str]:
    """The dossier's uploaded evidence files in the (temporary) media storage."""
    folder = f"dossiers/{dossier.pk}/evidence"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(f"{folder}/{name}" for name in files)


def file_url(dossier, evidence) -> str:
    return reverse("dossiers:evidence_file", kwargs={"pk": dossier.pk, "evidence_pk": evidence.pk})


def download(client, url) -> tuple[int, bytes, object]:
    response = client.get(url)
    if not getattr(response, "streaming", False):
        return response.status_code, b"", response
    content = b"".join(response.streaming_content)
    close_streamed(response)
    return response.status_code, content, response


@pytest.fixture
def producer_client(login, world):
    return login(world.producer_user)


@pytest.fixture
def draft(world):
    return draft_dossier(world)


def vault_document(producer, *, slug: str = "cooperative-registration", name: str = "Giấy CN đăng ký HTX.pdf"):
    return add_document(
        producer,
        document_type=DocumentType.objects.get(slug=slug),
        number="24A8001234",
        issued_on=timezone.localdate() - dt.timedelta(days=900),
        file=SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf"),
    )


# ---------------------------------------------------------------------------------------------
# Upload
# ---------------------------------------------------------------------------------------------


def test_the_evidence_page_of_a_criterion_shows_the_upload_and_camera_fields(producer_client, draft, english):
    response = producer_client.get(evidence_url(draft, "?criterion=1.1"))
    assert response.status_code == 200
    assert element_text(response, "evidence-title", closing="</h1>").startswith("Evidence: criterion 1.1.")
    for testid in ("upload-form", "file-input", "camera-input", "no-evidence"):
        assert has_testid(response, testid), testid
    assert not has_testid(response, "vault-form")  # the producer's vault has no document with a file
    assert 'capture="environment"' in response.content.decode()


def test_uploading_a_pdf_to_a_criterion(producer_client, draft, english):
    before = stored_files(draft)
    response = producer_client.post(
        evidence_url(draft), {"criterion": "1.1", "file": pdf_upload("Hợp đồng liên kết.pdf"), "note": "HĐ 2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == evidence_url(draft, "?criterion=1.1")
    assert messages_of(response) == ["The evidence has been attached."]
    evidence = DossierEvidence.objects.get(dossier=draft)
    assert (evidence.criterion_code, evidence.paper_key, evidence.source) == ("1.1", "", EvidenceSource.UPLOAD)
    assert (evidence.file_name, evidence.file_size, evidence.mime_type, evidence.note) == (
        "Hợp đồng liên kết.pdf",
        len(PDF_BYTES),
        "application/pdf",
        "HĐ 2025",
    )
    assert evidence.added_in_submission == 1
    assert stored_files(draft) == sorted([*before, evidence.file.name])
    with default_storage.open(evidence.file.name, "rb") as handle:
        assert handle.read() == PDF_BYTES
    page = producer_client.get(response["Location"])
    assert "Hợp đồng liên kết.pdf" in element_text(page, "evidence-items", closing="</ul>")


def test_uploading_a_pdf_to_a_legal_paper_counts_for_the_completeness(producer_client, draft, english):
    response = producer_client.post(
        evidence_url(draft), {"paper": "business_registration", "file": pdf_upload("GCN ĐKKD.pdf")}
    )
    assert response.status_code == 302
    assert response["Location"] == evidence_url(draft, "?paper=business_registration")
    evidence = DossierEvidence.objects.get(dossier=draft)
    assert (evidence.paper_key, evidence.criterion_code) == ("business_registration", "")
    general = producer_client.get(reverse("dossiers:dossier_step", args=[draft.pk, "general"]))
    assert element_text(general, "paper-evidence-business_registration", closing="</a>") == "Evidence (1)"
    assert not any("attach" in item.message for item in general.context["step_missing"])


def test_the_camera_field_alone_is_enough(producer_client, draft):
    photo = SimpleUploadedFile("IMG_0001.png", png_bytes(), content_type="image/png")
    response = producer_client.post(evidence_url(draft), {"criterion": "1.1", "camera": photo})
    assert response.status_code == 302
    evidence = DossierEvidence.objects.get(dossier=draft)
    assert (evidence.file_name, evidence.mime_type, evidence.criterion_code) == ("IMG_0001.png", "image/png", "1.1")
    assert default_storage.exists(evidence.file.name)


def test_no_file_at_all_is_refused(producer_client, draft, english):
    response = producer_client.post(evidence_url(draft), {"criterion": "1.1"})
    assert response.status_code == 400
    assert response.context["upload_form"].errors == {"file": ["This field is required."]}
    assert not DossierEvidence.objects.exists()


def _refused_upload(client, dossier, upload):
    before = stored_files(dossier)
    response = client.post(evidence_url(dossier), {"criterion": "1.1", "file": upload})
    assert response.status_code == 400
    assert not DossierEvidence.objects.filter(dossier=dossier).exists()
    assert stored_files(dossier) == before
    return element_text(response, "file-error")


def test_a_png_renamed_pdf_is_refused_and_nothing_is_stored(producer_client, draft, english):
    upload = SimpleUploadedFile("anh.pdf", png_bytes(), content_type="application/pdf")
    assert _refused_upload(producer_client, draft, upload) == (
        "The content of this file does not match its type: the name ends in “.pdf” but the content is of type PNG."
    )


def test_an_exe_is_refused_and_nothing_is_stored(producer_client, draft, english):
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    allowed = ", ".join(extension.upper() for extension in accepted_extensions())
    assert _refused_upload(producer_client, draft, upload) == (
        f"Files of type “exe” cannot be uploaded. Allowed types: {allowed}."
    )


def test_an_empty_file_is_refused(producer_client, draft, english):
    upload = SimpleUploadedFile("rong.pdf", b"", content_type="application/pdf")
    before = stored_files(draft)
    response = producer_client.post(evidence_url(draft), {"criterion": "1.1", "file": upload})
    assert response.status_code == 400
    assert response.context["upload_form"].errors == {"file": ["The submitted file is empty."]}
    assert not DossierEvidence.objects.exists()
    assert stored_files(draft) == before


@override_settings(OCOP_MAX_DOCUMENT_MB=0)
def test_an_oversized_file_is_refused_and_nothing_is_stored(producer_client, draft, english):
    assert _refused_upload(producer_client, draft, pdf_upload("lon.pdf")) == (
        "The file is too large (0.1 MB). The limit is 0 MB."
    )


def test_the_file_name_is_sanitised(producer_client, draft):
    response = producer_client.post(evidence_url(draft), {"paper": "history", "file": pdf_upload("../../x<>.pdf")})
    assert response.status_code == 302
    evidence = DossierEvidence.objects.get(dossier=draft)
    assert evidence.file_name == "x__.pdf"
    # Stored under a random name inside the dossier's folder, never where the name pointed.
    assert re.fullmatch(rf"dossiers/{draft.pk}/evidence/[0-9a-f]{{32}}\.pdf", evidence.file.name)
    status, content, download_response = download(producer_client, file_url(draft, evidence))
    assert status == 200
    assert content == PDF_BYTES
    assert download_response["Content-Disposition"] == 'attachment; filename="x__.pdf"'


def test_an_unknown_criterion_or_paper_is_404(producer_client, draft):
    for query in ("?criterion=9.9", "?paper=nope"):
        assert producer_client.post(evidence_url(draft, query), {"file": pdf_upload()}).status_code == 404
    assert not DossierEvidence.objects.exists()


def test_a_submitted_dossier_takes_no_new_evidence(producer_client, world, english):
    dossier = in_state(world, S.SUBMITTED)
    count, files = dossier.evidence.count(), stored_files(dossier)
    page = producer_client.get(evidence_url(dossier, "?criterion=1.1"))
    assert not has_testid(page, "upload-form")
    response = producer_client.post(evidence_url(dossier), {"criterion": "1.1", "file": pdf_upload()})
    assert response.status_code == 400
    assert page_messages(response) == ["The dossier can no longer be changed (state: Submitted to the commune)."]
    assert (dossier.evidence.count(), stored_files(dossier)) == (count, files)


# ---------------------------------------------------------------------------------------------
# The evidence vault
# ---------------------------------------------------------------------------------------------


def test_attaching_a_document_from_the_vault(producer_client, world, draft, english):
    document = vault_document(world.producer)
    page = producer_client.get(evidence_url(draft, "?paper=business_registration"))
    assert page.context["vault_documents"] == [document]
    before = stored_files(draft)
    response = producer_client.post(evidence_url(draft), {"paper": "business_registration", "document": document.pk})
    assert response.status_code == 302
    assert response["Location"] == evidence_url(draft, "?paper=business_registration")
    assert messages_of(response) == ["The evidence has been attached."]
    page = producer_client.get(response["Location"])
    assert "Giấy CN đăng ký HTX.pdf" in element_text(page, "evidence-items", closing="</ul>")
    evidence = DossierEvidence.objects.get(dossier=draft)
    assert (evidence.source, evidence.vault_document, evidence.paper_key) == (
        EvidenceSource.VAULT,
        document,
        "business_registration",
    )
    assert (evidence.file_name, evidence.file_size) == ("Giấy CN đăng ký HTX.pdf", len(PDF_BYTES))
    assert not evidence.file
    assert stored_files(draft) == before  # no copy: the vault keeps the file
    status, content, _response = download(producer_client, file_url(draft, evidence))
    assert (status, content) == (200, PDF_BYTES)
    # The same document again at the same place is refused.
    again = producer_client.post(evidence_url(draft), {"paper": "business_registration", "document": document.pk})
    assert again.status_code == 400
    assert page_messages(again) == ["This document is already attached here."]
    assert DossierEvidence.objects.filter(dossier=draft).count() == 1


def test_a_vault_document_of_another_producer_is_refused(producer_client, world, draft, english):
    foreign = vault_document(other_producer(world))
    response = producer_client.post(evidence_url(draft), {"paper": "business_registration", "document": foreign.pk})
    assert response.status_code == 400
    assert response.context["vault_form"].errors == {
        "document": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert foreign not in response.context["vault_documents"]
    assert not DossierEvidence.objects.exists()


# ---------------------------------------------------------------------------------------------
# Remove and download
# ---------------------------------------------------------------------------------------------


def test_removing_evidence_deletes_the_row_and_then_the_file(
    producer_client, draft, english, django_capture_on_commit_callbacks
):
    producer_client.post(evidence_url(draft), {"criterion": "1.1", "file": pdf_upload()}, follow=True)
    evidence = DossierEvidence.objects.get(dossier=draft)
    name = evidence.file.name
    url = reverse("dossiers:evidence_delete", kwargs={"pk": draft.pk, "evidence_pk": evidence.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = producer_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == evidence_url(draft, "?criterion=1.1")
    assert messages_of(response) == ["The evidence has been removed."]
    assert not DossierEvidence.objects.filter(pk=evidence.pk).exists()
    assert not default_storage.exists(name)


def test_removing_evidence_of_a_submitted_dossier_is_refused(producer_client, world, english):
    dossier = in_state(world, S.SUBMITTED)
    evidence = dossier.evidence.get()
    url = reverse("dossiers:evidence_delete", kwargs={"pk": dossier.pk, "evidence_pk": evidence.pk})
    response = producer_client.post(url)
    assert response.status_code == 302
    assert messages_of(response) == ["The dossier can no longer be changed (state: Submitted to the commune)."]
    assert DossierEvidence.objects.filter(pk=evidence.pk).exists()
    assert default_storage.exists(evidence.file.name)


def test_removing_evidence_of_another_dossier_is_404(producer_client, world, draft):
    honey = classified_product(world.producer, name="Mật ong Yên Thế")
    other = create_dossier(honey, kind=DossierKind.FIRST, actor=world.producer_user)
    foreign = add_evidence_file(other, pdf_upload(), actor=world.producer_user, criterion_code="1.1")
    url = reverse("dossiers:evidence_delete", kwargs={"pk": draft.pk, "evidence_pk": foreign.pk})
    assert producer_client.post(url).status_code == 404
    assert DossierEvidence.objects.filter(pk=foreign.pk).exists()


def test_the_commune_downloads_evidence_after_submission_and_another_commune_cannot(login, world):
    dossier = in_state(world, S.SUBMITTED)
    evidence = dossier.evidence.get()
    status, content, response = download(login(world.commune_officer), file_url(dossier, evidence))
    assert (status, content) == (200, PDF_BYTES)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="giay-dang-ky.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    status, _content, _response = download(login(world.other_commune_officer), file_url(dossier, evidence))
    assert status == 404


def test_the_commune_cannot_download_evidence_of_a_draft(login, world):
    dossier = draft_dossier(world, filled=True)
    evidence = dossier.evidence.get()
    status, _content, _response = download(login(world.commune_officer), file_url(dossier, evidence))
    assert status == 404
    assert fresh(dossier).state == S.DRAFT


def test_a_file_missing_from_storage_is_404(producer_client, world):
    dossier = draft_dossier(world, filled=True)
    evidence = dossier.evidence.get()
    default_storage.delete(evidence.file.name)
    status, _content, _response = download(producer_client, file_url(dossier, evidence))
    assert status == 404
