"""The demo data set, built from the seed localities (Hồng Lĩnh/Hà Tĩnh; Đắk Lắk; Sơn Hà/Quảng Ngãi;
Yên Thế/Bắc Giang — now Bắc Ninh; Hòa Vang/Đà Nẵng). Idempotent: records are matched by name or
username. Later modules add to it.

Units are looked up by (level, official code, date), never by name, so the set follows the loaded
maps. Two records are deliberately dated before the 2025 reform, on the legacy map, to show how an
old record keeps its original unit and rolls up to today's.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from ocop.accounts.models import Membership, User
from ocop.accounts.selectors import get_role
from ocop.accounts.services import grant_membership
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import get_country, resolve_unit
from ocop.legal.models import LegalBasis
from ocop.producers.models import DocumentType, Ethnicity, Producer
from ocop.producers.services import add_document, create_producer, record_financial_year
from ocop.products.models import Product, ProductCategory
from ocop.products.services import classify_product, create_product, record_star

LEGACY_DAY = dt.date(2022, 6, 1)
CURRENT_DAY = dt.date(2025, 7, 1)


def _unit(level: str, code: str, *, legacy: bool = False) -> AdminUnit:
    unit = resolve_unit(level, code, on_date=LEGACY_DAY if legacy else CURRENT_DAY)
    if unit is None:
        raise LookupError(f"Unit {level} {code} not loaded: run `ocop load_admin_units` first")
    return unit


# Producers: (name, legal form, (level, code, legacy?), extra fields, products)
PRODUCERS = [
    {
        "name": "HTX Nông nghiệp xanh Yên Thế",
        "legal_form": "cooperative",
        "unit": ("commune", "07288", False),  # Xã Yên Thế, Bắc Ninh (formerly TT Phồn Xương, Bắc Giang)
        "fields": {
            "tax_code": "2400871238",
            "registration_number": "2407A0123",
            "registration_issued_on": dt.date(2016, 5, 12),
            "registration_issuer": "Phòng Tài chính - Kế hoạch huyện Yên Thế",
            "established_on": dt.date(2016, 5, 12),
            "representative_name": "Nguyễn Thị Hoa",
            "representative_position": "Giám đốc",
            "representative_gender": "female",
            "address": "Thôn Hố Cát",
            "phone": "0204 3876 123",
            "email": "htxxanhyenthe@example.vn",
            "labour_total": 25,
            "labour_local": 22,
            "labour_insured": 9,
            "member_count": 12,
            "cooperative_rating": "good",
            "cooperative_rated_year": 2025,
        },
        "ethnicity": "01",
        "years": [{"year": 2025, "revenue": 4_200_000_000, "profit": 380_000_000, "total_capital": 2_500_000_000}],
        "documents": [
            (
                "vietgap",
                "VietGAP-CN-0456",
                "Trung tâm Chứng nhận phù hợp (QUACERT)",
                dt.date(2023, 12, 28),
                dt.date(2026, 12, 27),
            ),
            (
                "food-safety-eligibility",
                "125/2024/NNPTNT-BG",
                "Chi cục Quản lý chất lượng nông lâm thủy sản",
                dt.date(2024, 3, 1),
                dt.date(2027, 3, 1),
            ),
            ("trademark-registration", "412345", "Cục Sở hữu trí tuệ", dt.date(2019, 8, 20), dt.date(2029, 8, 20)),
            (
                "cooperative-registration",
                "2407A0123",
                "Phòng Tài chính - Kế hoạch huyện Yên Thế",
                dt.date(2016, 5, 12),
                None,
            ),
        ],
        "products": [
            {
                "name": "Gà đồi Yên Thế đóng gói hút chân không",
                "code": "24-07288-001-2025",
                "sheet": 2,
                "packaging": "Túi hút chân không 1,2–1,8 kg",
                "shelf_life": "12 tháng ở -18 °C",
                "quality_standard": "TCCS 01:2024/HTXXYT",
                "stars": (4, dt.date(2025, 6, 10), dt.date(2028, 6, 10), "1520/QĐ-UBND", "UBND tỉnh Bắc Giang"),
            },
            {
                "name": "Giò gà Yên Thế",
                "code": "24-07288-002-2025",
                "sheet": 8,
                "stars": (3, dt.date(2025, 6, 10), dt.date(2028, 6, 10), "1520/QĐ-UBND", "UBND tỉnh Bắc Giang"),
            },
            {"name": "Chả gà Yên Thế", "code": "24-07288-003-2025", "sheet": 8},
            {
                "name": "Gà đồi Yên Thế (hồ sơ 2022)",
                "code": "24-215-07288-1-2022",
                "recorded": ("commune", "07288", True),
                "recorded_on": dt.date(2022, 9, 15),
                "sheet": 2,
                "legacy_sector": "I",
                "stars": (
                    3,
                    dt.date(2022, 12, 20),
                    dt.date(2025, 12, 20),
                    "2789/QĐ-UBND",
                    "UBND tỉnh Bắc Giang",
                    "1048/QĐ-TTg",
                ),
            },
        ],
    },
    {
        "name": "HTX Vải thiều Bố Hạ",
        "legal_form": "cooperative",
        "unit": ("commune", "07294", False),  # Xã Bố Hạ, Bắc Ninh (formerly TT Bố Hạ, H. Yên Thế)
        "fields": {"representative_name": "Thân Văn Lực", "address": "Thôn Tân Tiến", "representative_gender": "male"},
        "ethnicity": "01",
        "documents": [
            ("product-self-declaration", "01/2024/HTXVTBH", "HTX Vải thiều Bố Hạ", dt.date(2024, 1, 5), None),
            (
                "test-report",
                "KQ-2024-0815",
                "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 1",
                dt.date(2024, 1, 3),
                None,
            ),
            ("haccp", "HACCP-0912", "Công ty Chứng nhận Quốc tế", dt.date(2022, 11, 1), dt.date(2025, 10, 31)),
        ],
        "products": [
            {
                "name": "Mật ong hoa vải Bố Hạ",
                "code": "24-07294-001-2025",
                "sheet": 4,
                "stars": (
                    3,
                    dt.date(2024, 1, 15),
                    dt.date(2027, 1, 15),
                    "96/QĐ-UBND",
                    "UBND tỉnh Bắc Giang",
                    "148/QĐ-TTg",
                ),
            }
        ],
    },
    {
        "name": "HTX Nông nghiệp Mộc Sơn",
        "legal_form": "cooperative",
        "unit": ("commune", "03979", False),  # Phường Mộc Sơn, Sơn La
        "fields": {"representative_name": "Lò Văn Thắng", "address": "Tiểu khu 10"},
        "products": [
            {"name": "Bánh khảo Mộc Sơn", "code": "14-03979-001-2025", "sheet": 6},
            {"name": "Rượu thóc men lá", "code": "14-03979-002-2025", "sheet": 14},
        ],
    },
    {
        "name": "HTX Thân Trường",
        "legal_form": "cooperative",
        "unit": ("commune", "21289", False),  # Xã Sơn Hà, Quảng Ngãi
        "fields": {"representative_name": "Đinh Văn Trường", "address": "Thôn Làng Ren"},
        "products": [
            {
                "name": "Chè xanh Bản Ven",
                "code": "51-21289-001-2025",
                "sheet": 11,
                "stars": (
                    3,
                    dt.date(2024, 3, 1),
                    dt.date(2027, 3, 1),
                    "412/QĐ-UBND",
                    "UBND tỉnh Quảng Ngãi",
                    "148/QĐ-TTg",
                ),
            }
        ],
    },
    {
        "name": "Tổ hợp tác Mật ong Hồng Lĩnh",
        "legal_form": "cooperative_group",
        "unit": ("commune", "18130", True),  # Xã Thuận Lộc, TX Hồng Lĩnh (legacy) → Phường Nam Hồng Lĩnh
        "fields": {"representative_name": "Trần Văn Hùng", "address": "Tổ dân phố 5"},
        "products": [
            {
                "name": "Mật ong rừng Hồng Lĩnh",
                "code": "42-437-18130-1-2022",
                "recorded": ("district", "437", True),
                "recorded_on": dt.date(2022, 10, 20),
                "sheet": 4,
                "legacy_sector": "I",
                "stars": (
                    3,
                    dt.date(2022, 11, 30),
                    dt.date(2025, 11, 30),
                    "3301/QĐ-UBND",
                    "UBND tỉnh Hà Tĩnh",
                    "1048/QĐ-TTg",
                ),
            }
        ],
    },
    {
        "name": "Công ty TNHH Cà phê Buôn Ma Thuột Xanh",
        "legal_form": "enterprise",
        "unit": ("commune", "24133", False),  # Phường Buôn Ma Thuột, Đắk Lắk
        "fields": {
            "tax_code": "6001234562",
            "representative_name": "H'Nga Byă",
            "representative_gender": "female",
            "address": "45 Lê Duẩn",
            "main_sector": "agriculture_industry",
            "labour_total": 30,
            "labour_local": 24,
            "labour_insured": 18,
        },
        "ethnicity": "12",
        "years": [{"year": 2025, "revenue": 8_500_000_000, "profit": 610_000_000, "total_capital": 5_000_000_000}],
        "products": [
            {
                "name": "Cà phê rang xay Robusta Buôn Ma Thuột",
                "code": "66-24133-001-2025",
                "sheet": 13,
                "stars": (
                    4,
                    dt.date(2026, 6, 30),
                    dt.date(2029, 6, 30),
                    "1890/QĐ-UBND",
                    "UBND tỉnh Đắk Lắk",
                    "26/2026/QĐ-TTg",
                ),
            }
        ],
    },
    {
        "name": "HTX Nông nghiệp sạch Hòa Vang",
        "legal_form": "cooperative",
        "unit": ("commune", "20320", False),  # Xã Hòa Vang, Đà Nẵng
        "fields": {"representative_name": "Lê Thị Mai", "address": "Thôn Phú Sơn"},
        "products": [{"name": "Nấm linh chi Hòa Vang", "code": "48-20320-001-2025", "sheet": 20}],
    },
]

# One user per role. unit: (level, code); "producer" names the producer a producer account acts for.
DEMO_USERS = [
    {
        "username": "admin",
        "full_name": "Quản trị hệ thống",
        "role": "system-admin",
        "unit": ("country", "VN"),
        "superuser": True,
        "description": "Quản trị hệ thống (toàn quốc)",
    },
    {
        "username": "bo_ocop",
        "full_name": "Nguyễn Văn Bình",
        "role": "ministry-office",
        "unit": ("country", "VN"),
        "description": "Văn phòng Điều phối OCOP Trung ương (toàn quốc)",
    },
    {
        "username": "tinh_bacninh",
        "full_name": "Trần Thị Lan",
        "role": "province-agency",
        "unit": ("province", "24"),
        "description": "Cơ quan OCOP cấp tỉnh — Bắc Ninh",
    },
    {
        "username": "tinh_hatinh",
        "full_name": "Phan Văn Đức",
        "role": "province-agency",
        "unit": ("province", "42"),
        "description": "Cơ quan OCOP cấp tỉnh — Hà Tĩnh",
    },
    {
        "username": "hoidong_bacninh",
        "full_name": "Đỗ Minh Tuấn",
        "role": "council-member",
        "unit": ("province", "24"),
        "description": "Thành viên Hội đồng đánh giá — Bắc Ninh",
    },
    {
        "username": "totuvan_bacninh",
        "full_name": "Vũ Thị Hằng",
        "role": "advisory-member",
        "unit": ("province", "24"),
        "description": "Thành viên Tổ tư vấn — Bắc Ninh",
    },
    {
        "username": "xa_yenthe",
        "full_name": "Hoàng Văn Nam",
        "role": "commune-officer",
        "unit": ("commune", "07288"),
        "description": "Cán bộ OCOP xã Yên Thế (Bắc Ninh)",
    },
    {
        "username": "chuthe_yenthe",
        "full_name": "Nguyễn Thị Hoa",
        "role": "producer",
        "unit": ("commune", "07288"),
        "producer": "HTX Nông nghiệp xanh Yên Thế",
        "description": "Chủ thể: HTX Nông nghiệp xanh Yên Thế",
    },
]


def _product_set(sheet: int | None) -> ProductCategory | None:
    if sheet is None:
        return None
    return ProductCategory.objects.get(legal_basis__code="26/2026/QĐ-TTg", sheet_number=sheet)


@transaction.atomic
def load_demo_data() -> str:
    """Create the demo producers, products and users if missing. Returns a one-line summary."""
    created = {"producers": 0, "products": 0, "users": 0}
    producers: dict[str, Producer] = {}
    for spec in PRODUCERS:
        producer = Producer.objects.filter(name=spec["name"]).first()
        if producer is None:
            level, code, legacy = spec["unit"]
            ethnicity = Ethnicity.objects.filter(code=spec.get("ethnicity", "")).first()
            producer = create_producer(
                name=spec["name"],
                legal_form=spec["legal_form"],
                address_unit=_unit(level, code, legacy=legacy),
                representative_ethnicity=ethnicity,
                **spec["fields"],
            )
            for figures in spec.get("years", []):
                record_financial_year(producer, **figures)
            for slug, number, issuer, issued_on, valid_until in spec.get("documents", []):
                add_document(
                    producer,
                    document_type=DocumentType.objects.get(slug=slug),
                    number=number,
                    issuer=issuer,
                    issued_on=issued_on,
                    valid_until=valid_until,
                )
            created["producers"] += 1
        producers[spec["name"]] = producer
        for item in spec["products"]:
            if Product.objects.filter(producer=producer, name=item["name"]).exists():
                continue
            recorded = item.get("recorded")
            product = create_product(
                producer=producer,
                name=item["name"],
                code=item.get("code", ""),
                category=_product_set(item.get("sheet")),
                recorded_unit=_unit(recorded[0], recorded[1], legacy=recorded[2]) if recorded else None,
                recorded_on=item.get("recorded_on"),
                **{key: item[key] for key in ("packaging", "shelf_life", "quality_standard") if key in item},
            )
            if item.get("legacy_sector"):
                classify_product(
                    product,
                    category=ProductCategory.objects.get(legal_basis__code="1048/QĐ-TTg", code=item["legacy_sector"]),
                )
            if item.get("stars"):
                stars, recognised_on, valid_until, decision, authority, *basis = item["stars"]
                record_star(
                    product,
                    stars=stars,
                    recognised_on=recognised_on,
                    valid_until=valid_until,
                    decision_number=decision,
                    decision_authority=authority,
                    legal_basis=LegalBasis.objects.get(code=basis[0] if basis else "148/QĐ-TTg"),
                    source="import",
                )
            created["products"] += 1

    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = User(
                username=spec["username"],
                full_name=spec["full_name"],
                email=f"{spec['username']}@demo.ocop.localhost",
                is_staff=spec.get("superuser", False),
                is_superuser=spec.get("superuser", False),
            )
            user.set_password(settings.OCOP_DEMO_PASSWORD)
            user.save()
            created["users"] += 1
        role = get_role(spec["role"])
        level, code = spec["unit"]
        unit = get_country() if level == "country" else _unit(level, code)
        producer = producers.get(spec.get("producer", ""))
        if not Membership.objects.filter(user=user, role=role, admin_unit=unit).exists():
            grant_membership(user, role=role, admin_unit=unit, producer=producer)
    created["dossiers"] = load_demo_dossiers()
    return ", ".join(f"{count} {name} created" for name, count in created.items())


#: The smallest PDF the upload checks accept (the demo's scanned business registration).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_demo_dossiers() -> int:
    """A dossier submitted to Xã Yên Thế for "Chả gà Yên Thế", so the commune inbox has work.

    Filled and submitted through the services as the demo producer (receipt number, deadline,
    notification); skipped when the product already has a dossier.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415 - demo only

    from ocop.dossiers.enums import DossierKind  # noqa: PLC0415 - the demo builds on every app
    from ocop.dossiers.services import (  # noqa: PLC0415
        add_evidence_file,
        create_dossier,
        save_dossier_answers,
        save_dossier_step,
        submit_dossier,
    )

    product = Product.objects.filter(name="Chả gà Yên Thế").first()
    producer_user = User.objects.filter(username="chuthe_yenthe").first()
    if product is None or producer_user is None or product.dossiers.exists():
        return 0
    dossier = create_dossier(product, kind=DossierKind.FIRST, actor=producer_user)
    registration = {**dossier.registration, "representative_position": "Giám đốc", "phone": "0204 3876 123"}
    registration["address"] = registration.get("address") or "Xã Yên Thế, tỉnh Bắc Ninh"
    dossier = save_dossier_step(
        dossier,
        "registration",
        {"registration": registration, "sample_count": 5, "declaration_accepted": True},
        actor=producer_user,
        expected_version=dossier.version,
    )
    general = {
        **dossier.general,
        "representative_gender": dossier.general.get("representative_gender") or "Nữ",
        "representative_ethnicity": dossier.general.get("representative_ethnicity") or "Kinh",
        "specification": "Chả gà hấp, gói 500 g; TCCS 03:2025/HTXXYT",
    }
    dossier = save_dossier_step(
        dossier,
        "general",
        {"general": general, "legal_papers": {}},
        actor=producer_user,
        expected_version=dossier.version,
    )
    dossier = save_dossier_step(
        dossier,
        "results",
        {"business_results": {"markets": "Bán tại các chợ, siêu thị trong tỉnh; doanh thu 2025 khoảng 1,2 tỷ đồng."}},
        actor=producer_user,
        expected_version=dossier.version,
    )
    dossier = save_dossier_step(
        dossier,
        "plan",
        {"plan_ahead": {"markets": "Mở 2 điểm bán tại Hà Nội và bán qua sàn thương mại điện tử."}},
        actor=producer_user,
        expected_version=dossier.version,
    )
    sheet = dossier.rubric.to_sheet()
    answers = {}
    for leaf in sheet.leaves():
        ranked = sorted(leaf.options, key=lambda option: option.points)
        answers[leaf.code] = ranked[len(ranked) // 2].key  # a middling, believable self-scoring
    dossier, _result = save_dossier_answers(dossier, answers, actor=producer_user, expected_version=dossier.version)
    add_evidence_file(
        dossier,
        SimpleUploadedFile("giay-chung-nhan-dang-ky-htx.pdf", DEMO_PDF, content_type="application/pdf"),
        actor=producer_user,
        paper_key="business_registration",
    )
    dossier.refresh_from_db()
    submit_dossier(dossier, actor=producer_user, expected_version=dossier.version)
    return 1
