"""The printable criteria sheet (bộ tiêu chí kiêm phiếu đánh giá) as PDF.

:func:`render_blank_sheet_pdf` lays out one rubric version like the official form of Annex II:
title block, header fields (blank dotted lines, or pre-filled from a product), the "Hồ sơ bị loại
khi…" line, the criteria table (criterion, points, a cell to write the score in) and the footer
(legend of the star markers, evaluator's comments, place and date, signature).

The page is rendered by WeasyPrint from ``evaluation/sheet_pdf.html``. Nothing is fetched over the
network: the template links no external resource and the URL fetcher refuses every URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from ocop.core.templatetags.ocop import unit_path
from ocop.evaluation.engine import Node, Sheet, format_points

CASE_LETTERS = "abcdefgh"
BLOCK_STARTS = {"part", "heading", "criterion", "closing-note"}


@dataclass(frozen=True)
class Row:
    """One row of the criteria table.

    ``kind``: part | heading (a group or criterion with children) | criterion (a leaf) | note
    (requirement, note, condition, knock-out note; italic) | closing-note (a group's note printed
    after its criteria) | choose (the "choose one case" line) | case (a case sub-heading) | option |
    binary.
    """

    kind: str
    text: str = ""
    points: str = ""
    stars: str = ""
    level: int = 0


def _node_knockouts(sheet: Sheet) -> dict[str, list[str]]:
    """Criterion code → the texts of its own knock-outs (requirements are printed as "Yêu cầu")."""
    result: dict[str, list[str]] = {}
    for knockout in sheet.knockouts:
        if knockout.criterion and knockout.kind != "requirement" and knockout.text:
            result.setdefault(knockout.criterion, []).append(knockout.text)
    return result


def _node_rows(node: Node, level: int, knockouts: dict[str, list[str]]) -> list[Row]:
    rows: list[Row] = []
    if node.kind == "part":
        rows.append(Row("part", f"Phần {node.code}: {node.title}", format_points(node.max_points)))
    else:
        rows.append(
            Row(
                "criterion" if node.is_leaf else "heading",
                f"{node.code}. {node.title}",
                format_points(node.max_points),
                level=level,
            )
        )
    notes = []
    if node.requirement:
        notes.append(f"Yêu cầu: {node.requirement}")
    if node.applies_if_text:
        notes.append(f"({node.applies_if_text})")
    notes.extend(node.notes)
    own_knockouts = knockouts.get(node.code, [])
    if node.is_leaf:
        notes.extend(own_knockouts)  # a gate on a criterion comes before its options
    rows.extend(Row("note", text, level=level) for text in notes)
    if node.is_leaf and node.kind != "part":
        rows.extend(_option_rows(node, level))
    for child in node.children:
        rows.extend(_node_rows(child, level + 1, knockouts))
    if not node.is_leaf:
        # "Nếu được 0 điểm tại một trong các chỉ tiêu trên…": a group's note follows its criteria.
        rows.extend(Row("closing-note", text, level=level) for text in own_knockouts)
    return rows


def _option_rows(node: Node, level: int) -> list[Row]:
    if node.binary:
        return [Row("binary", points=f"{format_points(node.max_points)} / 0", level=level)]
    rows: list[Row] = []
    cases = sorted({option.case for option in node.options if option.case})
    if len(cases) > 1:
        rows.append(Row("choose", "Lựa chọn một trong các trường hợp sau:", level=level))
    current_case = None
    for option in node.options:
        if option.case and option.case != current_case:
            current_case = option.case
            letter = CASE_LETTERS[cases.index(option.case)] if option.case in cases else ""
            label = node.case_labels.get(option.case, "")
            text = f"{letter}. Trường hợp {option.case}" + (f": {label}" if label else "")
            rows.append(Row("case", text, level=level))
        rows.append(
            Row(
                "option",
                option.label,
                format_points(option.points),
                stars="*" * option.min_star if option.min_star else "",
                level=level,
            )
        )
    return rows


def sheet_rows(sheet: Sheet) -> list[Row]:
    """The criteria table of a sheet, row by row, in the order of the official form."""
    knockouts = _node_knockouts(sheet)
    rows: list[Row] = []
    for part in sheet.parts:
        rows.extend(_node_rows(part, 0, knockouts))
    return rows


def sheet_blocks(rows: list[Row]) -> list[list[Row]]:
    """Rows grouped so that a page never breaks inside a criterion (its notes and options).

    A block starts at every part, heading, criterion and closing note; the template prints each
    block as a ``<tbody>`` that may not be split.
    """
    blocks: list[list[Row]] = []
    for row in rows:
        if not blocks or row.kind in BLOCK_STARTS:
            blocks.append([])
        blocks[-1].append(row)
    return blocks


def _decision_line(legal_basis) -> str:
    """``(Ban hành kèm theo Quyết định số 26/2026/QĐ-TTg ngày 22 tháng 5 năm 2026 của Thủ tướng Chính phủ)``."""
    code = legal_basis.code
    document = f"Quyết định số {code}" if "QĐ" in code else (legal_basis.short_name or code)
    signed = legal_basis.signed_on
    if signed:
        # Day below 10 and months 1–2 take a leading zero (Nghị định 30/2020/NĐ-CP, Phụ lục I).
        month = f"{signed.month:02d}" if signed.month <= 2 else str(signed.month)
        document += f" ngày {signed.day:02d} tháng {month} năm {signed.year}"
    if code.endswith("QĐ-TTg"):
        document += " của Thủ tướng Chính phủ"
    return f"(Ban hành kèm theo {document})"


def _product_fields(product) -> dict[str, str]:
    if product is None:
        return {}
    producer = product.producer
    address = ", ".join(part for part in (producer.address, unit_path(producer.address_unit)) if part)
    return {
        "product_name": product.name,
        "product_code": product.code,
        "producer_name": producer.name,
        "producer_phone": producer.phone,
        "producer_address": address,
    }


def sheet_context(version, *, product=None) -> dict:
    """Everything the template needs; kept apart from the rendering so it can be tested cheaply."""
    sheet = version.to_sheet()
    legal_basis = version.legal_basis
    return {
        "version": version,
        "sheet": sheet,
        "title": version.title,
        "sheet_number": version.sheet_number,
        "classification": version.classification,
        "decision_line": _decision_line(legal_basis),
        "reference": f"{legal_basis.short_name or legal_basis.code} · Bộ tiêu chí số {version.sheet_number}"
        f" · phiên bản {version.version}",
        "dossier_knockouts": [knockout.text for knockout in sheet.knockouts if knockout.kind == "dossier"],
        "blocks": sheet_blocks(sheet_rows(sheet)),
        "total": format_points(sheet.max_total),
        "product": product,
        "fields": _product_fields(product),
    }


def _no_fetching() -> URLFetcher:
    """The sheet needs no external resource: a fetcher that allows no protocol at all."""
    return URLFetcher(allowed_protocols=())


def render_blank_sheet_pdf(version, *, product=None) -> bytes:
    """The criteria sheet of ``version`` (a RubricVersion) as an A4 PDF ready to print.

    With ``product`` the header (product name and code, producer name, phone and address) is
    pre-filled; otherwise it has dotted lines to fill in by hand. The score cells stay empty.
    """
    html = render_to_string("evaluation/sheet_pdf.html", sheet_context(version, product=product))
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetching())
    return document.write_pdf()
