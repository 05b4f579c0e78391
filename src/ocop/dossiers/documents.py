"""The documents of a dossier: Mẫu 01 and Mẫu 02 as PDF, the commune's Mẫu 03 report and proposal
letter as PDF and Word, and the whole e-dossier as a ZIP with a manifest.

* :func:`render_form_pdf` — Mẫu 01 (Phiếu đăng ký) or Mẫu 02 (Báo cáo tự đánh giá), from the
  dossier's data at any time (26/2026 Annex III);
* :func:`render_report_pdf` / :func:`render_report_docx` — Mẫu 03 (Báo cáo đánh giá một số nội
  dung của hồ sơ) from the commune review; :func:`render_proposal_pdf` /
  :func:`render_proposal_docx` — the letter proposing the provincial evaluation (Art. 6.2a);
* :func:`issued_document` — once the dossier is forwarded, Mẫu 03 and the letter are issued:
  rendered once, stored (:class:`~ocop.dossiers.models.GeneratedDocument`, private storage,
  SHA-256) and served unchanged afterwards; before that, an unstored preview marked "DỰ THẢO";
* :func:`build_dossier_zip` — the e-dossier (01 bộ hồ sơ điện tử, Art. 7.1–7.2) in a temporary
  file that is deleted when closed.

The documents are official Vietnamese forms: their wording is literal Vietnamese, as printed in
Annex III (no translation). PDFs are rendered by WeasyPrint from ``dossiers/pdf/*.html`` with no
network access; Word files by docxtpl from ``dossiers/data/docx/*.docx`` (generated once by
``scripts/make_dossier_docx_templates.py``; officers may edit them in Word, keeping the tags).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from docxtpl import DocxTemplate
from weasyprint import HTML, URLFetcher

from ocop.core.uploads import sanitize_filename, upload_limits
from ocop.dossiers.definitions import form_definition
from ocop.dossiers.enums import (
    CommuneTopic,
    DossierKind,
    DossierState,
    EvidenceSource,
    GeneratedDocumentKind,
    TopicConclusion,
)
from ocop.dossiers.models import Dossier, DossierEvidence, GeneratedDocument
from ocop.evaluation.engine import ScoringError, format_points

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
ZIP_MIME = "application/zip"
FORMATS = ("pdf", "docx")
DOCX_DIR = Path(__file__).resolve().parent / "data" / "docx"
DOCX_TEMPLATES = {GeneratedDocumentKind.REPORT: "mau-03.docx", GeneratedDocumentKind.PROPOSAL: "proposal.docx"}
PDF_TEMPLATES = {
    "mau01": "dossiers/pdf/mau01.html",
    "mau02": "dossiers/pdf/mau02.html",
    GeneratedDocumentKind.REPORT: "dossiers/pdf/mau03.html",
    GeneratedDocumentKind.PROPOSAL: "dossiers/pdf/proposal.html",
}
#: File-name stems (ASCII) of the documents.
STEMS = {
    "mau01": "Mau-01",
    "mau02": "Mau-02",
    GeneratedDocumentKind.REPORT: "Mau-03",
    GeneratedDocumentKind.PROPOSAL: "Van-ban-de-nghi",
}
TOURISM_SHEET = 26
ZIP_CHUNK = 1024 * 1024
MANIFEST_FORMAT = "ocop-dossier-zip"
MANIFEST_VERSION = 1

# Vietnamese wording of the printed forms (Annex III) — not interface text, so not translated.
KIND_LABELS = {DossierKind.FIRST: "Lần đầu", DossierKind.UPGRADE: "Nâng hạng", DossierKind.RERATING: "Đánh giá lại"}
CONCLUSION_LABELS = {
    TopicConclusion.MET: "Đạt yêu cầu",
    TopicConclusion.PARTLY: "Đạt một phần",
    TopicConclusion.NOT_MET: "Không đạt yêu cầu",
    TopicConclusion.NOT_APPLICABLE: "Không áp dụng",
}
TOPIC_HEADINGS = {
    CommuneTopic.RAW_MATERIAL: "1. Về sử dụng nguyên liệu địa phương",
    CommuneTopic.LABOUR: "2. Về sử dụng lao động địa phương",
    CommuneTopic.IDEA: "3. Nguồn gốc ý tưởng sản phẩm",
    CommuneTopic.IDENTITY: "4. Bản sắc/trí tuệ địa phương",
}
DOCUMENT_TITLES = {
    "mau01": "Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01)",
    "mau02": "Báo cáo tự đánh giá về sản phẩm (Mẫu số 02)",
    GeneratedDocumentKind.REPORT: "Báo cáo đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, "
    "phân hạng sản phẩm OCOP (Mẫu số 03)",
    GeneratedDocumentKind.PROPOSAL: "Văn bản của UBND cấp xã đề nghị UBND cấp tỉnh đánh giá, phân hạng sản phẩm OCOP",
}
CATEGORY_DEPTH_LABELS = ("Ngành", "Nhóm", "Phân nhóm")
UNIT_PREFIXES = ("Thành phố", "Thị trấn", "Đặc khu", "Phường", "Tỉnh", "Xã")
DRAFT_TEXT = "DỰ THẢO — văn bản chưa ban hành, chỉ để kiểm tra trước khi chuyển hồ sơ"
BLANK_DATE = "ngày …… tháng …… năm ……"


# ---------------------------------------------------------------------------------------------
# Names, dates and headers
# ---------------------------------------------------------------------------------------------


def ascii_fold(text: str | None, replacement: str = "") -> str:
    """Vietnamese letters without diacritics, case kept: ``Đặc sản`` → ``Dac san``; any other
    non-ASCII character becomes ``replacement``."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (char for char in decomposed if unicodedata.category(char) != "Mn")
    return "".join(char if char.isascii() else replacement for char in kept)


def _slug(text: str | None, *, lower: bool = True, limit: int = 60) -> str:
    folded = ascii_fold(text)
    if lower:
        folded = folded.lower()
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:limit].strip("-")


def file_name(dossier: Dossier, name: str, fmt: str) -> str:
    """``Mau-01_rau-cai-yen-the_12-PDK-24-07288-2026.pdf`` (``ban-nhap`` before a receipt number)."""
    stem = STEMS.get(name) or _slug(name, lower=False) or "tai-lieu"
    product = _slug(dossier.product.name) or f"san-pham-{dossier.product_id}"
    receipt = _slug(dossier.receipt_number, lower=False) or "ban-nhap"
    return f"{stem}_{product}_{receipt}.{fmt}"


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """A ``Content-Disposition`` value (RFC 6266) that keeps a Vietnamese file name.

    Non-ASCII names get ``filename*=UTF-8''…`` (RFC 8187) plus an ASCII ``filename="…"`` fallback
    for old clients; ASCII names go through Django's ``content_disposition_header``.
    """
    filename = unicodedata.normalize("NFC", filename or "").replace("\r", " ").replace("\n", " ")
    if filename.isascii():
        return content_disposition_header(attachment, filename) or ("attachment" if attachment else "inline")
    fallback = re.sub(r'[^\x20-\x7e]|["\\%;]', "_", ascii_fold(filename, "_")).strip() or "tai-lieu"
    disposition = "attachment" if attachment else "inline"
    encoded = quote(filename, safe="!#$&+-.^_`|~")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def upload_limits_for_display() -> dict:
    """What the upload forms show, from ``ocop.core.uploads.upload_limits()``.

    ``accept`` (the HTML attribute), ``extensions`` (``"PDF, JPG, JPEG, …"``), ``extension_list``
    (``["PDF", "JPG", …]``), ``image_mb`` and ``document_mb`` (limits in MB), ``max_mb`` (kind →
    MB) and ``largest_mb``.
    """
    limits = upload_limits()
    extensions = str(getattr(limits, "extensions", "") or "")
    max_mb = {str(getattr(kind, "value", kind)): int(value) for kind, value in dict(limits.max_mb).items()}
    return {
        "accept": str(getattr(limits, "accept", "") or ""),
        "extensions": extensions,
        "extension_list": [part.strip() for part in extensions.split(",") if part.strip()],
        "image_mb": max_mb.get("image"),
        "document_mb": max_mb.get("pdf") or max_mb.get("office"),
        "max_mb": max_mb,
        "largest_mb": max(max_mb.values(), default=None),
    }


def short_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def long_date(day: dt.date | None) -> str:
    """``ngày 05 tháng 8 năm 2026``: day below 10 and months 1–2 with a leading zero (NĐ 30/2020)."""
    if day is None:
        return BLANK_DATE
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def _iso_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def bare_unit_name(unit) -> str:
    """``Xã Yên Thế`` → ``Yên Thế`` (the place name in a date line)."""
    name = (getattr(unit, "name", "") or "").strip()
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def unit_in_sentence(unit) -> str:
    """``Xã Yên Thế`` → ``xã Yên Thế``; ``Tỉnh Bắc Ninh`` → ``tỉnh Bắc Ninh``."""
    name = (getattr(unit, "name", "") or "").strip()
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix + " "):
            return prefix.lower() + name[len(prefix) :]
    return name


_TITLE_PREFIX = re.compile(r"^(?:Quyết định|Nghị định|Thông tư)\s+(?:số\s+)?\S+(?:\s+ngày\s+\S+)?\s+", re.IGNORECASE)


def _decision_subject(title: str | None) -> str:
    """``Quyết định 26/2026/QĐ-TTg ngày 22/5/2026 ban hành Bộ tiêu chí…`` → ``ban hành Bộ tiêu chí…``."""
    title = (title or "").strip()
    subject = _TITLE_PREFIX.sub("", title, count=1)
    return subject[:1].lower() + subject[1:] if subject else ""


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _points(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return format_points(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _number(value: int | None) -> str:
    """Whole numbers with the Vietnamese thousands separator: ``12.500``."""
    return "" if value is None else f"{int(value):,}".replace(",", ".")


def _is_tourism(dossier: Dossier) -> bool:
    return dossier.rubric.sheet_number == TOURISM_SHEET


def _category_path(dossier: Dossier) -> str:
    """``Ngành: Sản phẩm thực phẩm; Nhóm: Thực phẩm tươi sống; Phân nhóm: Rau, củ, quả, hạt tươi``."""
    classification = (
        dossier.product.classifications.filter(legal_basis=dossier.legal_basis).select_related("category").first()
    )
    if classification is None:
        return str((dossier.registration or {}).get("product_group") or "")
    chain = []
    node = classification.category
    while node is not None:
        chain.append(node)
        node = node.parent
    chain.reverse()
    return "; ".join(
        f"{CATEGORY_DEPTH_LABELS[min(depth, len(CATEGORY_DEPTH_LABELS) - 1)]}: {node.name}"
        for depth, node in enumerate(chain)
    )


def _event_actor(dossier: Dossier, to_state: str) -> str:
    event = dossier.events.filter(to_state=to_state).select_related("actor").order_by("at", "pk").first()
    if event is None:
        return ""
    actor = event.actor
    if actor is not None:
        return getattr(actor, "full_name", "") or actor.get_full_name() or event.actor_name or actor.get_username()
    return event.actor_name


def _sign_lines(position: str, authority: str) -> list[str]:
    """``TM. ỦY BAN NHÂN DÂN`` + ``CHỦ TỊCH``; a deputy signs ``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH`` (NĐ 30/2020)."""
    position = (position or "").strip()
    lines = [authority]
    if position.casefold().startswith("phó"):
        lines.append("KT. CHỦ TỊCH")
    if position:
        lines.append(position.upper())
    return lines


# ---------------------------------------------------------------------------------------------
# Contexts (kept apart from rendering so they can be checked cheaply)
# ---------------------------------------------------------------------------------------------


@dataclass
class EvidenceItem:
    name: str
    source: str
    note: str = ""
    added_in_submission: int = 1

    @property
    def from_vault(self) -> bool:
        return self.source == EvidenceSource.VAULT


@dataclass
class CriterionRow:
    """One row of the Part III table: a part, a heading (group) or a criterion with its answer."""

    kind: str  # part | heading | criterion
    code: str
    title: str
    max_points: str
    level: int = 0
    option: str = ""
    points: str = ""
    answered: bool = False
    evidence: list[EvidenceItem] = field(default_factory=list)


def _evidence_by_target(dossier: Dossier) -> tuple[dict[str, list], dict[str, list], list]:
    by_criterion: dict[str, list] = {}
    by_paper: dict[str, list] = {}
    general: list = []
    for evidence in dossier.evidence.select_related("vault_document").order_by("pk"):
        item = EvidenceItem(
            name=evidence.display_name,
            source=evidence.source,
            note=evidence.note,
            added_in_submission=evidence.added_in_submission,
        )
        if evidence.criterion_code:
            by_criterion.setdefault(evidence.criterion_code, []).append(item)
        elif evidence.paper_key:
            by_paper.setdefault(evidence.paper_key, []).append(item)
        else:
            general.append(item)
    return by_criterion, by_paper, general


def _answer(sheet, key: str | None) -> tuple[str, str]:
    if not key:
        return "", ""
    try:
        _node, option = sheet.option(key)
    except ScoringError:
        return "", ""
    return option.label, format_points(option.points)


def _criteria_rows(dossier: Dossier, sheet, by_criterion: dict[str, list]) -> list[CriterionRow]:
    answers = dossier.answers or {}
    rows: list[CriterionRow] = []

    def walk(node, level: int) -> None:
        if node.kind == "part":
            rows.append(CriterionRow("part", node.code, node.title, format_points(node.max_points)))
        elif not node.is_leaf:
            rows.append(CriterionRow("heading", node.code, node.title, format_points(node.max_points), level=level))
        else:
            label, points = _answer(sheet, answers.get(node.code))
            if node.binary and label in ("", None) and points:
                label = "Có" if Decimal(points.replace(",", ".")) > 0 else "Không"
            rows.append(
                CriterionRow(
                    "criterion",
                    node.code,
                    node.title,
                    format_points(node.max_points),
                    level=level,
                    option=label,
                    points=points,
                    answered=bool(points),
                    evidence=by_criterion.get(node.code, []),
                )
            )
        for child in node.children:
            walk(child, level + 1)

    for part in sheet.parts:
        walk(part, 0)
    return rows


def _papers(dossier: Dossier, definition, by_paper: dict[str, list]) -> list[dict]:
    notes = dossier.legal_papers or {}
    papers = []
    items = definition.legal_papers if definition else ()
    known = set()
    for index, item in enumerate(items):
        known.add(item.key)
        note = str((notes.get(item.key) or {}).get("note") or "")
        evidence = by_paper.get(item.key, [])
        papers.append(
            {
                "letter": "abcdefghijklmnopqrstuvwxyz"[index % 26],
                "key": item.key,
                "label": item.label,
                "note": note,
                "evidence": evidence,
                "checked": bool(evidence or note.strip()),
            }
        )
    for key, evidence in by_paper.items():  # a paper the definition no longer lists
        if key not in known:
            papers.append({"letter": "-", "key": key, "label": key, "note": "", "evidence": evidence, "checked": True})
    return papers


def _common_context(dossier: Dossier) -> dict:
    registration = dossier.registration or {}
    general = dossier.general or {}
    commune, province = dossier.commune, dossier.province
    return {
        "dossier": dossier,
        "registration": registration,
        "general": general,
        "product_name": registration.get("product_name") or dossier.product.name,
        "producer_name": registration.get("unit_name") or dossier.producer.name,
        "address": registration.get("address") or dossier.producer.address,
        "legal_form": general.get("legal_form", ""),
        "representative_name": registration.get("representative_name") or dossier.producer.representative_name,
        "representative_gender": general.get("representative_gender", ""),
        "representative_ethnicity": general.get("representative_ethnicity", ""),
        "representative_residence": general.get("representative_residence", ""),
        "commune_name": commune.name,
        "commune_upper": commune.name.upper(),
        "commune_in_sentence": unit_in_sentence(commune),
        "commune_place": bare_unit_name(commune),
        "province_name": province.name,
        "province_in_sentence": unit_in_sentence(province),
        "receipt_number": dossier.receipt_number,
        "received_on": short_date(dossier.received_on),
        "year": str(dossier.year),
        "kind_label": KIND_LABELS.get(dossier.kind, dossier.kind),
        "category_path": _category_path(dossier),
        "sheet_number": dossier.rubric.sheet_number,
        "sheet_title": dossier.rubric.title,
        "legal_basis_code": dossier.legal_basis.code,
        "tourism": _is_tourism(dossier),
    }


def form_context(dossier: Dossier, name: str) -> dict:
    """Everything ``dossiers/pdf/mau01.html`` or ``mau02.html`` needs."""
    context = _common_context(dossier)
    definition = form_definition(dossier.legal_basis.code)
    sheet = dossier.rubric.to_sheet()
    by_criterion, by_paper, general_evidence = _evidence_by_target(dossier)
    signed_on = dossier.received_on
    context.update(
        name=name,
        title=DOCUMENT_TITLES[name],
        reference=f"Mẫu số {name[-2:]} · "
        + (f"Phiếu số {dossier.receipt_number}" if dossier.receipt_number else "Bản nháp, chưa nộp")
        + f" · Hồ sơ #{dossier.pk}",
        kinds=[(value, label, dossier.kind == value) for value, label in KIND_LABELS.items()],
        sample_count=_number(dossier.sample_count) if dossier.sample_count is not None else "",
        place_date=f"{context['commune_place']}, {long_date(signed_on)}" if signed_on else "……, " + BLANK_DATE,
        receiver_name=_event_actor(dossier, DossierState.COMMUNE_REVIEW) if dossier.receipt_number else "",
        province_received_on=short_date(_local_date(dossier.forwarded_at)),
        province_receiver_name=_event_actor(dossier, DossierState.ACCEPTED) if dossier.accepted_at else "",
        previous=dossier.previous_star_record,
        papers=_papers(dossier, definition, by_paper),
        business_results=[
            {"label": item.label, "paragraphs": _paragraphs((dossier.business_results or {}).get(item.key))}
            for item in (definition.business_results if definition else ())
        ],
        plan_ahead=[
            {"label": item.label, "paragraphs": _paragraphs((dossier.plan_ahead or {}).get(item.key))}
            for item in (definition.plan_ahead if definition else ())
        ],
        established_on=short_date(_iso_date((dossier.general or {}).get("established_on")))
        or short_date(_iso_date((dossier.general or {}).get("registration_issued_on"))),
        specification_paragraphs=_paragraphs((dossier.general or {}).get("specification")),
        criteria_rows=_criteria_rows(dossier, sheet, by_criterion),
        general_evidence=general_evidence,
        part_totals=[
            {
                "code": part.code,
                "title": part.title,
                "max": format_points(part.max_points),
                "points": _points((dossier.self_part_totals or {}).get(part.code)),
            }
            for part in sheet.parts
        ],
        self_total=_points(dossier.self_total),
        max_total=format_points(sheet.max_total),
        self_star=dossier.self_star,
        rubric_version=dossier.rubric.version,
    )
    return context


def _short_title(title: str, limit: int = 120) -> str:
    """A criterion's title without the requirement some sheets print after it, at most ``limit`` characters."""
    title = " ".join(title.split("Yêu cầu:", 1)[0].split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _linked_criteria(dossier: Dossier, sheet, codes) -> str:
    answers = dossier.answers or {}
    parts = []
    for code in codes:
        try:
            node = sheet.leaf(code)
        except ScoringError:
            try:
                node = next(node for node in sheet.nodes() if node.code == code)
            except StopIteration:
                parts.append(code)
                continue
        text = f"{node.code}. {_short_title(node.title)}"
        _label, points = _answer(sheet, answers.get(node.code))
        if points:
            text += f" (chủ thể tự đánh giá {points}/{format_points(node.max_points)} điểm)"
        parts.append(text)
    return "; ".join(parts)


def report_context(dossier: Dossier, *, draft: bool | None = None) -> dict:
    """Everything Mẫu 03 (PDF and Word) needs, from the commune review."""
    context = _common_context(dossier)
    review = getattr(dossier, "commune_review", None) if dossier.pk else None
    definition = form_definition(dossier.legal_basis.code)
    topic_criteria = definition.topic_criteria(dossier.rubric.sheet_number) if definition else {}
    sheet = dossier.rubric.to_sheet()
    draft = dossier.forwarded_at is None if draft is None else draft
    topics = []
    for topic in CommuneTopic:
        value = review.topic(topic.value) if review else {}
        codes = topic_criteria.get(topic.value, ())
        conclusion = value.get("conclusion") or ""
        if not conclusion and topic == CommuneTopic.RAW_MATERIAL and context["tourism"] and not codes:
            conclusion = TopicConclusion.NOT_APPLICABLE
        criteria_text = _linked_criteria(dossier, sheet, codes)
        topics.append(
            {
                "key": topic.value,
                "heading": TOPIC_HEADINGS[topic] + ":",
                "paragraphs": _paragraphs(value.get("assessment")) or ["……………………………………"],
                "conclusion": CONCLUSION_LABELS.get(conclusion, "……………"),
                "criteria": list(codes),
                "criteria_text": f"Tiêu chí liên quan (Bộ tiêu chí số {context['sheet_number']}): {criteria_text}."
                if criteria_text
                else "",
            }
        )
    letter_date = review.letter_date if review else None
    meeting_text = ""
    if review and review.meeting_held:
        meeting_text = (
            f"Ủy ban nhân dân {context['commune_in_sentence']} đã tổ chức họp với các bộ phận liên quan "
            f"để lấy ý kiến về nội dung đánh giá"
            + (f" ngày {short_date(review.meeting_on)}" if review.meeting_on else "")
            + "."
        )
    authority = f"T.M ỦY BAN NHÂN DÂN {context['commune_upper']}"
    context.update(
        name=GeneratedDocumentKind.REPORT,
        title=DOCUMENT_TITLES[GeneratedDocumentKind.REPORT],
        draft=draft,
        draft_text=DRAFT_TEXT,
        review=review,
        topics=topics,
        meeting_text=meeting_text,
        meeting_paragraphs=_paragraphs(review.meeting_notes) if review and review.meeting_held else [],
        closing=(
            f"Ủy ban nhân dân {context['commune_in_sentence']} đề nghị Ủy ban nhân dân "
            f"{context['province_in_sentence']} đánh giá, phân hạng sản phẩm OCOP cho sản phẩm "
            f"{context['product_name']} của {context['producer_name']}."
        ),
        proposal_paragraphs=_paragraphs(review.proposal) if review else [],
        letter_date=short_date(letter_date),
        place_date=f"{context['commune_place']}, {long_date(letter_date)}",
        sign_authority=authority,
        sign_lines=_sign_lines(review.signer_position if review else "", authority),
        signer_name=review.signer_name if review else "",
        reference="Mẫu số 03 · "
        + (f"Phiếu số {dossier.receipt_number}" if dossier.receipt_number else "")
        + f" · Hồ sơ #{dossier.pk}",
    )
    return context


def proposal_context(dossier: Dossier, *, draft: bool | None = None) -> dict:
    """Everything the proposal letter (PDF and Word) needs."""
    context = _common_context(dossier)
    review = getattr(dossier, "commune_review", None) if dossier.pk else None
    draft = dossier.forwarded_at is None if draft is None else draft
    legal_basis = dossier.legal_basis
    letter_date = review.letter_date if review else None
    basis_line = f"Căn cứ Quyết định số {legal_basis.code}"
    if legal_basis.signed_on:
        basis_line += f" {long_date(legal_basis.signed_on)}"
    if legal_basis.code.endswith("QĐ-TTg"):
        basis_line += " của Thủ tướng Chính phủ"
    subject = _decision_subject(legal_basis.title)
    if subject:
        basis_line += f" {subject}"
    basis_line += ";"
    product_lines = [
        {"label": "Tên sản phẩm", "value": context["product_name"]},
        {"label": "Chủ thể OCOP", "value": context["producer_name"]},
        {"label": "Địa chỉ", "value": context["address"]},
        {"label": "Người đại diện theo pháp luật", "value": context["representative_name"]},
        {"label": "Nhóm sản phẩm đăng ký (Ngành, Nhóm, Phân nhóm)", "value": context["category_path"]},
        {"label": "Lần đăng ký đánh giá", "value": context["kind_label"]},
    ]
    if dossier.receipt_number:
        received = f", ngày nhận {context['received_on']}" if context["received_on"] else ""
        product_lines.append({"label": "Phiếu đăng ký số", "value": f"{dossier.receipt_number}{received}"})
    if dossier.self_total is not None:
        value = f"{_points(dossier.self_total)}/100 điểm"
        if dossier.self_star:
            value += f" (dự kiến {dossier.self_star} sao)"
        product_lines.append({"label": "Kết quả tự đánh giá của chủ thể", "value": value})
    enclosures = [
        "1. Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01);",
        "2. Báo cáo tự đánh giá về sản phẩm (Mẫu số 02) kèm tài liệu minh chứng;",
        "3. Báo cáo đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP "
        f"của Ủy ban nhân dân {context['commune_in_sentence']} (Mẫu số 03);",
    ]
    samples = dossier.sample_count or 0
    if not context["tourism"] and samples:
        enclosures.append(f"4. Sản phẩm mẫu: {samples:02d} sản phẩm.")
    else:
        enclosures[-1] = enclosures[-1][:-1] + "."
    authority = "TM. ỦY BAN NHÂN DÂN"
    context.update(
        name=GeneratedDocumentKind.PROPOSAL,
        title=DOCUMENT_TITLES[GeneratedDocumentKind.PROPOSAL],
        draft=draft,
        draft_text=DRAFT_TEXT,
        review=review,
        letter_number=(review.letter_number if review and review.letter_number else "……/UBND"),
        letter_date=short_date(letter_date),
        place_date=f"{context['commune_place']}, {long_date(letter_date)}",
        addressee=f"Ủy ban nhân dân {context['province_in_sentence']} (qua cơ quan tham mưu quản lý OCOP cấp tỉnh).",
        basis_line=basis_line,
        review_line=(
            f"Căn cứ kết quả kiểm tra, đánh giá hồ sơ sản phẩm của Ủy ban nhân dân {context['commune_in_sentence']}"
            + (f" (Báo cáo theo Mẫu số 03 ngày {short_date(letter_date)})" if letter_date else "")
            + ","
        ),
        intro=(
            f"Ủy ban nhân dân {context['commune_in_sentence']} đề nghị Ủy ban nhân dân "
            f"{context['province_in_sentence']} xem xét, tổ chức đánh giá, phân hạng sản phẩm OCOP "
            "đối với sản phẩm sau:"
        ),
        product_lines=product_lines,
        enclosures_intro="Hồ sơ gửi kèm (01 bộ hồ sơ giấy và 01 bộ hồ sơ điện tử), gồm:",
        enclosures=enclosures,
        samples=samples,
        closing=(
            f"Ủy ban nhân dân {context['commune_in_sentence']} kính đề nghị Ủy ban nhân dân "
            f"{context['province_in_sentence']} xem xét, tổ chức đánh giá, phân hạng sản phẩm OCOP theo quy định./."
        ),
        sign_authority=authority,
        sign_lines=_sign_lines(review.signer_position if review else "", authority),
        signer_name=review.signer_name if review else "",
        reference="Văn bản đề nghị · "
        + (f"Phiếu số {dossier.receipt_number}" if dossier.receipt_number else "")
        + f" · Hồ sơ #{dossier.pk}",
    )
    return context


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _no_fetching() -> URLFetcher:
    """The documents need no external resource: a fetcher that allows no protocol at all."""
    return URLFetcher(allowed_protocols=())


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetching()).write_pdf()


def _docx(kind: str, context: dict) -> bytes:
    template = DocxTemplate(str(DOCX_DIR / DOCX_TEMPLATES[kind]))
    # Only plain values go to docxtpl (no model instances in a template officers may edit).
    values = {key: value for key, value in context.items() if isinstance(value, str | int | bool | list | dict)}
    template.render(values, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def render_form_pdf(dossier: Dossier, name: str) -> bytes:
    """Mẫu 01 (``name="mau01"``) or Mẫu 02 (``"mau02"``) of the dossier as an A4 PDF."""
    if name not in ("mau01", "mau02"):
        raise ValueError(f"Unknown form: {name!r}")
    return _pdf(PDF_TEMPLATES[name], form_context(dossier, name))


def render_report_pdf(dossier: Dossier, *, draft: bool | None = None) -> bytes:
    """Mẫu 03 as PDF; ``draft`` (default: not yet forwarded) prints the "DỰ THẢO" mark."""
    return _pdf(PDF_TEMPLATES[GeneratedDocumentKind.REPORT], report_context(dossier, draft=draft))


def render_report_docx(dossier: Dossier, *, draft: bool | None = None) -> bytes:
    """Mẫu 03 as Word (.docx)."""
    return _docx(GeneratedDocumentKind.REPORT, report_context(dossier, draft=draft))


def render_proposal_pdf(dossier: Dossier, *, draft: bool | None = None) -> bytes:
    """The proposal letter to the province as PDF."""
    return _pdf(PDF_TEMPLATES[GeneratedDocumentKind.PROPOSAL], proposal_context(dossier, draft=draft))


def render_proposal_docx(dossier: Dossier, *, draft: bool | None = None) -> bytes:
    """The proposal letter to the province as Word (.docx)."""
    return _docx(GeneratedDocumentKind.PROPOSAL, proposal_context(dossier, draft=draft))


RENDERERS = {
    (GeneratedDocumentKind.REPORT, "pdf"): render_report_pdf,
    (GeneratedDocumentKind.REPORT, "docx"): render_report_docx,
    (GeneratedDocumentKind.PROPOSAL, "pdf"): render_proposal_pdf,
    (GeneratedDocumentKind.PROPOSAL, "docx"): render_proposal_docx,
}


def _check_kind(kind: str, fmt: str) -> None:
    if (kind, fmt) not in RENDERERS:
        raise ValueError(f"Unknown issued document: {kind!r} as {fmt!r}")


def preview_file_name(dossier: Dossier, kind: str, fmt: str) -> str:
    stem, _dot, extension = file_name(dossier, kind, fmt).rpartition(".")
    return f"{stem}_du-thao.{extension}"


def issue_documents(dossier: Dossier) -> list[GeneratedDocument]:
    """Issue Mẫu 03 and the proposal letter (PDF and Word) of a forwarded dossier, once.

    All four files are rendered from the same data in one go, so the PDF and the Word file of a
    document always agree. Documents already issued are returned as they are. Idempotent and safe
    against two requests at once (the dossier row is locked while issuing). If an enclosing
    transaction rolls back afterwards, the files written stay in the private storage unreferenced
    (Django has no rollback hook) and the next request issues the documents again.
    """
    if dossier.forwarded_at is None:
        raise ValueError("Only a forwarded dossier has issued documents.")
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk", flat=True).first()
        existing = {
            (document.kind, document.file_format): document
            for document in GeneratedDocument.objects.filter(dossier=dossier).order_by("-pk")
        }
        written: list[tuple] = []
        try:
            for kind, fmt in RENDERERS:
                if (kind, fmt) in existing:
                    continue
                content = RENDERERS[kind, fmt](dossier, draft=False)
                name = file_name(dossier, kind, fmt)
                document = GeneratedDocument(
                    dossier=dossier,
                    kind=kind,
                    file_format=fmt,
                    file_name=name,
                    sha256=hashlib.sha256(content).hexdigest(),
                )
                document.file.save(name, ContentFile(content), save=False)
                written.append((document.file.storage, document.file.name))
                document.save()
                existing[kind, fmt] = document
        except Exception:
            for storage, stored_name in written:
                storage.delete(stored_name)
            raise
    return [existing[key] for key in RENDERERS]


def issued_document(dossier: Dossier, kind: str, fmt: str) -> tuple[bytes, str]:
    """(content, file name) of Mẫu 03 (``kind="mau03"``) or the letter (``"proposal"``), ``fmt``
    ``pdf`` or ``docx``.

    A forwarded dossier's document is the issued one (stored at the first request, never changed
    afterwards); before forwarding, an unstored preview marked "DỰ THẢO" for the commune to check.
    """
    _check_kind(kind, fmt)
    if dossier.forwarded_at is None:
        return RENDERERS[kind, fmt](dossier, draft=True), preview_file_name(dossier, kind, fmt)
    document = GeneratedDocument.objects.filter(dossier=dossier, kind=kind, file_format=fmt).order_by("pk").first()
    if document is None:
        documents = {(item.kind, item.file_format): item for item in issue_documents(dossier)}
        document = documents[kind, fmt]
    with document.file.storage.open(document.file.name, "rb") as handle:
        content = handle.read()
    return content, document.file_name


# ---------------------------------------------------------------------------------------------
# The e-dossier as a ZIP
# ---------------------------------------------------------------------------------------------


class _UniqueNames:
    """Names inside the ZIP, made unique case-insensitively: ``a.pdf``, ``a (2).pdf``, …"""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, folder: str, name: str) -> str:
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate = f"{folder}/{name}" if folder else name
        counter = 1
        while candidate.casefold() in self.used:
            counter += 1
            numbered = f"{stem} ({counter}).{extension}" if extension else f"{stem} ({counter})"
            candidate = f"{folder}/{numbered}" if folder else numbered
        self.used.add(candidate.casefold())
        return candidate


def _write_bytes(archive: zipfile.ZipFile, path: str, content: bytes) -> tuple[int, str]:
    archive.writestr(path, content)
    return len(content), hashlib.sha256(content).hexdigest()


def _write_stream(archive: zipfile.ZipFile, path: str, handle, size: int | None) -> tuple[int, str]:
    """Copy a stored file into the ZIP chunk by chunk, hashing on the way (never all in memory)."""
    digest = hashlib.sha256()
    written = 0
    with archive.open(path, "w", force_zip64=bool(size and size > 2**31)) as target:
        while chunk := handle.read(ZIP_CHUNK):
            digest.update(chunk)
            target.write(chunk)
            written += len(chunk)
    return written, digest.hexdigest()


def _evidence_folder(evidence: DossierEvidence) -> str:
    if evidence.criterion_code:
        return "minh-chung/tieu-chi-" + (re.sub(r"[^0-9A-Za-z.]+", "-", evidence.criterion_code).strip("-.") or "khac")
    if evidence.paper_key:
        return f"minh-chung/giay-to-{_slug(evidence.paper_key)}"
    return "minh-chung/chung"


def _evidence_order(dossier: Dossier, definition, sheet) -> list[DossierEvidence]:
    paper_order = {item.key: index for index, item in enumerate(definition.legal_papers if definition else ())}
    criterion_order = {leaf.code: index for index, leaf in enumerate(sheet.leaves())}

    def key(evidence: DossierEvidence):
        if evidence.paper_key:
            return (0, paper_order.get(evidence.paper_key, len(paper_order)), evidence.paper_key, evidence.pk)
        if evidence.criterion_code:
            return (1, criterion_order.get(evidence.criterion_code, len(criterion_order)), "", evidence.pk)
        return (2, 0, "", evidence.pk)

    return sorted(dossier.evidence.select_related("vault_document"), key=key)


def _temp_dir() -> str | None:
    directory = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    return str(directory) if directory else None


def build_dossier_zip(dossier: Dossier) -> tuple[IO[bytes], str]:
    """The e-dossier as a ZIP: ``(file object, download file name)``.

    The file object is an anonymous temporary file (``tempfile.TemporaryFile``), positioned at 0:
    give it to ``FileResponse``, which closes it after sending, and closing deletes it. Contents:

    * ``Mau-01.pdf``, ``Mau-02.pdf`` — rendered from the dossier now;
    * once forwarded: ``Mau-03.pdf``, ``Mau-03.docx``, ``Van-ban-de-nghi.pdf``,
      ``Van-ban-de-nghi.docx`` — the issued documents (issued now if not yet);
    * ``minh-chung/giay-to-<paper>/…``, ``minh-chung/tieu-chi-<code>/…``, ``minh-chung/chung/…`` —
      every evidence file (uploaded or from the vault) under its safe display name, de-duplicated;
    * ``manifest.json`` — the dossier and one entry per file (path, original name, target, size,
      SHA-256, source).
    """
    definition = form_definition(dossier.legal_basis.code)
    sheet = dossier.rubric.to_sheet()
    paper_labels = {item.key: item.label for item in (definition.legal_papers if definition else ())}
    entries: list[dict] = []
    unique = _UniqueNames()
    handle = tempfile.TemporaryFile(dir=_temp_dir())  # noqa: SIM115 (returned open; the response closes it)
    try:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name in ("mau01", "mau02"):
                path = unique("", f"{STEMS[name]}.pdf")
                size, digest = _write_bytes(archive, path, render_form_pdf(dossier, name))
                entries.append(_entry(path, path, "form", "generated", size, digest, document=name))
            if dossier.forwarded_at is not None:
                for document in issue_documents(dossier):
                    path = unique("", f"{STEMS[document.kind]}.{document.file_format}")
                    with document.file.storage.open(document.file.name, "rb") as source:
                        size, digest = _write_stream(archive, path, source, None)
                    entries.append(
                        _entry(path, document.file_name, "issued", "issued", size, digest, document=document.kind)
                    )
            for evidence in _evidence_order(dossier, definition, sheet):
                entries.append(_zip_evidence(archive, evidence, unique, sheet, paper_labels))
            manifest = _manifest(dossier, entries)
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    product = _slug(dossier.product.name) or f"san-pham-{dossier.product_id}"
    receipt = _slug(dossier.receipt_number, lower=False) or "ban-nhap"
    return handle, f"Ho-so-OCOP_{product}_{receipt}.zip"


def _entry(path, original_name, role, source, size, digest, **extra) -> dict:
    entry = {
        "path": path,
        "original_name": original_name,
        "role": role,
        "source": source,
        "size": size,
        "sha256": digest,
    }
    entry.update(extra)
    return entry


def _zip_evidence(archive, evidence: DossierEvidence, unique, sheet, paper_labels) -> dict:
    original = evidence.display_name or ""
    safe = sanitize_filename(original)
    target: dict = {}
    if evidence.criterion_code:
        try:
            title = sheet.leaf(evidence.criterion_code).title
        except ScoringError:
            title = ""
        target = {"criterion_code": evidence.criterion_code, "label": title}
    elif evidence.paper_key:
        target = {"paper_key": evidence.paper_key, "label": paper_labels.get(evidence.paper_key, evidence.paper_key)}
    extra = {
        **target,
        "evidence_id": evidence.pk,
        "note": evidence.note,
        "added_in_submission": evidence.added_in_submission,
    }
    if evidence.source == EvidenceSource.VAULT:
        extra["vault_document_id"] = evidence.vault_document_id
    stored = evidence.stored_file
    if not stored or not stored.name or not stored.storage.exists(stored.name):
        # Listed, so the gap is visible, but with no path: the file is no longer in the storage.
        return _entry(None, original, "evidence", evidence.source, None, None, missing=True, **extra)
    path = unique(_evidence_folder(evidence), safe)
    with stored.storage.open(stored.name, "rb") as source:
        size, digest = _write_stream(archive, path, source, evidence.file_size)
    if evidence.source == EvidenceSource.UPLOAD and evidence.sha256 and evidence.sha256 != digest:
        extra["recorded_sha256"] = evidence.sha256  # the stored file changed since upload: say so
    return _entry(path, original, "evidence", evidence.source, size, digest, **extra)


def _vietnam_time(moment: dt.datetime) -> str:
    """ISO 8601 in the time zone of the setting (``+07:00``), whatever zone a request activated."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def _manifest(dossier: Dossier, entries: list[dict]) -> dict:
    legal_basis = dossier.legal_basis
    product, producer = dossier.product, dossier.producer
    return {
        "format": MANIFEST_FORMAT,
        "format_version": MANIFEST_VERSION,
        "generated_at": _vietnam_time(timezone.now()),
        "dossier": {
            "id": dossier.pk,
            "receipt_number": dossier.receipt_number,
            "received_on": dossier.received_on.isoformat() if dossier.received_on else None,
            "kind": dossier.kind,
            "kind_label": KIND_LABELS.get(dossier.kind, dossier.kind),
            "year": dossier.year,
            "state": dossier.state,
            "submission_count": dossier.submission_count,
            "forwarded_at": _vietnam_time(dossier.forwarded_at) if dossier.forwarded_at else None,
        },
        "product": {"id": product.pk, "name": product.name, "code": product.code},
        "producer": {"id": producer.pk, "name": producer.name, "tax_code": producer.tax_code},
        "commune": {"code": dossier.commune.code, "name": dossier.commune.name},
        "province": {"code": dossier.province.code, "name": dossier.province.name},
        "legal_basis": {"code": legal_basis.code, "title": legal_basis.title},
        "sheet": {
            "number": dossier.rubric.sheet_number,
            "version": dossier.rubric.version,
            "title": dossier.rubric.title,
        },
        "self_assessment": {
            "total": str(dossier.self_total) if dossier.self_total is not None else None,
            "part_totals": dict(dossier.self_part_totals or {}),
            "star": dossier.self_star,
        },
        "files": entries,
    }


__all__ = [
    "DOCX_MIME",
    "PDF_MIME",
    "ZIP_MIME",
    "build_dossier_zip",
    "content_disposition",
    "file_name",
    "form_context",
    "issue_documents",
    "issued_document",
    "proposal_context",
    "render_form_pdf",
    "render_proposal_docx",
    "render_proposal_pdf",
    "render_report_docx",
    "render_report_pdf",
    "report_context",
    "upload_limits_for_display",
]
