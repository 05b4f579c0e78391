"""Permission matrix of every dossier URL (style: tests/producers/views/…/test_producer_permissions.py).

Who: anonymous (302 to the sign-in page), no role, the system admin (no dossier capability), the
ministry office (rounds, nationwide), the producer's own account and another producer's account
(same commune), the commune officer of the dossier's commune and of another commune, the
provincial OCOP agency of the dossier's province and of another province.

What each sees follows ``selectors.dossiers_for_user`` and ``rules.can_view_dossier``: the producer
from the first draft, the commune once submitted, the province (and the ministry, which manages
rounds) once forwarded. Object pages out of scope answer 404, never 403; list pages without the
capability answer 403. A POST by someone who may not act answers 404 and changes nothing.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ocop.dossiers.enums import DossierState
from ocop.dossiers.models import Dossier, DossierEvent, DossierEvidence
from tests.dossiers.views.helpers import draft_dossier, fresh, in_state, other_producer
from tests.factories.dossiers import ALL_CHECKS, PDF_BYTES
from tests.utils import PermissionCase, client_for, close_streamed

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

S = DossierState

ANONYMOUS = "anonymous"
NO_ROLE = "no role"
SYSTEM_ADMIN = "system admin"
MINISTRY = "ministry office"
OWN_PRODUCER = "producer, own"
OTHER_PRODUCER = "producer, other (same commune)"
COMMUNE = "commune officer, same commune"
OTHER_COMMUNE = "commune officer, other commune"
PROVINCE = "province agency, same province"
OTHER_PROVINCE = "province agency, other province"
PEOPLE = (
    ANONYMOUS,
    NO_ROLE,
    SYSTEM_ADMIN,
    MINISTRY,
    OWN_PRODUCER,
    OTHER_PRODUCER,
    COMMUNE,
    OTHER_COMMUNE,
    PROVINCE,
    OTHER_PROVINCE,
)

#: Who sees a dossier in each state (everyone else gets 404).
VISIBLE = {
    S.DRAFT: {OWN_PRODUCER},
    S.SUBMITTED: {OWN_PRODUCER, COMMUNE},
    S.COMMUNE_REVIEW: {OWN_PRODUCER, COMMUNE},
    S.FORWARDED: {OWN_PRODUCER, COMMUNE, PROVINCE, MINISTRY},
}


def cases(units, world, expected: dict[str, int]) -> list[PermissionCase]:
    """One case per person of ``PEOPLE``; ``expected`` must name every one of them."""
    assert set(expected) == set(PEOPLE), set(PEOPLE) ^ set(expected)
    specs = {
        ANONYMOUS: (None, None, None),
        NO_ROLE: (None, None, None),
        SYSTEM_ADMIN: ("system-admin", units.country, None),
        MINISTRY: ("ministry-office", units.country, None),
        OWN_PRODUCER: ("producer", units.yen_the, world.producer),
        OTHER_PRODUCER: ("producer", units.yen_the, other_producer(world)),
        COMMUNE: ("commune-officer", units.yen_the, None),
        OTHER_COMMUNE: ("commune-officer", units.bo_ha, None),
        PROVINCE: ("province-agency", units.bac_ninh, None),
        OTHER_PROVINCE: ("province-agency", units.ha_tinh, None),
    }
    return [
        PermissionCase(
            label,
            specs[label][0],
            specs[label][1],
            expected[label],
            producer=specs[label][2],
            anonymous=label == ANONYMOUS,
        )
        for label in PEOPLE
    ]


def object_expectations(allowed: set[str], ok: int = 200) -> dict[str, int]:
    """An object page or action: ``ok`` for ``allowed``, 404 for everyone else, 302 anonymous."""
    return {label: 302 if label == ANONYMOUS else ok if label in allowed else 404 for label in PEOPLE}


def list_expectations(allowed: set[str]) -> dict[str, int]:
    """A list page: 200 with the capability anywhere, 403 without, 302 anonymous."""
    return {label: 302 if label == ANONYMOUS else 200 if label in allowed else 403 for label in PEOPLE}


def check(urls: list[str], matrix: list[PermissionCase], *, method: str = "get", data=None) -> None:
    """Request every URL as every case (one signed-in client per case); report all mismatches.

    An anonymous 302 must lead to the sign-in page with ``next``.
    """
    login_url = reverse("accounts:login")
    failures = []
    for case in matrix:
        client: Client = client_for(case)
        for url in urls:
            response = getattr(client, method)(url, data or {})
            if getattr(response, "streaming", False):
                close_streamed(response)
            if response.status_code != case.expected:
                failures.append(
                    f"{method.upper()} {url} as {case.label}: expected {case.expected}, got {response.status_code}"
                )
            elif case.anonymous and not response["Location"].startswith(f"{login_url}?next="):
                failures.append(f"{method.upper()} {url} as {case.label}: redirected to {response['Location']}")
    assert not failures, "\n  ".join(["", *failures])


def snapshot(dossier) -> tuple:
    """What a refused POST must leave alone."""
    row = fresh(dossier)
    return (
        row.state,
        row.version,
        row.submission_count,
        row.registration,
        row.answers,
        DossierEvent.objects.filter(dossier=dossier).count(),
        DossierEvidence.objects.filter(dossier=dossier).count(),
    )


# ---------------------------------------------------------------------------------------------
# List pages
# ---------------------------------------------------------------------------------------------


def test_dossier_list_answers_every_role_that_handles_dossiers(units, world):
    expected = list_expectations(
        {MINISTRY, OWN_PRODUCER, OTHER_PRODUCER, COMMUNE, OTHER_COMMUNE, PROVINCE, OTHER_PROVINCE}
    )
    without_capability = {NO_ROLE, SYSTEM_ADMIN}
    matrix = [case for case in cases(units, world, expected) if case.label not in without_capability]
    check([reverse("dossiers:dossier_list")], matrix)


def test_dossier_list_refuses_users_without_a_dossier_capability(units, world):
    expected = list_expectations(
        {MINISTRY, OWN_PRODUCER, OTHER_PRODUCER, COMMUNE, OTHER_COMMUNE, PROVINCE, OTHER_PROVINCE}
    )
    matrix = [case for case in cases(units, world, expected) if case.label in {NO_ROLE, SYSTEM_ADMIN}]
    check([reverse("dossiers:dossier_list")], matrix)


def test_dossier_create_is_for_producer_accounts_only(units, world):
    check([reverse("dossiers:dossier_create")], cases(units, world, list_expectations({OWN_PRODUCER, OTHER_PRODUCER})))


def test_dossier_create_post_by_a_non_filer_is_refused_and_creates_nothing(units, world):
    data = {"product": world.product.pk, "kind": "first", "year": timezone.localdate().year}
    expected = list_expectations({OWN_PRODUCER, OTHER_PRODUCER})
    refused = [case for case in cases(units, world, expected) if case.label not in {OWN_PRODUCER, OTHER_PRODUCER}]
    check([reverse("dossiers:dossier_create")], refused, method="post", data=data)
    assert not Dossier.objects.exists()


def test_dossier_create_post_by_another_producer_cannot_pick_this_product(units, world):
    """The other producer holds the capability (the page answers) but the product is not a choice."""
    data = {"product": world.product.pk, "kind": "first", "year": timezone.localdate().year}
    (case,) = [case for case in cases(units, world, list_expectations(set())) if case.label == OTHER_PRODUCER]
    response = client_for(case).post(reverse("dossiers:dossier_create"), data)
    assert response.status_code == 400
    assert "product" in response.context["form"].errors
    assert not Dossier.objects.exists()


def test_commune_inbox_is_for_commune_officers(units, world):
    check([reverse("dossiers:commune_inbox")], cases(units, world, list_expectations({COMMUNE, OTHER_COMMUNE})))


def test_province_intake_is_for_province_agencies(units, world):
    check([reverse("dossiers:province_inbox")], cases(units, world, list_expectations({PROVINCE, OTHER_PROVINCE})))


# ---------------------------------------------------------------------------------------------
# Object pages (GET)
# ---------------------------------------------------------------------------------------------

STEPS = ("registration", "general", "results", "scoring", "plan", "review")


def page_urls(dossier) -> list[str]:
    evidence = dossier.evidence.get()  # fill_dossier attaches the business registration
    pk = dossier.pk
    return [
        reverse("dossiers:dossier_detail", kwargs={"pk": pk}),
        *(reverse("dossiers:dossier_step", kwargs={"pk": pk, "step": step}) for step in STEPS),
        reverse("dossiers:dossier_evidence", kwargs={"pk": pk}),
        reverse("dossiers:dossier_evidence", kwargs={"pk": pk}) + "?criterion=1.1",
        reverse("dossiers:dossier_evidence", kwargs={"pk": pk}) + "?paper=business_registration",
        reverse("dossiers:evidence_file", kwargs={"pk": pk, "evidence_pk": evidence.pk}),
    ]


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.COMMUNE_REVIEW, S.FORWARDED])
def test_dossier_pages_answer_only_who_may_see_the_dossier_in_this_state(units, world, state):
    dossier = in_state(world, state)
    check(page_urls(dossier), cases(units, world, object_expectations(VISIBLE[state])))


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.FORWARDED])
def test_unknown_steps_and_targets_are_404_even_for_the_owner(units, world, state):
    dossier = in_state(world, state)
    pk = dossier.pk
    urls = [
        reverse("dossiers:dossier_step", kwargs={"pk": pk, "step": "nope"}),
        reverse("dossiers:dossier_evidence", kwargs={"pk": pk}) + "?criterion=9.9",
        reverse("dossiers:dossier_evidence", kwargs={"pk": pk}) + "?paper=nope",
        reverse("dossiers:evidence_file", kwargs={"pk": pk, "evidence_pk": 999999}),
        reverse("dossiers:dossier_detail", kwargs={"pk": 999999}),
    ]
    check(urls, cases(units, world, object_expectations(set())))


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.COMMUNE_REVIEW, S.FORWARDED])
def test_commune_review_page_is_for_the_dossiers_commune_once_submitted(units, world, state):
    dossier = in_state(world, state)
    allowed = {COMMUNE} if state != S.DRAFT else set()
    check(
        [reverse("dossiers:commune_review", kwargs={"pk": dossier.pk})],
        cases(units, world, object_expectations(allowed)),
    )


def document_urls(dossier, names) -> list[str]:
    return [
        reverse("dossiers:dossier_document", kwargs={"pk": dossier.pk, "name": name, "fmt": fmt}) for name, fmt in names
    ]


# Rendering a PDF takes a second: each matrix asks for one form, the draft's for the longer Mẫu 02.
FORMS = {S.DRAFT: [("mau02", "pdf")], S.SUBMITTED: [("mau01", "pdf")], S.FORWARDED: [("mau01", "pdf")]}
ISSUED = [("mau03", "pdf"), ("proposal", "docx")]


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.FORWARDED])
def test_form_documents_follow_the_dossier_visibility(units, world, state):
    dossier = in_state(world, state)
    check(document_urls(dossier, FORMS[state]), cases(units, world, object_expectations(VISIBLE[state])))


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.FORWARDED])
def test_zip_follows_the_dossier_visibility(units, world, state):
    dossier = in_state(world, state)
    url = reverse("dossiers:dossier_zip", kwargs={"pk": dossier.pk})
    check([url], cases(units, world, object_expectations(VISIBLE[state])))


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (S.DRAFT, set()),
        # Before forwarding only the commune previews Mẫu 03 and the letter (marked DỰ THẢO).
        (S.SUBMITTED, {COMMUNE}),
        (S.COMMUNE_REVIEW, {COMMUNE}),
        # Issued at forwarding: everyone who sees the forwarded dossier.
        (S.FORWARDED, VISIBLE[S.FORWARDED]),
    ],
)
def test_issued_documents_are_for_the_commune_before_forwarding(units, world, state, allowed):
    dossier = in_state(world, state)
    names = (
        ISSUED
        if state != S.FORWARDED
        else [("mau03", "pdf"), ("mau03", "docx"), ("proposal", "pdf"), ("proposal", "docx")]
    )
    check(document_urls(dossier, names), cases(units, world, object_expectations(allowed)))


def test_unknown_documents_are_404(units, world):
    dossier = in_state(world, S.FORWARDED)
    urls = document_urls(dossier, [("mau01", "docx"), ("mau04", "pdf"), ("mau03", "xlsx")])
    check(urls, cases(units, world, object_expectations(set())))


# ---------------------------------------------------------------------------------------------
# POST actions
# ---------------------------------------------------------------------------------------------


def _refuse_then_allow(units, world, dossier, url, data, *, actor: str, ok_state: str, refused=None):
    """Everyone out of scope gets 404 and changes nothing; then ``actor`` succeeds (proving that the
    data were good and only the person made the difference)."""
    before = snapshot(dossier)
    expected = object_expectations({actor}, ok=302)
    matrix = [case for case in cases(units, world, expected) if case.label != actor]
    if refused is not None:
        matrix = [case for case in matrix if case.label in refused or case.anonymous]
    check([url], matrix, method="post", data=data)
    assert snapshot(dossier) == before
    (allowed,) = [case for case in cases(units, world, expected) if case.label == actor]
    response = client_for(allowed).post(url, data)
    assert response.status_code == 302
    assert fresh(dossier).state == ok_state


def _out_of_scope(state: str) -> set[str]:
    return set(PEOPLE) - VISIBLE[state] - {ANONYMOUS}


@pytest.mark.parametrize("step", ["registration", "general", "results", "plan"])
def test_saving_a_wizard_step_of_a_draft_is_for_the_owner_only(units, world, step):
    dossier = draft_dossier(world)
    url = reverse("dossiers:dossier_step", kwargs={"pk": dossier.pk, "step": step})
    data = {"version": dossier.version, "save": "1", "unit_name": "HTX đổi tên", "specification": "x"}
    _refuse_then_allow(units, world, dossier, url, data, actor=OWN_PRODUCER, ok_state=S.DRAFT)
    assert fresh(dossier).version == dossier.version + 1


def test_saving_the_scoring_of_a_draft_is_for_the_owner_only(units, world):
    dossier = draft_dossier(world)
    url = reverse("dossiers:dossier_step", kwargs={"pk": dossier.pk, "step": "scoring"})
    leaf = dossier.rubric.to_sheet().leaves()[0]
    data = {"version": dossier.version, "save": "1", f"c-{leaf.code}": leaf.options[-1].key}
    _refuse_then_allow(units, world, dossier, url, data, actor=OWN_PRODUCER, ok_state=S.DRAFT)
    assert fresh(dossier).answers[leaf.code] == leaf.options[-1].key


@pytest.mark.parametrize("step", ["registration", "general", "results", "plan", "scoring"])
def test_nobody_saves_a_wizard_step_of_a_submitted_dossier(units, world, step):
    dossier = in_state(world, S.SUBMITTED)
    before = snapshot(dossier)
    url = reverse("dossiers:dossier_step", kwargs={"pk": dossier.pk, "step": step})
    data = {"version": dossier.version, "save": "1", "unit_name": "HTX đổi tên"}
    check([url], cases(units, world, object_expectations(set())), method="post", data=data)
    assert snapshot(dossier) == before


def _upload_data():
    return {
        "paper": "food_safety",
        "file": SimpleUploadedFile("atvstp.pdf", PDF_BYTES, content_type="application/pdf"),
    }


def test_uploading_evidence_to_a_draft_is_for_the_owner_only(units, world):
    dossier = draft_dossier(world)
    url = reverse("dossiers:dossier_evidence", kwargs={"pk": dossier.pk})
    before = snapshot(dossier)
    expected = object_expectations({OWN_PRODUCER}, ok=302)
    failures = []
    matrix = sorted(cases(units, world, expected), key=lambda case: case.label == OWN_PRODUCER)  # owner last
    for case in matrix:
        response = client_for(case).post(url, _upload_data())  # a fresh file for every request
        if response.status_code != case.expected:
            failures.append(f"{case.label}: expected {case.expected}, got {response.status_code}")
        if case.label != OWN_PRODUCER:
            assert snapshot(dossier) == before, case.label
    assert not failures, failures
    assert list(dossier.evidence.values_list("paper_key", flat=True)) == ["food_safety"]


def test_uploading_evidence_to_a_submitted_dossier_is_refused_to_the_commune(units, world):
    dossier = in_state(world, S.SUBMITTED)
    url = reverse("dossiers:dossier_evidence", kwargs={"pk": dossier.pk})
    before = snapshot(dossier)
    # The owner may change dossiers but this one is not editable: 400 with the reason (test_evidence).
    expected = object_expectations({OWN_PRODUCER}, ok=400)
    failures = []
    for case in cases(units, world, expected):
        response = client_for(case).post(url, _upload_data())
        if response.status_code != case.expected:
            failures.append(f"{case.label}: expected {case.expected}, got {response.status_code}")
    assert not failures, failures
    assert snapshot(dossier) == before


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED])
def test_removing_evidence_is_for_the_owner_of_an_editable_dossier(units, world, state):
    dossier = in_state(world, state)
    evidence = dossier.evidence.get()
    url = reverse("dossiers:evidence_delete", kwargs={"pk": dossier.pk, "evidence_pk": evidence.pk})
    before = snapshot(dossier)
    allowed = {OWN_PRODUCER}
    expected = object_expectations(allowed, ok=302)
    check([url], [case for case in cases(units, world, expected) if case.label not in allowed], method="post")
    assert snapshot(dossier) == before
    (owner,) = [case for case in cases(units, world, expected) if case.label == OWN_PRODUCER]
    assert client_for(owner).post(url).status_code == 302
    # Only a draft loses the file; a submitted dossier refuses with a message (state unchanged).
    assert dossier.evidence.exists() is (state != S.DRAFT)


def test_submit_is_for_the_owner_only(units, world):
    dossier = in_state(world, S.DRAFT)
    url = reverse("dossiers:dossier_submit", kwargs={"pk": dossier.pk})
    _refuse_then_allow(
        units, world, dossier, url, {"version": dossier.version}, actor=OWN_PRODUCER, ok_state=S.SUBMITTED
    )


def test_withdraw_is_for_the_owner_only(units, world):
    dossier = in_state(world, S.DRAFT)
    url = reverse("dossiers:dossier_withdraw", kwargs={"pk": dossier.pk})
    _refuse_then_allow(
        units, world, dossier, url, {"version": dossier.version}, actor=OWN_PRODUCER, ok_state=S.WITHDRAWN
    )


def test_receive_is_for_the_dossiers_commune_only(units, world):
    dossier = in_state(world, S.SUBMITTED)
    url = reverse("dossiers:dossier_receive", kwargs={"pk": dossier.pk})
    data = {"version": dossier.version, **ALL_CHECKS}
    _refuse_then_allow(
        units, world, dossier, url, data, actor=COMMUNE, ok_state=S.COMMUNE_REVIEW, refused=_out_of_scope(S.SUBMITTED)
    )


def test_commune_return_is_for_the_dossiers_commune_only(units, world):
    dossier = in_state(world, S.SUBMITTED)
    url = reverse("dossiers:dossier_return", kwargs={"pk": dossier.pk})
    data = {"version": dossier.version, "reasons": "Thiếu ảnh sản phẩm"}
    _refuse_then_allow(
        units, world, dossier, url, data, actor=COMMUNE, ok_state=S.RETURNED, refused=_out_of_scope(S.SUBMITTED)
    )


def _review_data(version: int) -> dict:
    data = {
        "version": version,
        "proposal": "Đề nghị tỉnh đánh giá.",
        "letter_number": "15/UBND-KT",
        "letter_date": "01/11/2026",
        "signer_name": "Trần Thị Bình",
        "signer_position": "Chủ tịch UBND xã",
        "save": "1",
    }
    for key in ("raw_material", "labour", "idea", "identity"):
        data[f"{key}_assessment"] = f"Nhận xét {key}."
        data[f"{key}_conclusion"] = "met"
    return data


def test_commune_review_post_is_for_the_dossiers_commune_only(units, world):
    dossier = in_state(world, S.COMMUNE_REVIEW)
    url = reverse("dossiers:commune_review", kwargs={"pk": dossier.pk})
    review_version = dossier.commune_review.version
    # Everyone but the commune gets 404 here, the producer included (review permission checked).
    expected = object_expectations({COMMUNE}, ok=302)
    before = snapshot(dossier)
    check(
        [url],
        [case for case in cases(units, world, expected) if case.label != COMMUNE],
        method="post",
        data=_review_data(dossier.version),
    )
    assert snapshot(dossier) == before
    assert fresh(dossier).commune_review.version == review_version


def test_forward_is_for_the_dossiers_commune_only(units, world):
    dossier = in_state(world, S.COMMUNE_REVIEW)
    url = reverse("dossiers:dossier_forward", kwargs={"pk": dossier.pk})
    _refuse_then_allow(
        units,
        world,
        dossier,
        url,
        {"version": dossier.version},
        actor=COMMUNE,
        ok_state=S.FORWARDED,
        refused=_out_of_scope(S.COMMUNE_REVIEW),
    )


def test_accept_is_for_the_dossiers_province_only(units, world):
    dossier = in_state(world, S.FORWARDED)
    url = reverse("dossiers:dossier_accept", kwargs={"pk": dossier.pk})
    _refuse_then_allow(
        units,
        world,
        dossier,
        url,
        {"version": dossier.version},
        actor=PROVINCE,
        ok_state=S.ACCEPTED,
        refused=_out_of_scope(S.FORWARDED),
    )


def test_province_return_is_for_the_dossiers_province_only(units, world):
    dossier = in_state(world, S.FORWARDED)
    url = reverse("dossiers:dossier_return", kwargs={"pk": dossier.pk})
    data = {"version": dossier.version, "reasons": "Bổ sung phiếu kiểm nghiệm"}
    _refuse_then_allow(
        units,
        world,
        dossier,
        url,
        data,
        actor=PROVINCE,
        ok_state=S.PROVINCE_RETURNED,
        refused=_out_of_scope(S.FORWARDED),
    )


#: (state, action URL name, POST data builder, people who see the dossier but may not do this).
IN_SCOPE_WRONG_ROLE = [
    (S.DRAFT, "dossier_receive", lambda d: {"version": d.version, **ALL_CHECKS}, {OWN_PRODUCER}),
    (S.SUBMITTED, "dossier_submit", lambda d: {"version": d.version}, {COMMUNE}),
    (S.SUBMITTED, "dossier_withdraw", lambda d: {"version": d.version}, {COMMUNE}),
    (S.SUBMITTED, "dossier_receive", lambda d: {"version": d.version, **ALL_CHECKS}, {OWN_PRODUCER}),
    (S.SUBMITTED, "dossier_return", lambda d: {"version": d.version, "reasons": "x"}, {OWN_PRODUCER}),
    (S.COMMUNE_REVIEW, "dossier_forward", lambda d: {"version": d.version}, {OWN_PRODUCER}),
    (S.FORWARDED, "dossier_accept", lambda d: {"version": d.version}, {OWN_PRODUCER, COMMUNE, MINISTRY}),
    (
        S.FORWARDED,
        "dossier_return",
        lambda d: {"version": d.version, "reasons": "x"},
        {OWN_PRODUCER, COMMUNE, MINISTRY},
    ),
]


@pytest.mark.parametrize(("state", "name", "data", "people"), IN_SCOPE_WRONG_ROLE)
def test_an_action_by_someone_who_sees_the_dossier_but_may_not_act_changes_nothing(
    units, world, state, name, data, people
):
    dossier = in_state(world, state)
    before = snapshot(dossier)
    url = reverse(f"dossiers:{name}", kwargs={"pk": dossier.pk})
    for case in cases(units, world, object_expectations(set())):
        if case.label in people:
            response = client_for(case).post(url, data(dossier))
            assert response.status_code != 200, case.label
            assert snapshot(dossier) == before, case.label


@pytest.mark.parametrize(("state", "name", "data", "people"), IN_SCOPE_WRONG_ROLE)
def test_an_action_by_someone_who_sees_the_dossier_but_may_not_act_is_404(units, world, state, name, data, people):
    dossier = in_state(world, state)
    url = reverse(f"dossiers:{name}", kwargs={"pk": dossier.pk})
    expected = {label: 404 for label in PEOPLE}
    matrix = [case for case in cases(units, world, expected) if case.label in people]
    check([url], matrix, method="post", data=data(dossier))
