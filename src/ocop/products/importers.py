"""Spreadsheet import of products (nhập danh sách sản phẩm từ Excel), run by ``ocop.imports``.

The producer is found by tax code (or by exact name) among the producers the user may edit;
the product set is looked up under the legal basis named on the row (26/2026 by default), so a
set that does not exist under that basis is refused. Codes (current or legacy) are kept as
given and parsed; an optional star ranking is recorded as a legacy decision.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import Capability
from ocop.core.importing import CellError, Importer, RowErrors, messages_of
from ocop.core.spreadsheets import Column, as_text, parse_date, parse_decimal, parse_int
from ocop.core.text import fold_vi
from ocop.legal.selectors import criteria_legal_bases
from ocop.producers.selectors import producers_for_user
from ocop.producers.validators import normalize_tax_code
from ocop.products.enums import StarSource
from ocop.products.selectors import assignable_categories
from ocop.products.services import build_product, classify_product, record_star, save_new_product

DEFAULT_BASIS = "26/2026/QĐ-TTg"
_TEXT_FIELDS = ("description", "packaging", "shelf_life", "quality_standard")


class ProductImporter(Importer):
    kind = "products"
    title = _("Products")

    def __init__(self, actor):
        super().__init__(actor)
        producers = list(producers_for_user(actor, capability=Capability.MANAGE_REGISTRY)) if actor else []
        self.by_tax_code = {p.tax_code: p for p in producers if p.tax_code}
        self.by_name: dict[str, list] = defaultdict(list)
        for producer in producers:
            self.by_name[producer.name_folded].append(producer)
        self.bases = {basis.code: basis for basis in criteria_legal_bases()}
        self.bases_folded = {fold_vi(code): basis for code, basis in self.bases.items()}
        for basis in self.bases.values():
            self.bases_folded.setdefault(fold_vi(basis.short_name), basis)
        self.categories: dict[int, dict[str, object]] = defaultdict(dict)
        for category in assignable_categories():
            index = self.categories[category.legal_basis_id]
            index[category.name_folded] = category
            index[fold_vi(category.code)] = category
            if category.sheet_number:
                index[str(category.sheet_number)] = category

    @property
    def columns(self) -> list[Column]:
        return [
            Column("name", "Tên sản phẩm", required=True, example="Vải thiều Bố Hạ", width=32),
            Column(
                "producer_tax_code",
                "Mã số thuế chủ thể",
                help="Chủ thể phải có sẵn trong hệ thống",
                example="2400123456",
            ),
            Column("producer_name", "Tên chủ thể", help="Dùng khi chủ thể chưa có mã số thuế", width=32),
            Column(
                "legal_basis",
                "Căn cứ phân loại",
                help="Để trống: 26/2026/QĐ-TTg",
                choices=tuple(self.bases),
                example=DEFAULT_BASIS,
            ),
            Column(
                "category",
                "Bộ sản phẩm",
                required=True,
                help="Số thứ tự bộ tiêu chí (1–26) hoặc tên bộ sản phẩm",
                example="1",
                width=30,
            ),
            Column(
                "code",
                "Mã sản phẩm",
                help="T-X-STT-Năm hoặc mã cũ có mã huyện; để trống nếu chưa có",
                example="24-07294-1-2026",
            ),
            Column("description", "Mô tả", width=40),
            Column("packaging", "Quy cách đóng gói"),
            Column("shelf_life", "Hạn sử dụng"),
            Column("quality_standard", "Tiêu chuẩn chất lượng áp dụng"),
            Column("stars", "Hạng sao đã công nhận", kind="int", help="3, 4 hoặc 5 nếu đã được công nhận"),
            Column("score", "Điểm", kind="decimal"),
            Column("recognised_on", "Ngày công nhận", kind="date"),
            Column("valid_until", "Hiệu lực đến", kind="date"),
            Column("decision_number", "Số quyết định công nhận"),
        ]

    @property
    def instructions(self) -> list[str]:
        return [
            gettext("One product per row, from the second row of the “Dữ liệu” sheet."),
            gettext("The producer must already be registered and within your area: give its tax code or exact name."),
            gettext("The product set is looked up under the legal basis of the row (26/2026/QĐ-TTg when empty)."),
            gettext("Fill the star columns only for products already recognised by a decision."),
            gettext("The file is checked first; nothing is saved until you confirm the import."),
        ]

    def _producer(self, values: dict, errors: dict[str, str]):
        tax_code = normalize_tax_code(as_text(values.get("producer_tax_code")))  # stored normalised
        name = as_text(values.get("producer_name"))
        if tax_code:
            producer = self.by_tax_code.get(tax_code)
            if producer is None:
                errors["producer_tax_code"] = gettext("No producer with this tax code is registered in your area.")
            return producer
        if name:
            matches = self.by_name.get(fold_vi(name), [])
            if len(matches) == 1:
                return matches[0]
            errors["producer_name"] = (
                gettext("Several producers have this name; give the tax code.")
                if matches
                else gettext("No producer with this name is registered in your area.")
            )
            return None
        errors["producer_tax_code"] = gettext("Give the producer's tax code or name.")
        return None

    def clean_row(self, values: dict) -> dict:
        errors: dict[str, str] = {}

        def attempt(column: str, parse):
            try:
                return parse(values.get(column))
            except ValidationError as exc:
                errors[column] = messages_of(exc)
                return None

        name = as_text(values.get("name"))
        if not name:
            errors["name"] = gettext("The product name is required.")
        producer = self._producer(values, errors)
        basis_text = as_text(values.get("legal_basis")) or DEFAULT_BASIS
        basis = self.bases.get(basis_text) or self.bases_folded.get(fold_vi(basis_text))
        if basis is None:
            errors["legal_basis"] = gettext("“%(value)s” is not a known legal basis (e.g. %(example)s).") % {
                "value": basis_text,
                "example": DEFAULT_BASIS,
            }
        category_text = as_text(values.get("category"))
        category = None
        if not category_text:
            errors["category"] = gettext("The product set is required.")
        elif basis is not None:
            category = self.categories[basis.pk].get(fold_vi(category_text))
            if category is None:
                errors["category"] = gettext("“%(value)s” is not a product set under %(basis)s.") % {
                    "value": category_text,
                    "basis": basis,
                }
        stars = attempt("stars", lambda v: parse_int(v, min_value=1))
        score = attempt("score", parse_decimal)
        recognised_on = attempt("recognised_on", parse_date)
        valid_until = attempt("valid_until", parse_date)
        if stars is not None and stars > 5:
            errors["stars"] = gettext("Stars must be between 1 and 5.")
        if stars is not None and recognised_on is None and "recognised_on" not in errors:
            errors["recognised_on"] = gettext("Give the recognition date of the star ranking.")
        # The star record's own rules, checked here so that the dry run finds them (not the write).
        if stars is not None and recognised_on and valid_until and valid_until <= recognised_on:
            errors.setdefault("valid_until", gettext("The expiry date must be after the recognition date."))
        if stars is not None and score is not None and not 0 <= score <= 100:
            errors.setdefault("score", gettext("The score must be between 0 and 100."))
        if errors:
            raise RowErrors(errors)
        fields = {field: as_text(values.get(field)) for field in _TEXT_FIELDS if field in values}
        try:
            product = build_product(producer=producer, name=name, code=as_text(values.get("code")), **fields)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {}
                for field, messages in exc.message_dict.items():
                    column = "code" if field == "code" else "name"
                    errors[column] = f"{errors.get(column, '')} {' '.join(messages)}".strip()
                raise RowErrors(errors) from exc
            raise RowErrors({"name": messages_of(exc)}) from exc
        star = None
        if stars is not None:
            star = {
                "stars": stars,
                "score": score,
                "recognised_on": recognised_on,
                "valid_until": valid_until,
                "decision_number": as_text(values.get("decision_number")),
                "legal_basis": basis,
            }
        return {"product": product, "category": category, "star": star}

    def check_rows(self, rows: list[tuple[int, dict]]) -> list[CellError]:
        seen: dict[str, list[int]] = defaultdict(list)
        for number, clean in rows:
            if clean["product"].code:
                seen[clean["product"].code].append(number)
        problems = []
        for code, numbers in seen.items():
            if len(numbers) > 1:
                for number in numbers:
                    others = ", ".join(str(n) for n in numbers if n != number)
                    problems.append(
                        CellError(
                            number,
                            "code",
                            code,
                            gettext("The same value is also on row(s) %(rows)s of this file.") % {"rows": others},
                        )
                    )
        return problems

    def write_rows(self, rows, progress) -> int:
        for index, (_row, clean) in enumerate(rows, start=1):
            product = save_new_product(clean["product"], actor=self.actor, source="import")
            classify_product(product, category=clean["category"], actor=self.actor)
            if clean["star"]:
                record_star(product, source=StarSource.IMPORT, actor=self.actor, **clean["star"])
            if index % 100 == 0:
                progress(index)
        return len(rows)
