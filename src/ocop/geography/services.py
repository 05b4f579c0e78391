"""Write services of the geography app: loading the official maps from maintained data packages.

The unit lists come from ``vietnam-provinces`` (current QĐ 19/2025 list, the legacy three-level list
and the official old → new conversion table); centroids and areas from ``vietnamadminunits``.
Nothing is typed by hand. Loading is idempotent: units are matched on (code set, level, code),
new ones are created in bulk and changed names are updated.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from ocop.core.services import log_action
from ocop.core.text import fold_vi
from ocop.geography.enums import CODE_WIDTH, DIVISION_TYPE_FROM_VI, DivisionType, UnitLevel
from ocop.geography.models import AdminCodeSet, AdminUnit, AdminUnitSuccession

REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_END = REFORM_DATE - dt.timedelta(days=1)
CURRENT_SET = "qd19-2025"
LEGACY_SET = "legacy-2004"
COUNTRY_CODE = "VN"
SUCCESSION_BASIS = "NQ 202/2025/QH15; Bảng chuyển đổi ĐVHC 2025"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    successions_created: int = 0
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return "already loaded from the same data version (use --force to reload)"
        return f"{self.created} units created, {self.updated} updated, {self.successions_created} successions created"


def _code(level: str, number: int) -> str:
    return str(number).zfill(CODE_WIDTH[level])


def _division(value) -> str:
    return DIVISION_TYPE_FROM_VI[str(value)]


def _centroids() -> dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal | None]]:
    """(set, level, code) → (lat, lon, area) from the vietnamadminunits SQLite dataset."""
    path = importlib.resources.files("vietnamadminunits") / "data" / "dataset.db"
    result: dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal | None]] = {}

    def dec(value, places="0.000001"):
        return None if value is None else Decimal(str(value)).quantize(Decimal(places))

    with importlib.resources.as_file(path) as db_path:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            for row in connection.execute(
                "SELECT provinceCode, provinceLat, provinceLon, wardCode, wardLat, wardLon, wardAreaKm2 "
                "FROM admin_units"
            ):
                p_code, p_lat, p_lon, w_code, w_lat, w_lon, w_area = row
                result[(CURRENT_SET, UnitLevel.PROVINCE, str(p_code).zfill(2))] = (dec(p_lat), dec(p_lon), None)
                result[(CURRENT_SET, UnitLevel.COMMUNE, str(w_code).zfill(5))] = (
                    dec(w_lat),
                    dec(w_lon),
                    dec(w_area, "0.01"),
                )
            for row in connection.execute(
                "SELECT provinceCode, provinceLat, provinceLon, districtCode, districtLat, districtLon, "
                "wardCode, wardLat, wardLon FROM admin_units_legacy"
            ):
                p_code, p_lat, p_lon, d_code, d_lat, d_lon, w_code, w_lat, w_lon = row
                result[(LEGACY_SET, UnitLevel.PROVINCE, str(p_code).zfill(2))] = (dec(p_lat), dec(p_lon), None)
                result[(LEGACY_SET, UnitLevel.DISTRICT, str(d_code).zfill(3))] = (dec(d_lat), dec(d_lon), None)
                result[(LEGACY_SET, UnitLevel.COMMUNE, str(w_code).zfill(5))] = (dec(w_lat), dec(w_lon), None)
        finally:
            connection.close()
    return result


class _UnitWriter:
    """Create or update units of one code set in bulk, remembering ids for parent links."""

    def __init__(self, code_set: AdminCodeSet, report: LoadReport, centroids):
        self.code_set = code_set
        self.report = report
        self.centroids = centroids
        self.existing = {
            (unit.level, unit.code): unit for unit in AdminUnit.objects.filter(code_set=code_set).order_by()
        }

    def write(self, rows: list[dict]) -> dict[tuple[str, str], AdminUnit]:
        to_create, to_update = [], []
        for row in rows:
            key = (row["level"], row["code"])
            lat, lon, area = self.centroids.get((self.code_set.slug, row["level"], row["code"]), (None, None, None))
            values = {
                **row,
                "name_folded": fold_vi(row["name"]),
                "valid_from": self.code_set.valid_from,
                "valid_to": self.code_set.valid_to,
                "latitude": lat,
                "longitude": lon,
                "area_km2": area,
            }
            unit = self.existing.get(key)
            if unit is not None and row["level"] == UnitLevel.PROVINCE:
                values["province"] = unit
            if unit is None:
                unit = AdminUnit(code_set=self.code_set, **values)
                to_create.append(unit)
                self.existing[key] = unit
            else:
                changed = False
                for field, value in values.items():
                    current = getattr(unit, field + "_id") if field in ("parent", "province") else getattr(unit, field)
                    target = value.pk if isinstance(value, AdminUnit) else value
                    if current != target:
                        setattr(unit, field, value)
                        changed = True
                if changed:
                    to_update.append(unit)
        AdminUnit.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            AdminUnit.objects.bulk_update(
                to_update,
                [
                    "name",
                    "division_type",
                    "codename",
                    "parent",
                    "province",
                    "name_folded",
                    "valid_from",
                    "valid_to",
                    "latitude",
                    "longitude",
                    "area_km2",
                ],
                batch_size=500,
            )
        self.report.created += len(to_create)
        self.report.updated += len(to_update)
        return self.existing

    def fix_province_self_links(self) -> None:
        """A province's ``province`` is itself; set after the ids exist."""
        provinces = [u for (level, _), u in self.existing.items() if level == UnitLevel.PROVINCE]
        stale = [u for u in provinces if u.province_id != u.pk]
        for unit in stale:
            unit.province = unit
        AdminUnit.objects.bulk_update(stale, ["province"], batch_size=500)


def _ensure_code_sets() -> tuple[AdminCodeSet, AdminCodeSet]:
    current, _ = AdminCodeSet.objects.update_or_create(
        slug=CURRENT_SET,
        defaults={
            "name": "Danh mục ĐVHC theo QĐ 19/2025/QĐ-TTg (34 tỉnh, thành phố)",
            "legal_basis": "QĐ 19/2025/QĐ-TTg; NQ 202/2025/QH15",
            "valid_from": REFORM_DATE,
            "valid_to": None,
            "source": _source_labels()[CURRENT_SET],
        },
    )
    legacy, _ = AdminCodeSet.objects.update_or_create(
        slug=LEGACY_SET,
        defaults={
            "name": "Danh mục ĐVHC trước sắp xếp 2025 (63 tỉnh, thành phố; cấp huyện)",
            "legal_basis": "QĐ 124/2004/QĐ-TTg (và các văn bản sửa đổi)",
            "valid_from": None,
            "valid_to": LEGACY_END,
            "source": _source_labels()[LEGACY_SET],
        },
    )
    return current, legacy


def _source_labels() -> dict[str, str]:
    import vietnam_provinces  # noqa: PLC0415 - large package, imported only when loading

    version = f"vietnam-provinces {vietnam_provinces.__version__}"
    return {
        CURRENT_SET: f"{version} (data {vietnam_provinces.__data_version__})",
        LEGACY_SET: f"{version} (legacy)",
    }


def _already_loaded() -> bool:
    labels = _source_labels()
    loaded = {
        code_set.slug: code_set.source
        for code_set in AdminCodeSet.objects.filter(slug__in=labels).exclude(units=None).distinct()
    }
    return loaded == labels and AdminUnitSuccession.objects.exists()


@transaction.atomic
def load_admin_units(*, force: bool = False) -> LoadReport:
    """Load (or refresh) both maps and the old → new succession links. Idempotent.

    Without ``force`` nothing is read when both code sets were already loaded from the installed
    data version (this keeps ``make run`` fast); a new package version reloads and updates.

    Side effects: bulk writes (not audited row by row); one ``geography.codeset.load`` activity
    event per code set with the counts.
    """
    from vietnam_provinces import Province, Ward  # noqa: PLC0415 - large data modules
    from vietnam_provinces import _province_conversion_2025 as province_map  # noqa: PLC0415 - large data modules
    from vietnam_provinces import _ward_conversion_2025 as ward_map  # noqa: PLC0415 - large data modules
    from vietnam_provinces.legacy import District as LegacyDistrict  # noqa: PLC0415 - large data modules
    from vietnam_provinces.legacy import Province as LegacyProvince  # noqa: PLC0415 - large data modules
    from vietnam_provinces.legacy import Ward as LegacyWard  # noqa: PLC0415 - large data modules

    if not force and _already_loaded():
        return LoadReport(skipped=True)
    report = LoadReport()
    centroids = _centroids()
    current_set, legacy_set = _ensure_code_sets()

    # Current map -----------------------------------------------------------------------------
    writer = _UnitWriter(current_set, report, centroids)
    units = writer.write(
        [
            {
                "level": UnitLevel.COUNTRY,
                "code": COUNTRY_CODE,
                "name": "Việt Nam",
                "division_type": DivisionType.COUNTRY,
                "codename": "viet_nam",
                "parent": None,
                "province": None,
            }
        ]
    )
    country = units[(UnitLevel.COUNTRY, COUNTRY_CODE)]
    units = writer.write(
        [
            {
                "level": UnitLevel.PROVINCE,
                "code": _code(UnitLevel.PROVINCE, p.code.value),
                "name": p.name,
                "division_type": _division(p.division_type),
                "codename": p.codename,
                "parent": country,
                "province": None,
            }
            for p in Province.iter_all()
        ]
    )
    writer.fix_province_self_links()
    units = writer.write(
        [
            {
                "level": UnitLevel.COMMUNE,
                "code": _code(UnitLevel.COMMUNE, w.code.value),
                "name": w.name,
                "division_type": _division(w.division_type),
                "codename": w.codename,
                "parent": units[(UnitLevel.PROVINCE, _code(UnitLevel.PROVINCE, w.province_code.value))],
                "province": units[(UnitLevel.PROVINCE, _code(UnitLevel.PROVINCE, w.province_code.value))],
            }
            for w in Ward.iter_all()
        ]
    )
    current_units = dict(units)

    # Legacy map ------------------------------------------------------------------------------
    legacy_writer = _UnitWriter(legacy_set, report, centroids)
    legacy = legacy_writer.write(
        [
            {
                "level": UnitLevel.PROVINCE,
                "code": _code(UnitLevel.PROVINCE, p.code.value),
                "name": p.name,
                "division_type": _division(p.division_type),
                "codename": p.codename,
                "parent": country,
                "province": None,
            }
            for p in LegacyProvince.iter_all()
        ]
    )
    legacy_writer.fix_province_self_links()

    def legacy_province(code: int) -> AdminUnit:
        return legacy[(UnitLevel.PROVINCE, _code(UnitLevel.PROVINCE, code))]

    legacy = legacy_writer.write(
        [
            {
                "level": UnitLevel.DISTRICT,
                "code": _code(UnitLevel.DISTRICT, d.code.value),
                "name": d.name,
                "division_type": _division(d.division_type),
                "codename": d.codename,
                "parent": legacy_province(d.province_code.value),
                "province": legacy_province(d.province_code.value),
            }
            for d in LegacyDistrict.iter_all()
        ]
    )
    district_province = {d.code.value: d.province_code.value for d in LegacyDistrict.iter_all()}
    legacy = legacy_writer.write(
        [
            {
                "level": UnitLevel.COMMUNE,
                "code": _code(UnitLevel.COMMUNE, w.code.value),
                "name": w.name,
                "division_type": _division(w.division_type),
                "codename": w.codename,
                "parent": legacy[(UnitLevel.DISTRICT, _code(UnitLevel.DISTRICT, w.district_code.value))],
                "province": legacy_province(district_province[w.district_code.value]),
            }
            for w in LegacyWard.iter_all()
        ]
    )

    # Successions -----------------------------------------------------------------------------
    links: dict[tuple[int, int], bool] = {}
    effective_on = dt.date.fromisoformat(str(province_map.EFFECTIVE_DATE))
    for old_code, entry in province_map.OLD_TO_NEW.items():
        old = legacy[(UnitLevel.PROVINCE, _code(UnitLevel.PROVINCE, old_code))]
        for new_ref in entry.new_provinces:
            new = current_units[(UnitLevel.PROVINCE, _code(UnitLevel.PROVINCE, new_ref.code))]
            links[(old.pk, new.pk)] = len(entry.new_provinces) > 1
    district_targets: dict[int, set[int]] = defaultdict(set)
    for old_code, entry in ward_map.OLD_TO_NEW.items():
        old = legacy.get((UnitLevel.COMMUNE, _code(UnitLevel.COMMUNE, old_code)))
        if old is None:
            continue
        for new_ref in entry.new_wards:
            new = current_units.get((UnitLevel.COMMUNE, _code(UnitLevel.COMMUNE, new_ref.code)))
            if new is None:
                continue
            links[(old.pk, new.pk)] = entry.old_ward.is_partly_merged or len(entry.new_wards) > 1
            district_targets[old.parent_id].add(new.pk)
    for district_id, targets in district_targets.items():
        for target in targets:
            links[(district_id, target)] = len(targets) > 1

    existing_links = set(AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    new_links = [
        AdminUnitSuccession(
            predecessor_id=old_id,
            successor_id=new_id,
            effective_on=effective_on,
            is_partial=partial,
            basis=SUCCESSION_BASIS,
        )
        for (old_id, new_id), partial in links.items()
        if (old_id, new_id) not in existing_links
    ]
    AdminUnitSuccession.objects.bulk_create(new_links, batch_size=1000)
    report.successions_created = len(new_links)

    if report.created or report.updated or report.successions_created:
        for code_set in (current_set, legacy_set):
            log_action(
                code_set,
                "geography.codeset.load",
                data={
                    "units": code_set.units.count(),
                    "created": report.created,
                    "updated": report.updated,
                    "successions_created": report.successions_created,
                },
            )
    return report
