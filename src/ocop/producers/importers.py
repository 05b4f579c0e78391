"""Spreadsheet import of producers (nhập danh sách chủ thể từ Excel), run by ``ocop.imports``.

Each row is checked exactly as the producer form checks it (``services.build_producer``), plus:
the commune must be on today's map and inside the importing user's scope, and a tax code or
registration number may appear only once in the file.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import capabilities_for_unit
from ocop.core.exceptions import ApplicationError
from ocop.core.importing import CellError, Importer, RowErrors, messages_of, parse_enum
from ocop.core.spreadsheets import Column, as_text, parse_date, parse_int
from ocop.core.text import fold_vi
from ocop.geography.selectors import CurrentUnitIndex
from ocop.producers.enums import Gender, LegalForm
from ocop.producers.selectors import ethnicity_index
from ocop.producers.services import EDITABLE_FIELDS, build_producer, save_new_producer
from ocop.producers.sizing import EconomicSector
from ocop.producers.validators import (
    normalize_tax_code,
    validate_labour,
    validate_phone,
    validate_registration_number,
    validate_tax_code,
)

# Model field → spreadsheet column; the rest of the row is location and lookups.
_FIELD_COLUMNS = {
    "tax_code": "tax_code",
    "registration_number": "registration_number",
    "address": "address",
    "representative_name": "representative_name",
    "phone": "phone",
    "email": "email",
    "established_on": "established_on",
    "labour_total": "labour_total",
    "labour_local": "labour_local",
    "labour_insured": "labour_insured",
    "member_count": "member_count",
}


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for _, label in choices)


class ProducerImporter(Importer):
    kind = "producers"
    title = _("Producers")

    def __init__(self, actor):
        super().__init__(actor)
        self.units = CurrentUnitIndex()
        self.ethnicities = ethnicity_index()
        self._scope_cache: dict[int, bool] = {}

    @property
    def columns(self) -> list[Column]:
        return [
            Column("name", "Tên chủ thể", required=True, example="HTX Nông nghiệp Bố Hạ", width=36),
            Column(
                "legal_form",
                "Loại hình",
                required=True,
                choices=_labels(LegalForm.choices),
                example=str(LegalForm.COOPERATIVE.label),
                width=30,
            ),
            Column(
                "tax_code",
                "Mã số thuế",
                help="10 chữ số, 13 chữ số (chi nhánh) hoặc số định danh 12 chữ số",
                example="0100109106",
            ),
            Column("registration_number", "Số đăng ký kinh doanh", example="2401234567"),
            Column("province", "Tỉnh/thành phố", required=True, help="Tên hoặc mã theo QĐ 19/2025", example="Bắc Ninh"),
            Column(
                "commune", "Xã/phường", required=True, help="Tên hoặc mã 5 chữ số theo QĐ 19/2025", example="Xã Bố Hạ"
            ),
            Column("address", "Địa chỉ (thôn, số nhà)", example="Thôn Hạ", width=30),
            Column("representative_name", "Người đại diện", example="Nguyễn Văn An", width=24),
            Column("representative_gender", "Giới tính người đại diện", choices=_labels(Gender.choices), example="Nam"),
            Column("representative_ethnicity", "Dân tộc người đại diện", example="Kinh"),
            Column("phone", "Điện thoại", example="0912345678"),
            Column("email", "Email", example="htx.boha@example.vn", width=26),
            Column(
                "main_sector",
                "Ngành kinh doanh chính",
                choices=_labels(EconomicSector.choices),
                help="Dùng để xác định quy mô doanh nghiệp (NĐ 80/2021)",
                width=30,
            ),
            Column("established_on", "Ngày thành lập", kind="date", example="15/03/2018"),
            Column("labour_total", "Tổng số lao động", kind="int", example="25"),
            Column("labour_local", "Lao động địa phương", kind="int", example="20"),
            Column("labour_insured", "Lao động tham gia BHXH", kind="int", example="8"),
            Column("member_count", "Số thành viên (HTX)", kind="int", example="12"),
        ]

    @property
    def instructions(self) -> list[str]:
        return [
            gettext("One producer per row, from the second row of the “Dữ liệu” sheet."),
            gettext("Columns marked * are required; keep the header row as it is."),
            gettext("Province and commune follow today's map (QĐ 19/2025): a name or an official code."),
            gettext("A tax code or registration number already in the system is refused, so nothing is duplicated."),
            gettext("The file is checked first; nothing is saved until you confirm the import."),
        ]

    # ---------------------------------------------------------------------------------------------
    def _in_scope(self, commune) -> bool:
        if commune.pk not in self._scope_cache:
            caps = capabilities_for_unit(self.actor, commune) if self.actor else frozenset()
            self._scope_cache[commune.pk] = Capability.MANAGE_REGISTRY in caps
        return self._scope_cache[commune.pk]

    def clean_row(self, values: dict) -> dict:
        errors: dict[str, str] = {}
        fields: dict[str, object] = {}

        def attempt(column: str, parse):
            try:
                return parse(values.get(column))
            except ValidationError as exc:
                errors[column] = messages_of(exc)
                return None

        name = as_text(values.get("name"))
        if not name:
            errors["name"] = gettext("The producer's name is required.")
        legal_form = attempt("legal_form", lambda v: parse_enum(v, LegalForm))
        if legal_form is None and "legal_form" not in errors:
            errors["legal_form"] = gettext("The legal form is required.")
        gender = attempt("representative_gender", lambda v: parse_enum(v, Gender))
        sector = attempt("main_sector", lambda v: parse_enum(v, EconomicSector))
        established_on = attempt("established_on", parse_date)
        numbers = {
            key: attempt(key, lambda v: parse_int(v, min_value=0))
            for key in ("labour_total", "labour_local", "labour_insured", "member_count")
        }

        commune = None
        province_text = as_text(values.get("province"))
        commune_text = as_text(values.get("commune"))
        province = self.units.province(province_text) if province_text else None
        if not province_text:
            errors["province"] = gettext("The province is required.")
        elif province is None:
            errors["province"] = gettext("“%(value)s” is not a province on today's map.") % {"value": province_text}
        if not commune_text:
            errors["commune"] = gettext("The commune is required.")
        elif province is not None:
            matches = self.units.communes_named(province, commune_text)
            if not matches:
                errors["commune"] = gettext("“%(commune)s” is not a commune of %(province)s on today's map.") % {
                    "commune": commune_text,
                    "province": province.name,
                }
                suggestions = self.units.suggest(province, commune_text)
                if suggestions:
                    errors["commune"] += " " + gettext("Did you mean: %(names)s?") % {
                        "names": ", ".join(unit.name for unit in suggestions)
                    }
            elif len(matches) > 1:
                errors["commune"] = gettext("“%(commune)s” matches several units (%(names)s); write the full name.") % {
                    "commune": commune_text,
                    "names": ", ".join(unit.name for unit in matches),
                }
            else:
                commune = matches[0]
                if not self._in_scope(commune):
                    errors["commune"] = gettext("You may not add producers in %(commune)s.") % {"commune": commune.name}

        try:
            validate_labour(
                numbers["labour_total"],
                numbers["labour_local"],
                numbers["labour_insured"],
                field_names=("labour_total", "labour_local", "labour_insured"),
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                errors.setdefault(column, " ".join(messages))

        # Identifier checks up front, so a row lists all its problems at once.
        for column, check in (
            ("tax_code", lambda text: validate_tax_code(normalize_tax_code(text))),
            ("registration_number", validate_registration_number),
            ("phone", validate_phone),
            ("email", validate_email),
        ):
            text = as_text(values.get(column))
            if text and column not in errors:
                try:
                    check(text)
                except ValidationError as exc:
                    errors[column] = messages_of(exc)

        ethnicity_text = as_text(values.get("representative_ethnicity"))
        ethnicity = None
        if ethnicity_text:
            ethnicity = self.ethnicities.get(" ".join(ethnicity_text.casefold().split())) or self.ethnicities.get(
                fold_vi(ethnicity_text)
            )
            if ethnicity is None:
                errors["representative_ethnicity"] = gettext(
                    "“%(value)s” is not one of the 54 ethnic groups of Vietnam."
                ) % {"value": ethnicity_text}

        if errors:
            raise RowErrors(errors)

        for field, column in _FIELD_COLUMNS.items():
            if column in values and field not in fields:
                fields[field] = as_text(values.get(column))
        fields.update({key: value for key, value in numbers.items() if key in values})
        fields["established_on"] = established_on
        fields["representative_gender"] = gender or ""
        fields["representative_ethnicity"] = ethnicity
        fields["main_sector"] = sector or ""
        fields = {key: value for key, value in fields.items() if key in EDITABLE_FIELDS}
        try:
            producer = build_producer(name=name, legal_form=legal_form, address_unit=commune, **fields)
        except ValidationError as exc:
            raise RowErrors(_row_errors(exc)) from exc
        except ApplicationError as exc:
            raise RowErrors({"commune": exc.message}) from exc
        return {"producer": producer}

    def check_rows(self, rows: list[tuple[int, dict]]) -> list[CellError]:
        problems: list[CellError] = []
        for field, column in (("tax_code", "tax_code"), ("registration_number", "registration_number")):
            seen: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for number, clean in rows:
                value = getattr(clean["producer"], field)
                if value:
                    seen[value.casefold()].append((number, value))
            for found in seen.values():
                if len(found) > 1:
                    for number, value in found:
                        others = ", ".join(str(n) for n, _value in found if n != number)
                        problems.append(
                            CellError(
                                number,
                                column,
                                value,  # as stored, not case-folded
                                gettext("The same value is also on row(s) %(rows)s of this file.") % {"rows": others},
                            )
                        )
        return problems

    def write_rows(self, rows, progress) -> int:
        for index, (_row, clean) in enumerate(rows, start=1):
            save_new_producer(clean["producer"], actor=self.actor, source="import")
            if index % 100 == 0:
                progress(index)
        return len(rows)


_COLUMN_FOR_FIELD = {
    "name": "name",
    "legal_form": "legal_form",
    "address_unit": "commune",
    "representative_gender": "representative_gender",
    "representative_ethnicity": "representative_ethnicity",
    "main_sector": "main_sector",
}


def _row_errors(error: ValidationError) -> dict[str, str]:
    if not hasattr(error, "error_dict"):
        return {"name": messages_of(error)}
    result: dict[str, str] = {}
    for field, errors in error.error_dict.items():
        column = _COLUMN_FOR_FIELD.get(field, _FIELD_COLUMNS.get(field, "name"))
        text = " ".join(message for err in errors for message in err.messages)
        result[column] = f"{result[column]} {text}".strip() if column in result else text
    return result
