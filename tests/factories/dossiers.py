"""A small world for dossier tests: a producer and product in Xã Yên Thế (Bắc Ninh) classified on
sheet 1, the people around it, and helpers that fill a dossier through the services."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.dossiers.enums import DossierKind, TopicConclusion
from ocop.dossiers.services import (
    add_evidence_file,
    create_dossier,
    forward_dossier,
    receive_dossier,
    save_commune_review,
    save_dossier_answers,
    save_dossier_step,
    submit_dossier,
)
from ocop.legal.selectors import get_legal_basis
from ocop.products.models import ProductCategory
from ocop.products.services import classify_product
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import make_user_with_role

BASIS = "26/2026/QĐ-TTg"

#: The smallest valid PDF the upload checks accept.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "giay-dang-ky.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def classified_product(producer, *, name: str = "Rau cải Yên Thế", category_code: str = "I.1.a"):
    basis = get_legal_basis(BASIS)
    product = ProductFactory(producer=producer, name=name)
    classify_product(product, category=ProductCategory.objects.get(legal_basis=basis, code=category_code))
    return product


@dataclass
class World:
    producer: object
    product: object
    producer_user: object
    commune_officer: object
    province_officer: object
    other_commune_officer: object
    other_province_officer: object
    other_producer_user: object


def make_world(units) -> World:
    producer = ProducerFactory(
        address_unit=units.yen_the, name="HTX Nông sản Yên Thế", representative_name="Nguyễn Văn An"
    )
    other = ProducerFactory(address_unit=units.yen_the, name="HTX Khác")
    return World(
        producer=producer,
        product=classified_product(producer),
        producer_user=make_user_with_role("producer", units.yen_the, producer=producer),
        commune_officer=make_user_with_role("commune-officer", units.yen_the),
        province_officer=make_user_with_role("province-agency", units.bac_ninh),
        other_commune_officer=make_user_with_role("commune-officer", units.bo_ha),
        other_province_officer=make_user_with_role("province-agency", units.ha_tinh),
        other_producer_user=make_user_with_role("producer", units.yen_the, producer=other),
    )


def best_answers(sheet) -> dict[str, str]:
    """The highest option of every criterion (case-free sheets)."""
    answers = {}
    for leaf in sheet.leaves():
        best = max(leaf.options, key=lambda option: option.points)
        answers[leaf.code] = best.key
    return answers


def fill_dossier(dossier, actor):
    """Fill every required part of a draft through the services; returns the fresh dossier."""
    registration = dict(dossier.registration)
    registration.update(
        unit_name=dossier.producer.name,
        representative_name="Nguyễn Văn An",
        representative_position="Giám đốc",
        address="Thôn Đồng Tâm, xã Yên Thế",
        phone="0912345678",
        product_name=dossier.product.name,
    )
    dossier = save_dossier_step(
        dossier,
        "registration",
        {"registration": registration, "sample_count": 5, "declaration_accepted": True},
        actor=actor,
        expected_version=dossier.version,
    )
    general = dict(dossier.general)
    general.update(
        legal_form="Hợp tác xã",
        representative_gender="Nam",
        representative_ethnicity="Kinh",
        specification="Túi 500 g, TCCS 01:2026",
    )
    dossier = save_dossier_step(
        dossier, "general", {"general": general, "legal_papers": {}}, actor=actor, expected_version=dossier.version
    )
    dossier = save_dossier_step(
        dossier,
        "results",
        {"business_results": {"markets": "Bán tại chợ huyện và 3 siêu thị."}},
        actor=actor,
        expected_version=dossier.version,
    )
    dossier = save_dossier_step(
        dossier,
        "plan",
        {"plan_ahead": {"production": "Mở rộng vùng trồng lên 5 ha."}},
        actor=actor,
        expected_version=dossier.version,
    )
    dossier, _result = save_dossier_answers(
        dossier, best_answers(dossier.rubric.to_sheet()), actor=actor, expected_version=dossier.version
    )
    add_evidence_file(dossier, pdf_upload(), actor=actor, paper_key="business_registration")
    dossier.refresh_from_db()
    return dossier


def submitted_dossier(world: World, kind: str = DossierKind.FIRST):
    dossier = create_dossier(world.product, kind=kind, actor=world.producer_user)
    dossier = fill_dossier(dossier, world.producer_user)
    return submit_dossier(dossier, actor=world.producer_user, expected_version=dossier.version)


ALL_CHECKS = {"registration_form": True, "self_assessment": True, "legal_papers": True, "samples": True}


def full_review_topics() -> dict:
    return {
        key: {"assessment": f"Đánh giá nội dung {key}.", "conclusion": TopicConclusion.MET}
        for key in ("raw_material", "labour", "idea", "identity")
    }


def reviewed_dossier(world: World):
    """Submitted, received and with a complete Mẫu 03 (not yet forwarded)."""
    import datetime as dt

    dossier = submitted_dossier(world)
    dossier = receive_dossier(
        dossier, actor=world.commune_officer, completeness=ALL_CHECKS, expected_version=dossier.version
    )
    save_commune_review(
        dossier,
        actor=world.commune_officer,
        topics=full_review_topics(),
        expected_version=dossier.version,
        proposal="Đề nghị tỉnh đánh giá, phân hạng sản phẩm.",
        letter_number="12/UBND-KT",
        letter_date=dt.date(2026, 11, 2),
        signer_name="Trần Thị Bình",
        signer_position="Chủ tịch UBND xã",
    )
    dossier.refresh_from_db()
    return dossier


def forwarded_dossier(world: World):
    dossier = reviewed_dossier(world)
    return forward_dossier(dossier, actor=world.commune_officer, expected_version=dossier.version)
