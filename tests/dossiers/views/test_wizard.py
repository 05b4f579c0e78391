"""The producer's dossier pages: creating a draft, the wizard steps (Mẫu 01, Mẫu 02 Parts I–IV),
the self-scoring preview, the review step and submitting (26/2026 Art. 6, 7.1)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ocop.dossiers.enums import DossierKind, DossierState
from ocop.dossiers.models import Dossier, DossierEvent
from ocop.dossiers.services import dossier_definition, dossier_missing_items
from ocop.evaluation.engine import format_points, score
from ocop.evaluation.services import star_rules_for
from tests.dossiers.views.helpers import (
    draft_dossier,
    element_text,
    fresh,
    has_testid,
    messages_of,
    page_messages,
    step_url,
    text_of,
)
from tests.factories.dossiers import best_answers, classified_product, submitted_dossier
from tests.factories.producers import ProducerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

S = DossierState
HTMX = {"HTTP_HX_REQUEST": "true"}
STALE = (
    "Someone else has just changed this dossier (now: %(state)s). "
    "Reload the page to see the latest version; nothing was saved."
)


def _vi(message: str, **params) -> str:
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


@pytest.fixture
def producer_client(login, world):
    return login(world.producer_user)


def _create(client, **data):
    return client.post(reverse("dossiers:dossier_create"), data)


def _this_year() -> int:
    return timezone.localdate().year


# ---------------------------------------------------------------------------------------------
# Creating a draft
# ---------------------------------------------------------------------------------------------


def test_the_create_form_offers_only_the_producers_own_products(producer_client, world):
    classified_product(ProducerFactory(address_unit=world.producer.commune), name="Sản phẩm nhà khác")
    response = producer_client.get(reverse("dossiers:dossier_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["product"].queryset) == [world.product]
    assert form.fields["year"].initial == _this_year()


def test_creating_a_draft_from_the_form(producer_client, world, english):
    response = _create(producer_client, product=world.product.pk, kind=DossierKind.FIRST, year=_this_year())
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(dossier, "registration")
    assert messages_of(response) == ["The draft dossier has been created; it is saved as you go."]
    assert (dossier.state, dossier.kind, dossier.year, dossier.product, dossier.commune.code) == (
        S.DRAFT,
        DossierKind.FIRST,
        _this_year(),
        world.product,
        "07288",
    )
    # Prefilled from the producer and the product records (Mẫu 01).
    assert dossier.registration["unit_name"] == "HTX Nông sản Yên Thế"
    assert dossier.registration["product_name"] == "Rau cải Yên Thế"
    assert list(dossier.events.values_list("from_state", "to_state")) == [(S.DRAFT, S.DRAFT)]


def test_creating_without_a_product_is_refused(producer_client, english):
    response = _create(producer_client, kind=DossierKind.FIRST, year=_this_year())
    assert response.status_code == 400
    assert response.context["form"].errors == {"product": ["This field is required."]}
    assert not Dossier.objects.exists()


def test_a_product_of_another_producer_is_not_a_choice(producer_client, world, english):
    foreign = classified_product(ProducerFactory(address_unit=world.producer.commune), name="Sản phẩm nhà khác")
    response = _create(producer_client, product=foreign.pk, kind=DossierKind.FIRST, year=_this_year())
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "product": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (-1, "Ensure this value is greater than or equal to %(year)s."),
        (2, "Ensure this value is less than or equal to %(year)s."),
    ],
)
def test_a_round_year_out_of_range_is_refused(producer_client, world, english, offset, message):
    year = _this_year()
    response = _create(producer_client, product=world.product.pk, kind=DossierKind.FIRST, year=year + offset)
    assert response.status_code == 400
    limit = year if offset < 0 else year + 1
    assert response.context["form"].errors == {"year": [message % {"year": limit}]}
    assert not Dossier.objects.exists()


def test_an_unknown_registration_type_is_refused(producer_client, world, english):
    response = _create(producer_client, product=world.product.pk, kind="bogus", year=_this_year())
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "kind": ["Select a valid choice. bogus is not one of the available choices."]
    }


def test_a_second_dossier_for_the_same_product_is_refused_in_english(producer_client, world, english):
    draft_dossier(world)
    response = _create(producer_client, product=world.product.pk, kind=DossierKind.FIRST, year=_this_year())
    assert response.status_code == 400
    expected = "This product already has a dossier in progress (Draft)."
    assert response.context["form"].non_field_errors() == [expected]
    assert expected in text_of(response.content)
    assert Dossier.objects.count() == 1


def test_a_second_dossier_for_the_same_product_is_refused_in_vietnamese(login, world):
    draft_dossier(world)
    client = login(world.producer_user, language="vi")
    response = _create(client, product=world.product.pk, kind=DossierKind.FIRST, year=_this_year())
    assert response.status_code == 400
    with translation.override("vi"):
        state = str(S.DRAFT.label)
    expected = _vi("This product already has a dossier in progress (%(state)s).", state=state)
    assert response.context["form"].non_field_errors() == [expected]
    assert Dossier.objects.count() == 1


def test_an_upgrade_without_a_recognition_is_refused(producer_client, world, english):
    response = _create(producer_client, product=world.product.pk, kind=DossierKind.UPGRADE, year=_this_year())
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "An upgrade or a re-rating needs a valid recognition of the product; file a first-time dossier."
    ]
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------------------------------------
# The wizard steps
# ---------------------------------------------------------------------------------------------

STEPS = ("registration", "general", "results", "scoring", "plan", "review")


@pytest.mark.parametrize("step", STEPS)
def test_every_step_page_opens_with_the_wizard_navigation(producer_client, world, step):
    dossier = draft_dossier(world)
    response = producer_client.get(step_url(dossier, step))
    assert response.status_code == 200
    assert response.context["step"].identifier == step
    for identifier in STEPS:
        assert has_testid(response, f"step-{identifier}")
    assert not has_testid(response, "read-only")


REGISTRATION = {
    "unit_name": "  HTX   Nông sản Yên Thế ",
    "representative_name": "Nguyễn Văn An",
    "representative_position": "Giám đốc",
    "address": "Thôn Đồng Tâm, xã Yên Thế",
    "phone": "0912345678",
    "email": "htx@example.vn",
    "product_name": "Rau cải Yên Thế",
    "sample_count": "6",
    "declaration_accepted": "on",
}


def test_the_registration_step_saves_mau_01(producer_client, world, english):
    dossier = draft_dossier(world)
    response = producer_client.post(
        step_url(dossier, "registration"), {**REGISTRATION, "version": dossier.version, "save": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(dossier, "registration")
    assert messages_of(response) == ["Saved."]
    saved = fresh(dossier)
    assert saved.registration["unit_name"] == "HTX Nông sản Yên Thế"  # whitespace cleaned
    assert saved.registration["email"] == "htx@example.vn"
    assert saved.registration["product_group"] == dossier.registration["product_group"]  # disabled: kept
    assert (saved.sample_count, saved.declaration_accepted, saved.version) == (6, True, dossier.version + 1)


def test_the_general_step_saves_part_i_and_the_paper_notes(producer_client, world):
    dossier = draft_dossier(world)
    data = {
        "version": dossier.version,
        "legal_form": "Hợp tác xã",
        "tax_code": "2400123456",
        "registration_issued_on": "15/03/2020",
        "representative_gender": "Nam",
        "representative_ethnicity": "Kinh",
        "specification": "Túi 500 g",
        "paper_business_registration": "Số 24A8001234, UBND huyện Yên Thế cấp 15/03/2020",
        "next": "1",
    }
    response = producer_client.post(step_url(dossier, "general"), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(dossier, "results")
    saved = fresh(dossier)
    assert saved.general["legal_form"] == "Hợp tác xã"
    assert saved.general["registration_issued_on"] == "2020-03-15"
    assert saved.legal_papers["business_registration"] == {"note": "Số 24A8001234, UBND huyện Yên Thế cấp 15/03/2020"}
    assert saved.legal_papers["food_safety"] == {"note": ""}


@pytest.mark.parametrize(
    ("step", "field", "following", "key"),
    [("results", "markets", "scoring", "business_results"), ("plan", "production", "review", "plan_ahead")],
)
def test_the_text_steps_save_and_next_goes_to_the_following_step(producer_client, world, step, field, following, key):
    dossier = draft_dossier(world)
    response = producer_client.post(
        step_url(dossier, step),
        {"version": dossier.version, field: "Bán tại 3 siêu thị.\n\nVà chợ huyện.", "next": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(dossier, following)
    saved = getattr(fresh(dossier), key)
    assert saved[field] == "Bán tại 3 siêu thị.\n\nVà chợ huyện."
    items = getattr(dossier_definition(dossier), key)  # every heading of the form definition is stored
    assert set(saved) == {item.key for item in items}
    assert all(value == "" for name, value in saved.items() if name != field)


def test_saving_the_scoring_stores_the_answers_and_next_goes_to_the_plan(producer_client, world):
    dossier = draft_dossier(world)
    sheet = dossier.rubric.to_sheet()
    answers = best_answers(sheet)
    data = {"version": dossier.version, "next": "1", **{f"c-{code}": key for code, key in answers.items()}}
    response = producer_client.post(step_url(dossier, "scoring"), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(dossier, "plan")
    saved = fresh(dossier)
    result = score(sheet, answers, star_rules_for(dossier.legal_basis))
    assert saved.answers == answers
    assert (saved.self_total, saved.self_star) == (result.total, result.proposed_star)
    assert saved.version == dossier.version + 1


def test_an_invalid_step_form_is_refused_and_nothing_is_saved(producer_client, world, english):
    dossier = draft_dossier(world)
    data = {**REGISTRATION, "email": "not-an-email", "sample_count": "5000", "version": dossier.version}
    response = producer_client.post(step_url(dossier, "registration"), data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["Enter a valid email address."],
        "sample_count": ["Ensure this value is less than or equal to 1000."],
    }
    assert page_messages(response) == ["Please correct the errors below; nothing was saved."]
    saved = fresh(dossier)
    assert (saved.registration, saved.version) == (dossier.registration, dossier.version)


def test_a_stale_page_is_refused_with_409_and_nothing_is_saved(producer_client, world, english):
    dossier = draft_dossier(world)
    old_version = dossier.version
    # Someone (another tab) saves first.
    first = producer_client.post(
        step_url(dossier, "results"), {"version": old_version, "markets": "Chợ huyện"}, follow=True
    )
    assert first.status_code == 200
    response = producer_client.post(
        step_url(dossier, "registration"), {**REGISTRATION, "unit_name": "Tên mới", "version": old_version}
    )
    assert response.status_code == 409
    assert page_messages(response) == [STALE % {"state": "Draft"}]
    saved = fresh(dossier)
    assert saved.registration == dossier.registration
    assert saved.business_results["markets"] == "Chợ huyện"
    assert saved.version == old_version + 1
    # The form is shown again with what was typed and the current version to try again.
    assert response.context["form"].data["unit_name"] == "Tên mới"
    assert response.context["dossier"].version == old_version + 1


def test_a_stale_scoring_page_is_refused_with_409(producer_client, world, english):
    dossier = draft_dossier(world)
    old_version = dossier.version
    producer_client.post(step_url(dossier, "results"), {"version": old_version, "markets": "Chợ huyện"}, follow=True)
    leaf = dossier.rubric.to_sheet().leaves()[0]
    data = {"version": old_version, "save": "1", f"c-{leaf.code}": leaf.options[-1].key}
    response = producer_client.post(step_url(dossier, "scoring"), data)
    assert fresh(dossier).answers == dossier.answers
    assert response.status_code == 409


def test_a_stale_scoring_page_saves_nothing_and_says_why(producer_client, world, english):
    dossier = draft_dossier(world)
    old_version = dossier.version
    producer_client.post(step_url(dossier, "results"), {"version": old_version, "markets": "Chợ huyện"}, follow=True)
    leaf = dossier.rubric.to_sheet().leaves()[0]
    data = {"version": old_version, "save": "1", f"c-{leaf.code}": leaf.options[-1].key}
    response = producer_client.post(step_url(dossier, "scoring"), data)
    assert messages_of(response) == [STALE % {"state": "Draft"}]
    saved = fresh(dossier)
    assert (saved.answers, saved.version) == (dossier.answers, old_version + 1)


@pytest.mark.parametrize("step", ["registration", "general", "results", "plan", "scoring"])
def test_a_submitted_dossier_is_read_only_in_the_wizard(producer_client, world, english, step):
    dossier = submitted_dossier(world)
    page = producer_client.get(step_url(dossier, step))
    assert page.status_code == 200
    assert element_text(page, "read-only") == "The dossier is “Submitted to the commune”: it is shown read-only."
    assert not has_testid(page, "save")
    assert not has_testid(page, "save-next")
    response = producer_client.post(
        step_url(dossier, step), {**REGISTRATION, "version": dossier.version, "markets": "x", "save": "1"}
    )
    assert response.status_code == 404
    saved = fresh(dossier)
    assert (saved.state, saved.version, saved.registration) == (S.SUBMITTED, dossier.version, dossier.registration)


# ---------------------------------------------------------------------------------------------
# Self-scoring preview (htmx)
# ---------------------------------------------------------------------------------------------


def test_the_scoring_preview_returns_the_result_without_saving(producer_client, world):
    dossier = draft_dossier(world)
    sheet = dossier.rubric.to_sheet()
    answers = best_answers(sheet)
    data = {"version": dossier.version, **{f"c-{code}": key for code, key in answers.items()}}
    response = producer_client.post(step_url(dossier, "scoring"), data, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="result"')
    result = score(sheet, answers, star_rules_for(dossier.legal_basis))
    assert element_text(response, "total", closing="</span>") == format_points(result.total)
    saved = fresh(dossier)
    assert (saved.answers, saved.version, saved.self_total) == (dossier.answers, dossier.version, dossier.self_total)


def _other_criterion_data(dossier):
    sheet = dossier.rubric.to_sheet()
    answers = best_answers(sheet)
    first, second = sheet.leaves()[0], sheet.leaves()[1]
    answers[first.code] = second.options[0].key
    return first.code, second.code, {f"c-{code}": key for code, key in answers.items()}


def test_the_scoring_preview_refuses_an_option_of_another_criterion_with_400(producer_client, world, english):
    dossier = draft_dossier(world)
    code, other, data = _other_criterion_data(dossier)
    response = producer_client.post(step_url(dossier, "scoring"), {"version": dossier.version, **data}, **HTMX)
    assert element_text(response, "assessment-error") == (
        f"Criterion {code}: the option chosen belongs to criterion {other}."
    )
    assert response.status_code == 400


def test_the_scoring_preview_names_the_criterion_of_a_foreign_option(producer_client, world, english):
    dossier = draft_dossier(world)
    code, other, data = _other_criterion_data(dossier)
    response = producer_client.post(step_url(dossier, "scoring"), {"version": dossier.version, **data}, **HTMX)
    assert element_text(response, "assessment-error") == (
        f"Criterion {code}: the option chosen belongs to criterion {other}."
    )
    assert fresh(dossier).answers == dossier.answers


def test_saving_an_option_of_another_criterion_is_refused_with_400(producer_client, world, english):
    dossier = draft_dossier(world)
    code, other, data = _other_criterion_data(dossier)
    response = producer_client.post(step_url(dossier, "scoring"), {"version": dossier.version, "save": "1", **data})
    assert response.status_code == 400
    assert element_text(response, "assessment-error") == (
        f"Criterion {code}: the option chosen belongs to criterion {other}."
    )
    saved = fresh(dossier)
    assert (saved.answers, saved.version) == (dossier.answers, dossier.version)


def test_two_options_for_one_criterion_are_refused_with_400(producer_client, world, english):
    dossier = draft_dossier(world)
    leaf = dossier.rubric.to_sheet().leaves()[0]
    data = {"version": dossier.version, f"c-{leaf.code}": [leaf.options[0].key, leaf.options[1].key]}
    response = producer_client.post(step_url(dossier, "scoring"), data, **HTMX)
    assert response.status_code == 400
    assert element_text(response, "assessment-error") == (
        f"Criterion {leaf.code} has two options chosen; choose exactly one."
    )
    assert fresh(dossier).answers == dossier.answers


# ---------------------------------------------------------------------------------------------
# Review and submit
# ---------------------------------------------------------------------------------------------


def _submit_button(response) -> str:
    content = response.content.decode()
    start = content.index('data-testid="submit"')
    return content[content.rindex("<button", 0, start) : content.index(">", start) + 1]


def test_the_review_step_lists_what_is_missing_and_disables_submit(producer_client, world, english):
    dossier = draft_dossier(world)
    response = producer_client.get(step_url(dossier, "review"))
    assert response.status_code == 200
    blocking = [item.message for item in dossier_missing_items(dossier) if item.blocking]
    assert blocking  # a fresh draft misses the declaration, the legal papers, the texts, the scoring …
    content = response.content.decode()
    start = content.index('data-testid="review-missing"')
    items = [text_of(item) for item in content[start : content.index("</ul>", start)].split("<li>")[1:]]
    assert items == blocking
    assert "Mẫu 01: confirm that the information declared is true." in items
    assert "Mẫu 02 Part II: describe the results of the business plan." in items
    assert " disabled" in _submit_button(response)
    assert not has_testid(response, "review-ready")


def test_the_review_step_of_a_complete_dossier_enables_submit(producer_client, world, english):
    dossier = draft_dossier(world, filled=True)
    response = producer_client.get(step_url(dossier, "review"))
    assert element_text(response, "review-ready") == (
        "The dossier has everything required. Check the documents, then submit it to the commune."
    )
    assert not has_testid(response, "review-missing")
    assert " disabled" not in _submit_button(response)
    assert element_text(response, "submit", closing="</button>") == "Submit to the commune"


def test_submitting_an_incomplete_dossier_returns_to_the_review_with_the_missing_items(producer_client, world, english):
    dossier = draft_dossier(world)
    blocking = [item.message for item in dossier_missing_items(dossier) if item.blocking]
    response = producer_client.post(reverse("dossiers:dossier_submit", args=[dossier.pk]), {"version": dossier.version})
    assert response.status_code == 302
    assert response["Location"] == step_url(dossier, "review")
    assert messages_of(response) == ["The dossier is not complete yet; nothing was submitted.", *blocking]
    saved = fresh(dossier)
    assert (saved.state, saved.version, saved.receipt_number, saved.submission_count) == (
        S.DRAFT,
        dossier.version,
        "",
        0,
    )
    assert not saved.events.filter(to_state=S.SUBMITTED).exists()


def test_submitting_a_complete_dossier_gives_the_receipt_number(producer_client, world, english):
    dossier = draft_dossier(world, filled=True)
    response = producer_client.post(reverse("dossiers:dossier_submit", args=[dossier.pk]), {"version": dossier.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:dossier_detail", args=[dossier.pk])
    assert messages_of(response) == ["The dossier has been submitted."]
    saved = fresh(dossier)
    year = timezone.localdate().year
    assert saved.state == S.SUBMITTED
    assert saved.receipt_number == f"1/PĐK-24-07288-{year}"
    assert (saved.submission_count, saved.received_on) == (1, timezone.localdate())
    assert saved.due_on is not None
    detail = producer_client.get(response["Location"])
    assert element_text(detail, "receipt-number", closing="</strong>") == f"1/PĐK-24-07288-{year}"
    assert element_text(detail, "state", closing="</span>") == "Submitted to the commune"


def test_a_double_submit_makes_one_transition_and_says_why(producer_client, world, english):
    dossier = draft_dossier(world, filled=True)
    url = reverse("dossiers:dossier_submit", args=[dossier.pk])
    first = producer_client.post(url, {"version": dossier.version}, follow=True)
    second = producer_client.post(url, {"version": dossier.version})  # the same page, clicked twice
    assert first.status_code == 200
    assert second.status_code == 302
    assert second["Location"] == reverse("dossiers:dossier_detail", args=[dossier.pk])
    assert messages_of(second) == [STALE % {"state": "Submitted to the commune"}]
    saved = fresh(dossier)
    assert (saved.state, saved.submission_count, saved.version) == (S.SUBMITTED, 1, dossier.version + 1)
    assert saved.receipt_number == f"1/PĐK-24-07288-{timezone.localdate().year}"
    assert DossierEvent.objects.filter(dossier=dossier, to_state=S.SUBMITTED).count() == 1


def test_submitting_again_from_a_reloaded_page_is_refused_by_the_transition_table(producer_client, world, english):
    dossier = draft_dossier(world, filled=True)
    url = reverse("dossiers:dossier_submit", args=[dossier.pk])
    producer_client.post(url, {"version": dossier.version}, follow=True)
    response = producer_client.post(url, {"version": fresh(dossier).version})
    assert messages_of(response) == [
        "A dossier in the state “Submitted to the commune” cannot become “Submitted to the commune”."
    ]
    assert DossierEvent.objects.filter(dossier=dossier, to_state=S.SUBMITTED).count() == 1
    assert fresh(dossier).submission_count == 1


def test_a_submit_without_a_version_is_refused(producer_client, world, english):
    dossier = draft_dossier(world, filled=True)
    response = producer_client.post(reverse("dossiers:dossier_submit", args=[dossier.pk]), {})
    assert response.status_code == 302
    assert messages_of(response) == ["This field is required."]
    assert fresh(dossier).state == S.DRAFT
