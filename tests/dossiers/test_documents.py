"""Documents of a dossier: Mẫu 01 and Mẫu 02 as PDF, Mẫu 03 and the proposal letter as PDF and Word,
issuing them once at forwarding, and the e-dossier ZIP with its manifest.

Dossiers are built directly with the models (no workflow services). WeasyPrint needs about a second
per PDF, so one forwarded dossier is rendered once for the module (``bundle``): its ZIP carries
Mẫu 01, Mẫu 02 and the four issued files, and the tests read them from there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from docx import Document as WordDocument
from pypdf import PdfReader

from ocop.dossiers import documents
from ocop.dossiers.enums import DossierKind, DossierState, EvidenceSource, TopicConclusion
from ocop.dossiers.models import CommuneReview, Dossier, DossierEvent, DossierEvidence, GeneratedDocument
from ocop.evaluation.engine import score
from ocop.evaluation.selectors import active_rubric
from ocop.evaluation.services import star_rules_for
from ocop.legal.selectors import get_legal_basis
from ocop.producers.models import DocumentType, ProducerDocument
from ocop.products.models import ProductCategory
from ocop.products.services import classify_product
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import Units, close_streamed

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BASIS = "26/2026/QĐ-TTg"
PRODUCT = "Rau cải ngọt Yên Thế"
PRODUCER = "HTX Nông sản Yên Thế"
RECEIPT = "7/PĐK-24-07288-2026"
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
ISSUED = [("mau03", "pdf"), ("mau03", "docx"), ("proposal", "pdf"), ("proposal", "docx")]


# ---------------------------------------------------------------------------------------------
# Building dossiers with the models
# ---------------------------------------------------------------------------------------------


def _answers(sheet) -> dict[str, str]:
    """The highest option everywhere except criterion 1.2 (its lowest), so not every answer is the top one."""
    answers = {leaf.code: max(leaf.options, key=lambda option: option.points).key for leaf in sheet.leaves()}
    answers["1.2"] = min(sheet.leaf("1.2").options, key=lambda option: option.points).key
    return answers


def _upload(dossier, name: str, content: bytes = PDF_BYTES, **target) -> DossierEvidence:
    evidence = DossierEvidence(
        dossier=dossier,
        source=EvidenceSource.UPLOAD,
        file_name=name,
        file_size=len(content),
        mime_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        **target,
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    return evidence


def make_dossier(
    *,
    forwarded: bool = False,
    reviewed: bool = True,
    category_code: str = "I.1.a",
    product_name: str = PRODUCT,
    with_evidence: bool = True,
) -> Dossier:
    units = Units()
    basis = get_legal_basis(BASIS)
    producer = ProducerFactory(address_unit=units.yen_the, name=PRODUCER, representative_name="Nguyễn Văn An")
    product = ProductFactory(producer=producer, name=product_name)
    category = ProductCategory.objects.get(legal_basis=basis, code=category_code)
    classify_product(product, category=category)
    rubric = active_rubric(basis, category.sheet_number)
    sheet = rubric.to_sheet()
    answers = _answers(sheet) if category.sheet_number != 26 else {}
    result = score(sheet, answers, star_rules_for(basis)) if answers else None
    received = dt.date(2026, 10, 20)
    dossier = Dossier.objects.create(
        product=product,
        producer=producer,
        province_id=producer.province_id,
        commune_id=producer.commune_id,
        kind=DossierKind.FIRST,
        year=2026,
        legal_basis=basis,
        rubric=rubric,
        state=DossierState.FORWARDED if forwarded else DossierState.COMMUNE_REVIEW,
        receipt_number=RECEIPT if category.sheet_number != 26 else "8/PĐK-24-07288-2026",
        receipt_sequence=7,
        received_on=received,
        submission_count=1,
        forwarded_at=timezone.now() if forwarded else None,
        registration={
            "unit_name": PRODUCER,
            "representative_name": "Nguyễn Văn An",
            "representative_position": "Giám đốc",
            "address": "Thôn Đồng Tâm, xã Yên Thế",
            "phone": "0912345678",
            "email": "htx.yenthe@example.vn",
            "product_name": product_name,
        },
        general={
            "legal_form": "Hợp tác xã",
            "registration_number": "2400123456",
            "established_on": "2019-03-15",
            "representative_gender": "Nam",
            "representative_ethnicity": "Tày",
            "representative_residence": "Thôn Đồng Tâm, xã Yên Thế, tỉnh Bắc Ninh",
            "specification": "Túi 500 g, bảo quản mát.\nTCCS 01:2026/HTXYT",
        },
        legal_papers={"business_registration": {"note": "Số 2400123456 do Sở Tài chính cấp ngày 15/03/2019"}},
        business_results={"markets": "Bán tại chợ đầu mối & 3 siêu thị <Bắc Ninh>.", "revenue": "1,2 tỷ đồng/năm"},
        answers=answers,
        plan_ahead={"production": "Mở rộng vùng trồng lên 5 ha."},
        sample_count=5,
        declaration_accepted=True,
        self_total=result.total if result else None,
        self_part_totals={code: str(value) for code, value in result.part_totals.items()} if result else {},
        self_star=result.proposed_star if result else None,
    )
    officer = UserFactory(full_name="Lê Thị Cúc")
    DossierEvent.objects.create(
        dossier=dossier,
        actor=officer,
        actor_name=officer.username,
        from_state=DossierState.SUBMITTED,
        to_state=DossierState.COMMUNE_REVIEW,
    )
    if with_evidence:
        _upload(dossier, "Giấy đăng ký HTX.pdf", paper_key="business_registration")
        _upload(dossier, "Hợp đồng liên kết.pdf", PDF_BYTES + b"% one\n", criterion_code="1.1")
        _upload(dossier, "Hợp đồng liên kết.pdf", PDF_BYTES + b"% two\n", criterion_code="1.1")
        vault = ProducerDocument(
            producer=producer, document_type=DocumentType.objects.first(), original_filename="Chứng nhận VietGAP.pdf"
        )
        vault.file.save("vietgap.pdf", ContentFile(PDF_BYTES + b"% vault\n"), save=False)
        vault.save()
        DossierEvidence.objects.create(
            dossier=dossier,
            source=EvidenceSource.VAULT,
            vault_document=vault,
            criterion_code="1.2",
            file_name="Chứng nhận VietGAP.pdf",
        )
    if reviewed:
        CommuneReview.objects.create(
            dossier=dossier,
            completeness={"registration_form": True},
            topics={
                "raw_material": {
                    "assessment": "Nguyên liệu trồng tại thôn Đồng Tâm.\nDiện tích 3 ha.",
                    "conclusion": TopicConclusion.MET,
                },
                "labour": {"assessment": "12/15 lao động là người địa phương.", "conclusion": TopicConclusion.MET},
                "idea": {"assessment": "Sản phẩm truyền thống của xã.", "conclusion": TopicConclusion.PARTLY},
                "identity": {"assessment": "Giống cải địa phương.", "conclusion": TopicConclusion.MET},
            },
            meeting_held=True,
            meeting_on=dt.date(2026, 10, 28),
            meeting_notes="Các bộ phận thống nhất đề nghị.",
            proposal="Đề nghị tỉnh xem xét trong đợt 2 năm 2026.",
            letter_number="12/UBND-KT",
            letter_date=dt.date(2026, 11, 2),
            signer_name="Trần Thị Bình",
            signer_position="Phó Chủ tịch",
        )
    return dossier


def province() -> str:
    """``thành phố Bắc Ninh`` (the reference map decides whether it is a tỉnh or a thành phố)."""
    return documents.unit_in_sentence(Units().bac_ninh)


def pdf_text(content: bytes) -> str:
    """The PDF's text with white space collapsed (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    """Paragraphs and table cells of a .docx, white space collapsed."""
    document = WordDocument(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(paragraph.text for paragraph in cell.paragraphs)
    return " ".join(" ".join(parts).split())


# ---------------------------------------------------------------------------------------------
# One forwarded dossier, rendered once for the module
# ---------------------------------------------------------------------------------------------


@dataclass
class Bundle:
    zip_bytes: bytes
    zip_name: str
    members: dict[str, bytes]
    manifest: dict
    issued_again: dict
    stored: dict
    stored_count_after_zip: int
    stored_count_after_requests: int
    dossier_id: int
    option_1_1: str
    option_1_2: str
    file_name_mau01: str
    response_closed_file: bool


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker) -> Bundle:
    """Build, zip and re-request one forwarded dossier inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        dossier = make_dossier(forwarded=True)
        sheet = dossier.rubric.to_sheet()
        handle, zip_name = documents.build_dossier_zip(dossier)
        zip_bytes = handle.read()
        handle.seek(0)
        response = FileResponse(handle, content_type=documents.ZIP_MIME, as_attachment=True, filename=zip_name)
        streamed = b"".join(response.streaming_content)
        close_streamed(response)  # response.close() would close the PostgreSQL connection
        assert streamed == zip_bytes
        after_zip = GeneratedDocument.objects.filter(dossier=dossier).count()
        issued_again = {key: documents.issued_document(dossier, *key) for key in ISSUED}
        stored = {
            (document.kind, document.file_format): (document.sha256, document.file_name)
            for document in GeneratedDocument.objects.filter(dossier=dossier)
        }
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        result = Bundle(
            zip_bytes=zip_bytes,
            zip_name=zip_name,
            members=members,
            manifest=json.loads(members["manifest.json"]),
            issued_again=issued_again,
            stored=stored,
            stored_count_after_zip=after_zip,
            stored_count_after_requests=GeneratedDocument.objects.filter(dossier=dossier).count(),
            dossier_id=dossier.pk,
            option_1_1=sheet.option(dossier.answers["1.1"])[1].label,
            option_1_2=sheet.option(dossier.answers["1.2"])[1].label,
            file_name_mau01=documents.file_name(dossier, "mau01", "pdf"),
            response_closed_file=handle.closed,
        )
        transaction.set_rollback(True)
    return result


def test_mau01_pdf_has_the_printed_form_filled_and_the_receipt(bundle):
    content = bundle.members["Mau-01.pdf"]
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for printed in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU ĐĂNG KÝ",
        "Tham gia đánh giá, phân hạng sản phẩm OCOP",
        "1. Thông tin về đơn vị đăng ký:",
        "Họ tên người đại diện pháp lý",
        "4. Lần đăng ký đánh giá:",
        "Sản phẩm mẫu (số lượng): 5",
        "Cam đoan những thông tin trong Phiếu đăng ký là đúng sự thật",
        "(Ký, đóng dấu, ghi rõ họ tên)",
        "PHẦN DÀNH CHO CƠ QUAN QUẢN LÝ",
        "DÀNH CHO ỦY BAN NHÂN DÂN CẤP XÃ",
        "DÀNH CHO CƠ QUAN QUẢN LÝ OCOP CẤP TỈNH",
    ):
        assert printed in text, printed
    assert f"của {province()} năm 2026" in text
    assert f"2. Tên sản phẩm: {PRODUCT}" in text
    assert f"Tên đơn vị: {PRODUCER}" in text
    assert "Phân nhóm: Rau, củ, quả, hạt tươi" in text
    assert f"Phiếu số: {RECEIPT}" in text
    assert "Ngày nhận: 20/10/2026" in text
    assert "Người tiếp nhận: Lê Thị Cúc" in text
    assert "Yên Thế, ngày 20 tháng 10 năm 2026" in text
    assert f"Trang 1/{pdf_pages(content)}" in text


def test_mau02_pdf_has_the_four_parts_the_chosen_options_points_and_evidence(bundle):
    text = pdf_text(bundle.members["Mau-02.pdf"])
    for printed in (
        "BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM",
        "(Dành cho chủ thể có sản phẩm đăng ký)",
        "THÔNG TIN CHUNG",
        "KẾT QUẢ THỰC HIỆN PHƯƠNG ÁN SẢN XUẤT KINH DOANH",
        "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN THEO BỘ TIÊU CHÍ SẢN PHẨM OCOP",
        "KẾ HOẠCH SẢN XUẤT, KINH DOANH",
        "Đánh dấu (√) vào mục tương ứng:",
        "ĐẠI DIỆN THEO PHÁP LUẬT CỦA CƠ SỞ",
    ):
        assert printed in text, printed
    assert f"Tên sản phẩm/dịch vụ, mô tả về quy cách sản phẩm, tiêu chuẩn: {PRODUCT}" in text
    assert "Dân tộc: Tày" in text
    assert "Ngày thành lập/đăng ký kinh doanh: 15/03/2019" in text
    assert "TCCS 01:2026/HTXYT" in text
    # Part I checklist: the paper's note and its file; Part II text escaped, not dropped.
    assert "Số 2400123456 do Sở Tài chính cấp ngày 15/03/2019" in text
    assert "Giấy đăng ký HTX.pdf" in text
    assert "Bán tại chợ đầu mối & 3 siêu thị <Bắc Ninh>." in text
    assert "Mở rộng vùng trồng lên 5 ha." in text
    # Part III: the chosen option of each criterion and the evidence by criterion.
    assert " ".join(bundle.option_1_1.split()[:6]) in text
    assert " ".join(bundle.option_1_2.split()[:6]) in text
    assert "Hợp đồng liên kết.pdf" in text
    assert "Chứng nhận VietGAP.pdf (kho minh chứng)" in text
    total = bundle.manifest["self_assessment"]["total"]
    assert f"Tổng điểm tự đánh giá: {documents.format_points(Decimal(total))}/100 điểm" in text
    assert "Bộ tiêu chí số 1" in text


def test_mau03_pdf_and_docx_carry_the_commune_review(bundle):
    pdf = pdf_text(bundle.members["Mau-03.pdf"])
    word = docx_text(bundle.members["Mau-03.docx"])
    for text in (pdf, word):
        for printed in (
            "ỦY BAN NHÂN DÂN",
            "XÃ YÊN THẾ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "BÁO CÁO",
            "Đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP",
            "I. THÔNG TIN CHUNG VỀ HỒ SƠ SẢN PHẨM",
            "II. ĐÁNH GIÁ MỘT SỐ NỘI DUNG CỦA HỒ SƠ SẢN PHẨM",
            "1. Về sử dụng nguyên liệu địa phương:",
            "2. Về sử dụng lao động địa phương:",
            "3. Nguồn gốc ý tưởng sản phẩm:",
            "4. Bản sắc/trí tuệ địa phương:",
            "(Ký tên và đóng dấu)",
        ):
            assert printed in text, printed
        assert f"1. Tên chủ thể: {PRODUCER}" in text
        assert f"5. Sản phẩm đăng ký đánh giá: {PRODUCT}" in text
        assert "Nguyên liệu trồng tại thôn Đồng Tâm. Diện tích 3 ha." in text
        assert "12/15 lao động là người địa phương." in text
        assert "Kết luận: Đạt yêu cầu" in text
        assert "Kết luận: Đạt một phần" in text
        assert "Tiêu chí liên quan (Bộ tiêu chí số 1): 1.1." in text
        assert "3.3." in text and "2.1." in text and "5.3." in text
        assert "Nguồn gốc sản phẩm (chủ thể tự đánh giá 3/3 điểm)" in text
        assert "Yêu cầu:" not in text  # a criterion's requirement is not repeated in the report
        assert "Giới tính: Nam; Dân tộc: Tày" in text
        assert "đã tổ chức họp với các bộ phận liên quan để lấy ý kiến về nội dung đánh giá ngày 28/10/2026" in text
        assert (
            f"Ủy ban nhân dân xã Yên Thế đề nghị Ủy ban nhân dân {province()} đánh giá, phân hạng sản phẩm OCOP "
            f"cho sản phẩm {PRODUCT} của {PRODUCER}." in text
        )
        assert "T.M ỦY BAN NHÂN DÂN XÃ YÊN THẾ" in text
        assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text
        assert "Trần Thị Bình" in text
        assert "Yên Thế, ngày 02 tháng 11 năm 2026" in text
        assert "DỰ THẢO" not in text


def test_proposal_pdf_and_docx_name_the_product_enclosures_and_signer(bundle):
    pdf = pdf_text(bundle.members["Van-ban-de-nghi.pdf"])
    word = docx_text(bundle.members["Van-ban-de-nghi.docx"])
    for text in (pdf, word):
        assert "Số: 12/UBND-KT" in text
        assert "V/v đề nghị đánh giá, phân hạng sản phẩm OCOP" in text
        assert f"Kính gửi: Ủy ban nhân dân {province()} (qua cơ quan tham mưu quản lý OCOP cấp tỉnh)." in text
        assert (
            "Căn cứ Quyết định số 26/2026/QĐ-TTg ngày 22 tháng 5 năm 2026 của Thủ tướng Chính phủ ban hành Bộ tiêu chí"
            in text
        )
        assert f"Tên sản phẩm: {PRODUCT}" in text
        assert f"Chủ thể OCOP: {PRODUCER}" in text
        assert "Lần đăng ký đánh giá: Lần đầu" in text
        assert f"Phiếu đăng ký số: {RECEIPT}, ngày nhận 20/10/2026" in text
        assert "(Mẫu số 01)" in text and "(Mẫu số 02)" in text and "(Mẫu số 03)" in text
        assert "4. Sản phẩm mẫu: 05 sản phẩm." in text
        assert "01 bộ hồ sơ giấy và 01 bộ hồ sơ điện tử" in text
        assert "TM. ỦY BAN NHÂN DÂN" in text
        assert "Trần Thị Bình" in text
        assert "Nơi nhận:" in text
        assert "DỰ THẢO" not in text


def test_zip_holds_the_forms_issued_documents_and_evidence_listed_in_the_manifest(bundle):
    names = set(bundle.members)
    assert {
        "manifest.json",
        "Mau-01.pdf",
        "Mau-02.pdf",
        "Mau-03.pdf",
        "Mau-03.docx",
        "Van-ban-de-nghi.pdf",
        "Van-ban-de-nghi.docx",
        "minh-chung/giay-to-business-registration/Giấy đăng ký HTX.pdf",
        "minh-chung/tieu-chi-1.1/Hợp đồng liên kết.pdf",
        "minh-chung/tieu-chi-1.1/Hợp đồng liên kết (2).pdf",
        "minh-chung/tieu-chi-1.2/Chứng nhận VietGAP.pdf",
    } == names
    manifest = bundle.manifest
    files = manifest["files"]
    assert {entry["path"] for entry in files} == names - {"manifest.json"}
    for entry in files:
        content = bundle.members[entry["path"]]
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    by_path = {entry["path"]: entry for entry in files}
    paper = by_path["minh-chung/giay-to-business-registration/Giấy đăng ký HTX.pdf"]
    assert (paper["paper_key"], paper["source"], paper["original_name"]) == (
        "business_registration",
        "upload",
        "Giấy đăng ký HTX.pdf",
    )
    assert paper["label"].startswith("Giấy đăng ký kinh doanh")
    second = by_path["minh-chung/tieu-chi-1.1/Hợp đồng liên kết (2).pdf"]
    assert (second["criterion_code"], second["original_name"]) == ("1.1", "Hợp đồng liên kết.pdf")
    assert second["label"]
    vault = by_path["minh-chung/tieu-chi-1.2/Chứng nhận VietGAP.pdf"]
    assert vault["source"] == "vault" and vault["vault_document_id"]
    assert by_path["Mau-03.pdf"]["source"] == "issued"
    assert by_path["Mau-01.pdf"]["source"] == "generated"

    assert manifest["format"] == "ocop-dossier-zip"
    assert manifest["dossier"]["id"] == bundle.dossier_id
    assert manifest["dossier"]["receipt_number"] == RECEIPT
    assert (manifest["dossier"]["kind"], manifest["dossier"]["year"]) == ("first", 2026)
    assert manifest["dossier"]["state"] == "forwarded"
    assert manifest["product"]["name"] == PRODUCT
    assert manifest["producer"]["name"] == PRODUCER
    assert manifest["legal_basis"]["code"] == BASIS
    assert manifest["sheet"]["number"] == 1 and manifest["sheet"]["version"] >= 1
    assert manifest["generated_at"].endswith("+07:00")
    dt.datetime.fromisoformat(manifest["generated_at"])

    assert bundle.zip_name == "Ho-so-OCOP_rau-cai-ngot-yen-the_7-PDK-24-07288-2026.zip"
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes)) as archive:
        assert archive.testzip() is None
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}


def test_zip_file_object_is_closed_by_the_response(bundle):
    assert bundle.response_closed_file


def test_issued_documents_are_stored_once_and_served_identical(bundle):
    assert bundle.stored_count_after_zip == 4
    assert bundle.stored_count_after_requests == 4
    for kind, fmt in ISSUED:
        content, filename = bundle.issued_again[kind, fmt]
        sha, stored_name = bundle.stored[kind, fmt]
        assert hashlib.sha256(content).hexdigest() == sha
        assert filename == stored_name
        path = f"{documents.STEMS[kind]}.{fmt}"
        assert bundle.members[path] == content
    assert bundle.issued_again["mau03", "pdf"][1] == "Mau-03_rau-cai-ngot-yen-the_7-PDK-24-07288-2026.pdf"
    assert bundle.file_name_mau01 == "Mau-01_rau-cai-ngot-yen-the_7-PDK-24-07288-2026.pdf"


# ---------------------------------------------------------------------------------------------
# Cheap checks (no PDF rendering)
# ---------------------------------------------------------------------------------------------


def test_before_forwarding_the_documents_are_previews_marked_draft_and_not_stored():
    dossier = make_dossier(forwarded=False, with_evidence=False)
    content, filename = documents.issued_document(dossier, "mau03", "docx")
    assert filename == "Mau-03_rau-cai-ngot-yen-the_7-PDK-24-07288-2026_du-thao.docx"
    text = docx_text(content)
    assert "DỰ THẢO" in text
    assert "Kết luận: Đạt yêu cầu" in text
    content, filename = documents.issued_document(dossier, "proposal", "docx")
    assert filename.endswith("_du-thao.docx")
    assert "DỰ THẢO" in docx_text(content)
    assert not GeneratedDocument.objects.filter(dossier=dossier).exists()
    with pytest.raises(ValueError):
        documents.issue_documents(dossier)


def test_unknown_documents_are_refused():
    dossier = make_dossier(forwarded=False, reviewed=False, with_evidence=False)
    with pytest.raises(ValueError):
        documents.issued_document(dossier, "mau01", "pdf")
    with pytest.raises(ValueError):
        documents.issued_document(dossier, "mau03", "odt")
    with pytest.raises(ValueError):
        documents.render_form_pdf(dossier, "mau03")


def test_report_without_a_review_keeps_the_printed_blanks():
    dossier = make_dossier(forwarded=False, reviewed=False, with_evidence=False)
    context = documents.report_context(dossier)
    assert context["draft"] is True
    assert context["place_date"] == "Yên Thế, ngày …… tháng …… năm ……"
    assert [topic["conclusion"] for topic in context["topics"]] == ["……………"] * 4
    assert context["sign_lines"] == ["T.M ỦY BAN NHÂN DÂN XÃ YÊN THẾ"]
    proposal = documents.proposal_context(dossier)
    assert proposal["letter_number"] == "……/UBND"


def test_user_text_is_escaped_in_the_word_files():
    dossier = make_dossier(forwarded=False, with_evidence=False)
    review = dossier.commune_review
    review.topics["labour"]["assessment"] = 'Lao động <b>địa phương</b> & "khác"'
    review.save()
    dossier.refresh_from_db()
    content = documents.render_report_docx(dossier)
    assert 'Lao động <b>địa phương</b> & "khác"' in docx_text(content)


def test_tourism_dossier_sends_no_samples_and_raw_material_is_not_applicable():
    dossier = make_dossier(forwarded=False, category_code="VI.1", product_name="Du lịch cộng đồng Yên Thế")
    review = dossier.commune_review
    review.topics["raw_material"] = {"assessment": "", "conclusion": ""}
    review.save()
    dossier.refresh_from_db()
    proposal = documents.proposal_context(dossier)
    assert not any("Sản phẩm mẫu" in item for item in proposal["enclosures"])
    assert proposal["enclosures"][-1].endswith("(Mẫu số 03).")
    report = documents.report_context(dossier)
    raw_material = report["topics"][0]
    assert raw_material["conclusion"] == "Không áp dụng"
    assert raw_material["criteria_text"] == ""
    identity = report["topics"][3]
    assert identity["criteria"] == ["2.3"]
    form = documents.form_context(dossier, "mau01")
    assert form["tourism"] is True


def test_mau02_context_lists_every_criterion_in_sheet_order_with_its_answer():
    dossier = make_dossier(forwarded=False, reviewed=False)
    sheet = dossier.rubric.to_sheet()
    context = documents.form_context(dossier, "mau02")
    rows = [row for row in context["criteria_rows"] if row.kind == "criterion"]
    assert [row.code for row in rows] == [leaf.code for leaf in sheet.leaves()]
    assert all(row.answered for row in rows)
    first = next(row for row in rows if row.code == "1.1")
    _node, option = sheet.option(dossier.answers["1.1"])
    assert (first.option, first.points) == (option.label, documents.format_points(option.points))
    assert [item.name for item in first.evidence] == ["Hợp đồng liên kết.pdf", "Hợp đồng liên kết.pdf"]
    assert (context["papers"][0]["key"], context["papers"][0]["letter"]) == ("business_registration", "a")
    assert context["papers"][0]["checked"] is True
    assert context["papers"][1]["checked"] is False
    assert [row.code for row in context["criteria_rows"] if row.kind == "part"] == ["A", "B", "C"]


def test_draft_file_name_and_unanswered_criteria():
    dossier = make_dossier(forwarded=False, reviewed=False, with_evidence=False)
    Dossier.objects.filter(pk=dossier.pk).update(receipt_number="", answers={}, self_total=None)
    dossier.refresh_from_db()
    assert documents.file_name(dossier, "mau02", "pdf") == "Mau-02_rau-cai-ngot-yen-the_ban-nhap.pdf"
    context = documents.form_context(dossier, "mau01")
    assert context["reference"].startswith("Mẫu số 01 · Bản nháp")
    assert context["receiver_name"] == ""
    rows = documents.form_context(dossier, "mau02")["criteria_rows"]
    assert not any(row.answered for row in rows if row.kind == "criterion")


@pytest.mark.unit
def test_content_disposition_keeps_vietnamese_names_with_an_ascii_fallback():
    header = documents.content_disposition("Mẫu 03 – Rau cải Yên Thế.pdf")
    assert header.startswith('attachment; filename="Mau 03 _ Rau cai Yen The.pdf"; ')
    assert "filename*=UTF-8''M%E1%BA%ABu%2003%20%E2%80%93%20Rau%20c%E1%BA%A3i%20Y%C3%AAn%20Th%E1%BA%BF.pdf" in header
    assert documents.content_disposition("Mau-01.pdf") == 'attachment; filename="Mau-01.pdf"'
    assert documents.content_disposition("Mau-01.pdf", attachment=False) == 'inline; filename="Mau-01.pdf"'
    injected = documents.content_disposition('Đơn "x";\r\nSet-Cookie: a.pdf')
    assert "\r" not in injected and "\n" not in injected
    assert injected.count('"') == 2


@pytest.mark.unit
def test_dates_and_unit_names_follow_the_administrative_style():
    assert documents.long_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert documents.long_date(dt.date(2026, 11, 2)) == "ngày 02 tháng 11 năm 2026"
    assert documents.long_date(None) == "ngày …… tháng …… năm ……"
    assert documents.short_date(dt.date(2026, 3, 9)) == "09/03/2026"

    class Unit:
        def __init__(self, name):
            self.name = name

    assert documents.bare_unit_name(Unit("Xã Yên Thế")) == "Yên Thế"
    assert documents.bare_unit_name(Unit("Đặc khu Phú Quốc")) == "Phú Quốc"
    assert documents.unit_in_sentence(Unit("Phường Bắc Hồng Lĩnh")) == "phường Bắc Hồng Lĩnh"
    assert documents.unit_in_sentence(Unit("Thành phố Hà Nội")) == "thành phố Hà Nội"
    assert documents.ascii_fold("Đặc sản Yên Thế") == "Dac san Yen The"


def test_upload_limits_for_display_come_from_the_upload_rules(settings):
    settings.OCOP_MAX_IMAGE_MB = 7
    settings.OCOP_MAX_DOCUMENT_MB = 15
    limits = documents.upload_limits_for_display()
    assert (limits["image_mb"], limits["document_mb"], limits["largest_mb"]) == (7, 15, 15)
    assert limits["max_mb"] == {"pdf": 15, "image": 7, "office": 15}
    assert limits["extensions"].startswith("PDF, JPG")
    assert "PDF" in limits["extension_list"] and "DOCX" in limits["extension_list"]
    assert ".pdf" in limits["accept"] and "image/*" in limits["accept"]
