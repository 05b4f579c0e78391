"""The dossier workflow through its services: every allowed and every forbidden transition, the
wrappers' checks (completeness, registration type, review), receipt numbers, SLA dates, optimistic
locking, notifications and the audit trail."""

import datetime as dt
import itertools
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from ocop.accounts.selectors import clear_grants_cache
from ocop.core.models import ActivityLog
from ocop.dossiers.enums import (
    ALLOWED_TRANSITIONS,
    TRANSITION_PERMISSIONS,
    DossierConflict,
    DossierError,
    DossierKind,
    DossierState,
)
from ocop.dossiers.models import Dossier, DossierEvent
from ocop.dossiers.services import (
    accept_dossier,
    add_evidence_file,
    create_dossier,
    forward_dossier,
    receive_dossier,
    return_dossier,
    save_commune_review,
    save_dossier_step,
    submit_dossier,
    transition_dossier,
    withdraw_dossier,
)
from ocop.notifications.models import Notification
from ocop.products.services import record_star
from tests.factories.dossiers import (
    ALL_CHECKS,
    fill_dossier,
    forwarded_dossier,
    full_review_topics,
    pdf_upload,
    reviewed_dossier,
    submitted_dossier,
)
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

S = DossierState
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def in_state(world, state):
    """A dossier brought to ``state`` through the services."""
    if state == S.DRAFT:
        return create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    if state == S.WITHDRAWN:
        draft = in_state(world, S.DRAFT)
        return withdraw_dossier(draft, actor=world.producer_user, expected_version=draft.version)
    if state == S.SUBMITTED:
        return submitted_dossier(world)
    if state == S.RETURNED:
        dossier = submitted_dossier(world)
        return return_dossier(dossier, actor=world.commune_officer, reasons=["Thiếu"], expected_version=dossier.version)
    if state == S.COMMUNE_REVIEW:
        return reviewed_dossier(world)
    if state == S.FORWARDED:
        return forwarded_dossier(world)
    if state == S.PROVINCE_RETURNED:
        dossier = forwarded_dossier(world)
        return return_dossier(
            dossier, actor=world.province_officer, reasons=["Thiếu"], expected_version=dossier.version
        )
    if state == S.ACCEPTED:
        dossier = forwarded_dossier(world)
        return accept_dossier(dossier, actor=world.province_officer, expected_version=dossier.version)
    raise AssertionError(state)


def actor_for(world, permission: str):
    return {
        "dossiers.submit_dossier": world.producer_user,
        "dossiers.withdraw_dossier": world.producer_user,
        "dossiers.receive_dossier": world.commune_officer,
        "dossiers.review_dossier": world.commune_officer,
        "dossiers.check_dossier": world.province_officer,
    }[permission]


def wrong_actor_for(world, permission: str):
    """Someone who can see the dossier's kind of work, but not this dossier or not this step."""
    return {
        "dossiers.submit_dossier": world.other_producer_user,
        "dossiers.withdraw_dossier": world.commune_officer,
        "dossiers.receive_dossier": world.other_commune_officer,
        "dossiers.review_dossier": world.province_officer,
        "dossiers.check_dossier": world.other_province_officer,
    }[permission]


ALLOWED = sorted((a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets)
FORBIDDEN = sorted((a, b) for a, b in itertools.product(S.values, S.values) if b not in ALLOWED_TRANSITIONS.get(a, ()))


def test_every_allowed_transition_has_a_permission_and_vice_versa():
    assert set(ALLOWED) == set(TRANSITION_PERMISSIONS)


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_transition_by_the_right_actor(world, from_state, to_state):
    dossier = in_state(world, from_state)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    actor = actor_for(world, TRANSITION_PERMISSIONS[(from_state, to_state)])
    result = transition_dossier(
        dossier, to_state, actor=actor, reasons=["Bổ sung giấy tờ"], expected_version=dossier.version
    )
    dossier.refresh_from_db()
    assert (result.state, dossier.state) == (to_state, to_state)
    assert dossier.is_open is (to_state != S.WITHDRAWN)
    event = DossierEvent.objects.filter(dossier=dossier).latest("pk")
    assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, actor)
    assert DossierEvent.objects.filter(dossier=dossier).count() == events + 1


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_transition_by_the_wrong_actor_is_refused(world, from_state, to_state):
    dossier = in_state(world, from_state)
    version = dossier.version
    actor = wrong_actor_for(world, TRANSITION_PERMISSIONS[(from_state, to_state)])
    with pytest.raises(DossierError) as caught:
        transition_dossier(dossier, to_state, actor=actor, reasons=["x"], expected_version=version)
    assert caught.value.code == "forbidden"
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (from_state, version)


@pytest.mark.parametrize("from_state", S.values)
def test_every_forbidden_transition_is_refused_even_for_a_superuser(world, english, from_state):
    """One dossier per state; every target not in the table is tried on it and refused."""
    dossier = in_state(world, from_state)
    version = dossier.version
    events = DossierEvent.objects.filter(dossier=dossier).count()
    admin = make_user_with_role(None, is_superuser=True)
    targets = [to_state for state, to_state in FORBIDDEN if state == from_state]
    assert targets  # every state refuses at least itself
    for to_state in targets:
        with pytest.raises(DossierError) as caught:
            transition_dossier(dossier, to_state, actor=admin, reasons=["x"], expected_version=version)
        assert caught.value.code == "transition_not_allowed"
        assert str(caught.value.message) == (
            f"A dossier in the state “{S(from_state).label}” cannot become “{S(to_state).label}”."
        )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (from_state, version)
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_the_forbidden_list_covers_every_pair_outside_the_table():
    assert len(FORBIDDEN) + len(ALLOWED) == len(S.values) ** 2


def test_forwarding_twice_is_refused(world):
    dossier = forwarded_dossier(world)
    with pytest.raises(DossierError) as caught:
        forward_dossier(dossier, actor=world.commune_officer, expected_version=dossier.version)
    assert caught.value.code == "transition_not_allowed"


def test_a_return_needs_a_reason(world, english):
    dossier = submitted_dossier(world)
    with pytest.raises(DossierError) as caught:
        return_dossier(dossier, actor=world.commune_officer, reasons=["  ", ""], expected_version=dossier.version)
    assert caught.value.code == "reasons_required"
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Creating a dossier
# ---------------------------------------------------------------------------------------------


def test_create_prefills_from_the_registry_and_the_saved_self_assessment(world):
    dossier = create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    assert dossier.state == S.DRAFT
    assert dossier.registration["unit_name"] == "HTX Nông sản Yên Thế"
    assert dossier.registration["representative_name"] == "Nguyễn Văn An"
    assert dossier.registration["product_name"] == "Rau cải Yên Thế"
    assert (dossier.province, dossier.commune, dossier.producer) == (
        world.producer.province,
        world.producer.commune,
        world.producer,
    )
    assert (dossier.legal_basis.code, dossier.rubric.sheet_number) == ("26/2026/QĐ-TTg", 1)
    assert dossier.sample_count == 5


def test_a_second_open_dossier_for_the_same_product_is_refused(world):
    create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    with pytest.raises(DossierError) as caught:
        create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    assert caught.value.code == "already_open"
    assert Dossier.objects.filter(product=world.product).count() == 1


def test_after_withdrawal_a_new_dossier_can_be_started(world):
    draft = create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    withdraw_dossier(draft, actor=world.producer_user, expected_version=draft.version)
    again = create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    assert again.pk != draft.pk and again.is_open


def test_another_producer_cannot_open_a_dossier_for_the_product(world):
    with pytest.raises(DossierError) as caught:
        create_dossier(world.product, kind=DossierKind.FIRST, actor=world.other_producer_user)
    assert caught.value.code == "forbidden"


def test_an_unclassified_product_cannot_get_a_dossier(world, english):
    from tests.factories.products import ProductFactory

    product = ProductFactory(producer=world.producer, name="Chưa phân loại")
    with pytest.raises(DossierError) as caught:
        create_dossier(product, kind=DossierKind.FIRST, actor=world.producer_user)
    assert caught.value.code == "no_sheet"


def test_upgrade_needs_a_valid_recognition(world):
    with pytest.raises(DossierError) as caught:
        create_dossier(world.product, kind=DossierKind.UPGRADE, actor=world.producer_user)
    assert caught.value.code == "kind_needs_recognition"


def test_first_time_is_refused_for_a_recognised_product(world):
    today = dt.date.today()
    record_star(world.product, stars=3, recognised_on=today - dt.timedelta(days=100))
    with pytest.raises(DossierError) as caught:
        create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    assert caught.value.code == "kind_already_recognised"
    upgrade = create_dossier(world.product, kind=DossierKind.UPGRADE, actor=world.producer_user)
    assert upgrade.previous_star_record.stars == 3


@pytest.mark.parametrize(
    ("days_before_expiry", "allowed"), [(181, False), (180, True), (150, True), (120, True), (119, False)]
)
def test_re_rating_only_in_the_window_180_to_120_days_before_expiry(world, english, days_before_expiry, allowed):
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, tzinfo=HCM), tick=False):
        today = dt.date(2026, 9, 1)
        expiry = today + dt.timedelta(days=days_before_expiry)
        record_star(world.product, stars=4, recognised_on=expiry.replace(year=expiry.year - 3), valid_until=expiry)
        if allowed:
            dossier = create_dossier(world.product, kind=DossierKind.RERATING, actor=world.producer_user)
            assert dossier.kind == DossierKind.RERATING
        else:
            with pytest.raises(DossierError) as caught:
                create_dossier(world.product, kind=DossierKind.RERATING, actor=world.producer_user)
            assert caught.value.code == "kind_outside_window"
            first = (expiry - dt.timedelta(days=180)).strftime("%d/%m/%Y")
            last = (expiry - dt.timedelta(days=120)).strftime("%d/%m/%Y")
            assert f"between {first} and {last}" in str(caught.value.message)


# ---------------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------------


def test_an_incomplete_dossier_is_not_submitted_and_the_missing_items_are_listed(world, english):
    draft = create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    with pytest.raises(DossierError) as caught:
        submit_dossier(draft, actor=world.producer_user, expected_version=draft.version)
    assert caught.value.code == "incomplete"
    missing = [str(item) for item in caught.value.missing]
    assert "Mẫu 01: confirm that the information declared is true." in missing
    assert "Mẫu 02 Part II: describe the results of the business plan." in missing
    assert any(item.startswith("Mẫu 02 Part I: attach “Giấy đăng ký kinh doanh") for item in missing)
    assert any(item.startswith("Mẫu 02 Part III: score every criterion") for item in missing)
    draft.refresh_from_db()
    assert (draft.state, draft.receipt_number, draft.submission_count) == (S.DRAFT, "", 0)


def test_submit_gives_the_receipt_number_and_the_commune_deadline(world):
    with time_machine.travel(dt.datetime(2026, 8, 25, 9, tzinfo=HCM), tick=False):
        dossier = submitted_dossier(world)
    # 15 working days from Tue 25/08/2026: 31/08 (swap for 22/08), 01/09 and 02/09 are days off.
    assert dossier.due_on == dt.date(2026, 9, 18)
    assert dossier.receipt_number == "1/PĐK-24-07288-2026"
    assert (dossier.receipt_sequence, dossier.received_on, dossier.submission_count) == (1, dt.date(2026, 8, 25), 1)
    assert dossier.submitted_hashes


def test_receipt_numbers_count_per_commune_and_year(world, units):
    from tests.factories.dossiers import classified_product

    with time_machine.travel(dt.datetime(2026, 12, 30, 9, tzinfo=HCM), tick=False):
        first = submitted_dossier(world)
        world.product = classified_product(world.producer, name="Gà đồi Yên Thế")
        second = submitted_dossier(world)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=HCM), tick=False):
        world.product = classified_product(world.producer, name="Mật ong Yên Thế")
        third = submitted_dossier(world)
    assert [first.receipt_number, second.receipt_number, third.receipt_number] == [
        "1/PĐK-24-07288-2026",
        "2/PĐK-24-07288-2026",
        "1/PĐK-24-07288-2027",
    ]


def test_a_stale_page_cannot_submit(world, english):
    draft = create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    draft = fill_dossier(draft, world.producer_user)
    stale = draft.version - 1
    with pytest.raises(DossierConflict) as caught:
        submit_dossier(draft, actor=world.producer_user, expected_version=stale)
    assert caught.value.code == "stale"
    assert "Someone else has just changed this dossier" in str(caught.value.message)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


def test_a_double_submit_does_not_submit_twice(world):
    draft = fill_dossier(
        create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user), world.producer_user
    )
    version = draft.version
    submit_dossier(draft, actor=world.producer_user, expected_version=version)
    with pytest.raises(DossierError):
        submit_dossier(draft, actor=world.producer_user, expected_version=version)
    draft.refresh_from_db()
    assert draft.submission_count == 1
    assert DossierEvent.objects.filter(dossier=draft, to_state=S.SUBMITTED).count() == 1


def test_two_officers_at_once_one_wins_the_other_is_told(world):
    dossier = submitted_dossier(world)
    colleague = make_user_with_role("commune-officer", world.producer.commune)
    seen_version = dossier.version
    receive_dossier(dossier, actor=world.commune_officer, completeness=ALL_CHECKS, expected_version=seen_version)
    with pytest.raises(DossierConflict):
        return_dossier(dossier, actor=colleague, reasons=["Thiếu mẫu"], expected_version=seen_version)
    dossier.refresh_from_db()
    assert dossier.state == S.COMMUNE_REVIEW


def test_content_cannot_change_once_submitted(world):
    dossier = submitted_dossier(world)
    with pytest.raises(DossierError) as caught:
        save_dossier_step(
            dossier,
            "plan",
            {"plan_ahead": {"production": "x"}},
            actor=world.producer_user,
            expected_version=dossier.version,
        )
    assert caught.value.code == "not_editable"
    with pytest.raises(DossierError):
        add_evidence_file(dossier, pdf_upload(), actor=world.producer_user, criterion_code="1.1")


def test_resubmission_keeps_the_receipt_restarts_the_deadline_and_lists_what_changed(world):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=HCM), tick=False):
        dossier = submitted_dossier(world)
        dossier = return_dossier(
            dossier, actor=world.commune_officer, reasons=["Bổ sung kế hoạch"], expected_version=dossier.version
        )
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=HCM), tick=False):
        dossier = save_dossier_step(
            dossier,
            "plan",
            {"plan_ahead": {"production": "Mở rộng lên 8 ha."}},
            actor=world.producer_user,
            expected_version=dossier.version,
        )
        dossier = submit_dossier(dossier, actor=world.producer_user, expected_version=dossier.version)
    assert (dossier.state, dossier.receipt_number, dossier.submission_count) == (S.SUBMITTED, "1/PĐK-24-07288-2026", 2)
    # 15 working days from Fri 20/11/2026, 24/11 (Ngày Văn hóa Việt Nam) being a day off.
    assert dossier.due_on == dt.date(2026, 12, 14)
    event = DossierEvent.objects.filter(dossier=dossier, to_state=S.SUBMITTED).latest("pk")
    assert event.changed_sections == ["plan_ahead"]


def test_after_a_province_return_the_resubmission_goes_back_to_the_province(world):
    dossier = forwarded_dossier(world)
    dossier = return_dossier(
        dossier, actor=world.province_officer, reasons=["Thiếu phiếu kiểm nghiệm"], expected_version=dossier.version
    )
    assert dossier.state == S.PROVINCE_RETURNED
    add_evidence_file(dossier, pdf_upload("kiem-nghiem.pdf"), actor=world.producer_user, criterion_code="1.1")
    dossier.refresh_from_db()
    dossier = submit_dossier(dossier, actor=world.producer_user, expected_version=dossier.version)
    assert dossier.state == S.FORWARDED
    event = DossierEvent.objects.filter(dossier=dossier).latest("pk")
    assert (event.from_state, event.changed_sections) == (S.PROVINCE_RETURNED, ["evidence"])


# ---------------------------------------------------------------------------------------------
# Commune and province
# ---------------------------------------------------------------------------------------------


def test_receive_requires_every_completeness_check(world, english):
    dossier = submitted_dossier(world)
    with pytest.raises(DossierError) as caught:
        receive_dossier(
            dossier,
            actor=world.commune_officer,
            completeness={**ALL_CHECKS, "samples": False},
            expected_version=dossier.version,
        )
    assert caught.value.code == "incomplete_at_commune"
    assert caught.value.missing == ["Mẫu sản phẩm (trừ sản phẩm dịch vụ du lịch)"]


def test_forward_requires_a_complete_review(world, english):
    dossier = submitted_dossier(world)
    dossier = receive_dossier(
        dossier, actor=world.commune_officer, completeness=ALL_CHECKS, expected_version=dossier.version
    )
    topics = full_review_topics()
    topics["identity"] = {"assessment": "", "conclusion": ""}
    save_commune_review(dossier, actor=world.commune_officer, topics=topics, expected_version=dossier.version)
    dossier.refresh_from_db()
    with pytest.raises(DossierError) as caught:
        forward_dossier(dossier, actor=world.commune_officer, expected_version=dossier.version)
    assert caught.value.code == "review_incomplete"
    assert caught.value.missing == [
        "Mẫu 03: write the assessment of “Local identity and know-how”.",
        "Mẫu 03: choose a conclusion for “Local identity and know-how”.",
        "Mẫu 03: write the proposal to the province.",
        "Proposal letter: enter its number and date.",
        "Proposal letter: enter who signs it.",
    ]
    dossier.refresh_from_db()
    assert dossier.state == S.COMMUNE_REVIEW


def test_the_commune_review_cannot_be_written_before_receiving(world):
    dossier = submitted_dossier(world)
    with pytest.raises(DossierError) as caught:
        save_commune_review(
            dossier, actor=world.commune_officer, topics=full_review_topics(), expected_version=dossier.version
        )
    assert caught.value.code == "not_in_review"


@pytest.mark.parametrize(
    ("forwarded_on", "expected"),
    [
        (dt.datetime(2026, 6, 10, 9), (2026, 2)),
        (dt.datetime(2026, 10, 30, 9), (2026, 2)),
        (dt.datetime(2026, 10, 31, 9), (2027, 1)),
    ],
)
def test_forwarding_proposes_the_round_by_the_cut_off_dates(world, forwarded_on, expected):
    with time_machine.travel(forwarded_on.replace(tzinfo=HCM), tick=False):
        dossier = forwarded_dossier(world)
        dossier = accept_dossier(dossier, actor=world.province_officer, expected_version=dossier.version)
    assert (dossier.state, dossier.target_round_year, dossier.target_round_number) == (S.ACCEPTED, *expected)


# ---------------------------------------------------------------------------------------------
# Notifications and audit
# ---------------------------------------------------------------------------------------------


def test_submission_notifies_the_commune_in_app_and_by_email(world, django_capture_on_commit_callbacks):
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        dossier = submitted_dossier(world)
    notes = Notification.objects.filter(recipient=world.commune_officer, event="dossiers.dossier.submit")
    assert notes.count() == 1
    assert notes.get().url == f"/dossiers/{dossier.pk}/"
    assert not Notification.objects.filter(recipient=world.other_commune_officer).exists()
    assert [message.to for message in mail.outbox] == [[world.commune_officer.email]]
    assert dossier.receipt_number in mail.outbox[0].body


def test_a_return_notifies_the_producer_with_the_reasons(world, django_capture_on_commit_callbacks):
    dossier = submitted_dossier(world)
    with django_capture_on_commit_callbacks(execute=True):
        return_dossier(
            dossier,
            actor=world.commune_officer,
            reasons=["Bổ sung phiếu kiểm nghiệm"],
            expected_version=dossier.version,
        )
    note = Notification.objects.get(recipient=world.producer_user, event="dossiers.dossier.return")
    assert "Bổ sung phiếu kiểm nghiệm" in note.body
    assert not Notification.objects.filter(recipient=world.other_producer_user).exists()


def test_forwarding_notifies_the_province_of_the_dossier_only(world, django_capture_on_commit_callbacks):
    dossier = reviewed_dossier(world)
    with django_capture_on_commit_callbacks(execute=True):
        forward_dossier(dossier, actor=world.commune_officer, expected_version=dossier.version)
    assert Notification.objects.filter(recipient=world.province_officer, event="dossiers.dossier.forward").count() == 1
    assert not Notification.objects.filter(recipient=world.other_province_officer).exists()


def test_every_transition_is_in_the_activity_log(world):
    dossier = forwarded_dossier(world)
    actions = list(
        ActivityLog.objects.filter(object_id=str(dossier.pk), action_type__startswith="dossiers.dossier.")
        .order_by("pk")
        .values_list("action_type", flat=True)
    )
    assert actions == [
        "dossiers.dossier.create",
        "dossiers.dossier.submit",
        "dossiers.dossier.receive",
        "dossiers.dossier.forward",
    ]


def test_a_membership_revoked_mid_way_loses_the_right_to_act(world):
    dossier = submitted_dossier(world)
    world.commune_officer.memberships.update(is_active=False)
    clear_grants_cache(world.commune_officer)
    with pytest.raises(DossierError) as caught:
        receive_dossier(dossier, actor=world.commune_officer, completeness=ALL_CHECKS, expected_version=dossier.version)
    assert caught.value.code == "forbidden"
