"""The commune's and the province's pages (26/2026 Art. 7.1–7.2, Art. 5 rounds): the commune inbox
with its countdowns, the completeness check, returns with reasons, resubmission, the Mẫu 03
review and forwarding, the province intake, acceptance for a round, province returns, and two
officers acting on the same dossier at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.dossiers.enums import CommuneTopic, DossierKind, DossierState
from ocop.dossiers.models import CommuneReview, DossierEvent
from ocop.dossiers.services import (
    create_dossier,
    forward_dossier,
    receive_dossier,
    save_commune_review,
    submit_dossier,
)
from ocop.legal.selectors import effective_parameters, get_legal_basis, working_calendar
from tests.dossiers.views.helpers import (
    detail_url,
    element_text,
    fresh,
    has_testid,
    in_state,
    messages_of,
    step_url,
    text_of,
)
from tests.factories.dossiers import (
    ALL_CHECKS,
    BASIS,
    classified_product,
    fill_dossier,
    full_review_topics,
    pdf_upload,
)
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

S = DossierState
STALE = (
    "Someone else has just changed this dossier (now: %(state)s). "
    "Reload the page to see the latest version; nothing was saved."
)


def url(name: str, dossier) -> str:
    return reverse(f"dossiers:{name}", kwargs={"pk": dossier.pk})


def submit_new(product, user):
    """Create, fill and submit a dossier for ``product`` through the services."""
    dossier = create_dossier(product, kind=DossierKind.FIRST, actor=user)
    dossier = fill_dossier(dossier, user)
    return submit_dossier(dossier, actor=user, expected_version=dossier.version)


def forward_as(dossier, officer):
    """Receive, review (Mẫu 03) and forward ``dossier`` as the commune ``officer``."""
    dossier = receive_dossier(dossier, actor=officer, completeness=ALL_CHECKS, expected_version=dossier.version)
    save_commune_review(
        dossier,
        actor=officer,
        topics=full_review_topics(),
        expected_version=dossier.version,
        proposal="Đề nghị tỉnh đánh giá.",
        letter_number="7/UBND",
        letter_date=timezone.localdate(),
        signer_name="Lê Văn Cường",
        signer_position="Chủ tịch UBND",
    )
    dossier.refresh_from_db()
    return forward_dossier(dossier, actor=officer, expected_version=dossier.version)


def page_version(response, form_testid: str) -> int:
    """The dossier version a form of the page carries (what a browser would send back)."""
    content = response.content.decode()
    start = content.index(f'data-testid="{form_testid}"')
    form = content[start : content.index("</form>", start)]
    return int(re.search(r'name="version" value="(\d+)"', form).group(1))


def review_data(version: int, *, complete: bool = True, **extra) -> dict:
    data = {
        "version": version,
        "meeting_held": "on",
        "meeting_on": timezone.localdate().strftime("%d/%m/%Y"),
        "meeting_notes": "Họp thôn, 12 hộ dự.",
        "proposal": "Đề nghị Sở đánh giá, phân hạng sản phẩm Rau cải Yên Thế.",
        "letter_number": "45/UBND-KT",
        "letter_date": timezone.localdate().strftime("%d/%m/%Y"),
        "signer_name": "Trần Thị Bình",
        "signer_position": "Chủ tịch UBND xã",
    }
    for topic in CommuneTopic:
        data[f"{topic.value}_assessment"] = f"Nhận xét về {topic.value}."
        data[f"{topic.value}_conclusion"] = "met"
    if not complete:
        for key in ("labour_assessment", "labour_conclusion", "proposal", "signer_name"):
            data[key] = ""
    data.update(extra)
    return data


def expected_round(day: dt.date) -> tuple[int, int]:
    """(year, round) of the first provincial round whose proposal cut-off is on or after ``day``,
    read from the round calendar of the legal basis (26/2026 Art. 5: 30/4 and 30/10)."""
    calendar = effective_parameters(get_legal_basis(BASIS), day)["round_calendar"]
    rounds = sorted((entry for entry in calendar if entry["level"] == "province"), key=lambda e: e["proposals_by"])
    for year in (day.year, day.year + 1):
        for entry in rounds:
            month, dom = map(int, entry["proposals_by"].split("-"))
            if day <= dt.date(year, month, dom):
                return year, entry["round"]
    raise AssertionError("no round")


@pytest.fixture
def bo_ha(units):
    """A producer in Xã Bố Hạ (Bắc Ninh, another commune) with its account."""
    producer = ProducerFactory(address_unit=units.bo_ha, name="HTX Chè Bố Hạ")
    user = make_user_with_role("producer", units.bo_ha, producer=producer)
    return classified_product(producer, name="Chè Bố Hạ"), user


@pytest.fixture
def hong_linh(units):
    """A producer in Phường Bắc Hồng Lĩnh (Hà Tĩnh, another province), its account and commune officer."""
    producer = ProducerFactory(address_unit=units.bac_hong_linh, name="HTX Hồng Lĩnh")
    return (
        classified_product(producer, name="Mật ong Hồng Lĩnh"),
        make_user_with_role("producer", units.bac_hong_linh, producer=producer),
        make_user_with_role("commune-officer", units.bac_hong_linh),
    )


# ---------------------------------------------------------------------------------------------
# Commune inbox
# ---------------------------------------------------------------------------------------------


def _rows(response, testid: str = "inbox-row") -> list[str]:
    content = response.content.decode()
    return [
        text_of(content[match.end() : content.index("</tr>", match.end())])
        for match in re.finditer(f'data-testid="{testid}"[^>]*>', content)
    ]


def test_the_inbox_lists_only_the_officers_communes_submitted_dossiers_with_the_countdown(login, world, bo_ha, english):
    mine = in_state(world, S.SUBMITTED)
    classified_draft = create_dossier(
        classified_product(world.producer, name="Mật ong Yên Thế"), kind=DossierKind.FIRST, actor=world.producer_user
    )
    theirs = submit_new(*bo_ha)
    year = timezone.localdate().year

    response = login(world.commune_officer).get(reverse("dossiers:commune_inbox"))
    assert response.status_code == 200
    assert [dossier for dossier, _deadline in response.context["rows"]] == [mine]
    (row,) = _rows(response)
    assert row.startswith(f"1/PĐK-24-07288-{year} Rau cải Yên Thế HTX Nông sản Yên Thế First-time evaluation")
    days = effective_parameters(mine.legal_basis, timezone.localdate())["commune_review_working_days"]
    assert working_calendar().working_days_left(mine.due_on, timezone.localdate()) == days == 15
    assert element_text(response, "deadline", closing="</td>") == (f"{mine.due_on:%d/%m/%Y} ({days} working days left)")
    assert not has_testid(response, "overdue-count")

    other = login(world.other_commune_officer).get(reverse("dossiers:commune_inbox"))
    assert [dossier for dossier, _deadline in other.context["rows"]] == [theirs]
    assert theirs.receipt_number == f"1/PĐK-24-07294-{year}"
    assert classified_draft.state == S.DRAFT  # never in an inbox


def test_the_inbox_flags_overdue_dossiers(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    calendar = working_calendar()
    today = timezone.localdate()
    due = today - dt.timedelta(days=10)
    type(dossier).objects.filter(pk=dossier.pk).update(due_on=due)  # received long ago
    late = -calendar.working_days_left(due, today)
    response = login(world.commune_officer).get(reverse("dossiers:commune_inbox"))
    assert response.context["overdue"] == 1
    assert element_text(response, "overdue-count", closing="</span>") == "1 overdue"
    assert element_text(response, "deadline", closing="</td>") == (
        f"{due:%d/%m/%Y} overdue by {late} working day{'s' if late != 1 else ''}"
    )
    assert 'class="table-danger"' in response.content.decode()


def test_the_inbox_is_empty_for_a_commune_without_dossiers(login, world, english):
    in_state(world, S.DRAFT)
    response = login(world.commune_officer).get(reverse("dossiers:commune_inbox"))
    assert element_text(response, "empty") == "No dossiers are waiting for the commune."


# ---------------------------------------------------------------------------------------------
# Receive, return, resubmit
# ---------------------------------------------------------------------------------------------


def test_receiving_without_every_check_is_refused(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    client = login(world.commune_officer)
    page = client.get(detail_url(dossier))
    assert has_testid(page, "receive-form")
    data = {"version": page_version(page, "receive-form"), "registration_form": "on", "self_assessment": "on"}
    response = client.post(url("dossier_receive", dossier), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(dossier)
    assert messages_of(response) == [
        "Tick every completeness check, or return the dossier for completion instead.",
        "Bản sao các giấy tờ pháp lý",
        "Mẫu sản phẩm (trừ sản phẩm dịch vụ du lịch)",
    ]
    saved = fresh(dossier)
    assert (saved.state, saved.version) == (S.SUBMITTED, dossier.version)
    assert not CommuneReview.objects.filter(dossier=dossier).exists()


def test_receiving_with_every_check_opens_the_review(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    client = login(world.commune_officer)
    response = client.post(url("dossier_receive", dossier), {"version": dossier.version, **ALL_CHECKS})
    assert response.status_code == 302
    assert response["Location"] == url("commune_review", dossier)
    assert messages_of(response) == ["The dossier has been received; assess the four contents next."]
    saved = fresh(dossier)
    assert saved.state == S.COMMUNE_REVIEW
    assert saved.commune_review.completeness == dict.fromkeys(ALL_CHECKS, True)
    assert saved.commune_review.reviewer == world.commune_officer


@pytest.mark.parametrize("reasons", ["", "   \n \n  "])
def test_returning_without_reasons_is_refused(login, world, english, reasons):
    dossier = in_state(world, S.SUBMITTED)
    response = login(world.commune_officer).post(
        url("dossier_return", dossier), {"version": dossier.version, "reasons": reasons}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["This field is required."]
    saved = fresh(dossier)
    assert (saved.state, saved.version) == (S.SUBMITTED, dossier.version)
    assert not DossierEvent.objects.filter(dossier=dossier, to_state=S.RETURNED).exists()


def test_a_return_shows_the_reasons_to_the_producer(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    reasons = "Bổ sung ảnh vùng nguyên liệu\n\n  Bổ sung hợp đồng   liên kết  \n"
    response = login(world.commune_officer).post(
        url("dossier_return", dossier), {"version": dossier.version, "reasons": reasons, "note": "Hạn 10 ngày."}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["The dossier has been returned with the reasons given."]
    saved = fresh(dossier)
    assert saved.state == S.RETURNED
    event = saved.events.get(to_state=S.RETURNED)
    assert event.reasons == ["Bổ sung ảnh vùng nguyên liệu", "Bổ sung hợp đồng liên kết"]
    assert (event.from_state, event.note, event.actor) == (S.SUBMITTED, "Hạn 10 ngày.", world.commune_officer)

    page = login(world.producer_user).get(detail_url(dossier))
    shown = element_text(page, "return-reasons")
    today = timezone.localdate()
    assert shown.startswith(f"The commune asks you to complete the dossier ({today:%d/%m/%Y})")
    assert "Bổ sung ảnh vùng nguyên liệu Bổ sung hợp đồng liên kết Hạn 10 ngày." in shown
    assert element_text(page, "state", closing="</span>") == "Returned by the commune"
    assert has_testid(page, "continue")  # editable again


def test_a_resubmission_is_flagged_in_the_inbox_with_the_changed_sections(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    receipt = dossier.receipt_number
    officer = login(world.commune_officer)
    officer.post(url("dossier_return", dossier), {"version": dossier.version, "reasons": "Bổ sung thị trường"})
    producer = login(world.producer_user)
    version = fresh(dossier).version
    saved = producer.post(step_url(dossier, "results"), {"version": version, "markets": "Thêm 2 siêu thị ở Hà Nội."})
    assert saved.status_code == 302
    producer.post(
        reverse("dossiers:dossier_evidence", args=[dossier.pk]),
        {"criterion": "1.1", "file": pdf_upload("hop-dong-sieu-thi.pdf")},
    )
    # While returned, the producer sees what changed since the submission.
    returned_page = producer.get(detail_url(dossier))
    assert element_text(returned_page, "changed-sections") == (
        "Changed since the last submission: business_results evidence"
    )
    response = producer.post(url("dossier_submit", dossier), {"version": fresh(dossier).version})
    assert messages_of(response) == ["The dossier has been submitted."]
    resubmitted = fresh(dossier)
    assert (resubmitted.state, resubmitted.submission_count, resubmitted.receipt_number) == (S.SUBMITTED, 2, receipt)
    event = resubmitted.events.filter(to_state=S.SUBMITTED).order_by("at", "pk").last()
    assert (event.from_state, event.changed_sections) == (S.RETURNED, ["business_results", "evidence"])

    inbox = officer.get(reverse("dossiers:commune_inbox"))
    (row,) = _rows(inbox)
    assert "resubmitted" in row
    detail = officer.get(detail_url(dossier))
    timeline = element_text(detail, "timeline", closing="</ol>")
    assert "Changed: business_results, evidence" in timeline
    evidence = element_text(detail, "evidence-list", closing="</ul>")
    assert "hop-dong-sieu-thi.pdf new" in evidence  # the file that came with this submission
    assert "giay-dang-ky.pdf new" not in evidence


# ---------------------------------------------------------------------------------------------
# Mẫu 03 and forwarding
# ---------------------------------------------------------------------------------------------


def test_the_review_page_links_the_four_contents_to_the_criteria(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    dossier = receive_dossier(
        dossier, actor=world.commune_officer, completeness=ALL_CHECKS, expected_version=dossier.version
    )
    response = login(world.commune_officer).get(url("commune_review", dossier))
    assert response.status_code == 200
    linked = response.context["linked"]
    assert {topic: [row["code"] for row in rows] for topic, rows in linked.items()} == {
        "raw_material": ["1.1"],
        "labour": ["3.3"],
        "idea": ["2.1"],
        "identity": ["5.3"],
    }
    assert all(row["option"] is not None for rows in linked.values() for row in rows)  # scored by the producer
    for topic in CommuneTopic:
        assert has_testid(response, f"topic-{topic.value}")
    assert has_testid(response, "forward")


def test_saving_the_review_then_forwarding(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    client = login(world.commune_officer)
    client.post(url("dossier_receive", dossier), {"version": dossier.version, **ALL_CHECKS}, follow=True)
    page = client.get(url("commune_review", dossier))
    response = client.post(url("commune_review", dossier), review_data(page_version(page, "review-form"), save="1"))
    assert response.status_code == 302
    assert response["Location"] == url("commune_review", dossier)
    assert messages_of(response) == ["The commune review has been saved."]
    review = CommuneReview.objects.get(dossier=dossier)
    assert review.topic("labour") == {"assessment": "Nhận xét về labour.", "conclusion": "met"}
    assert (review.letter_number, review.letter_date, review.meeting_on) == (
        "45/UBND-KT",
        timezone.localdate(),
        timezone.localdate(),
    )
    assert fresh(dossier).state == S.COMMUNE_REVIEW

    page = client.get(response["Location"])
    response = client.post(url("commune_review", dossier), review_data(page_version(page, "review-form"), forward="1"))
    assert response.status_code == 302
    assert response["Location"] == detail_url(dossier)
    assert messages_of(response) == [
        "The commune review has been saved.",
        "The dossier has been forwarded to the province.",
    ]
    forwarded = fresh(dossier)
    assert forwarded.state == S.FORWARDED
    assert forwarded.forwarded_at is not None
    local_day = timezone.localtime(forwarded.forwarded_at).date()
    assert (forwarded.target_round_year, forwarded.target_round_number) == expected_round(local_day)


def test_forwarding_an_incomplete_review_lists_what_is_missing(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    client = login(world.commune_officer)
    client.post(url("dossier_receive", dossier), {"version": dossier.version, **ALL_CHECKS}, follow=True)
    page = client.get(url("commune_review", dossier))
    data = review_data(page_version(page, "review-form"), complete=False, forward="1")
    response = client.post(url("commune_review", dossier), data)
    assert response.status_code == 302
    assert response["Location"] == url("commune_review", dossier)
    assert messages_of(response) == [
        "The commune review has been saved.",
        "The commune review is not complete; nothing was forwarded.",
        "Mẫu 03: write the assessment of “Use of local labour”.",
        "Mẫu 03: choose a conclusion for “Use of local labour”.",
        "Mẫu 03: write the proposal to the province.",
        "Proposal letter: enter who signs it.",
    ]
    saved = fresh(dossier)
    assert (saved.state, saved.forwarded_at) == (S.COMMUNE_REVIEW, None)
    assert CommuneReview.objects.get(dossier=dossier).proposal == ""  # the draft review was kept


def test_forwarding_without_any_review_asks_for_it(login, world, english):
    dossier = in_state(world, S.SUBMITTED)
    dossier = receive_dossier(
        dossier, actor=world.commune_officer, completeness=ALL_CHECKS, expected_version=dossier.version
    )
    CommuneReview.objects.filter(dossier=dossier).delete()
    response = login(world.commune_officer).post(url("dossier_forward", dossier), {"version": dossier.version})
    assert messages_of(response) == [
        "The commune review is not complete; nothing was forwarded.",
        "Write the commune review (Mẫu 03) first.",
    ]
    assert fresh(dossier).state == S.COMMUNE_REVIEW


def test_a_review_letter_dated_in_the_future_is_refused(login, world, english):
    dossier = in_state(world, S.COMMUNE_REVIEW)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    data = review_data(dossier.version, letter_date=tomorrow, meeting_on="", save="1")
    response = login(world.commune_officer).post(url("commune_review", dossier), data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "meeting_on": ["Enter the date of the meeting."],
        "letter_date": ["The letter date cannot be in the future."],
    }
    assert fresh(dossier).version == dossier.version


def test_the_review_is_read_only_once_forwarded(login, world, english):
    dossier = in_state(world, S.FORWARDED)
    client = login(world.commune_officer)
    page = client.get(url("commune_review", dossier))
    assert page.status_code == 200
    assert not has_testid(page, "save-review")
    response = client.post(url("commune_review", dossier), review_data(dossier.version, save="1"))
    assert response.status_code == 409
    assert (
        "The commune review can be written only while the dossier is under review "
        "(now: Forwarded to the province)." in text_of(response.content)
    )
    assert fresh(dossier).version == dossier.version


# ---------------------------------------------------------------------------------------------
# Province intake
# ---------------------------------------------------------------------------------------------


def test_the_intake_lists_only_the_provinces_forwarded_dossiers(login, world, bo_ha, hong_linh, units, english):
    ours = in_state(world, S.FORWARDED)
    submit_new(*bo_ha)  # Bắc Ninh too, but still at the commune
    product, producer_user, officer = hong_linh
    theirs = forward_as(submit_new(product, producer_user), officer)

    response = login(world.province_officer).get(reverse("dossiers:province_inbox"))
    assert response.status_code == 200
    assert response.context["rows"] == [ours]
    (row,) = _rows(response, "intake-row")
    year, number = expected_round(timezone.localtime(ours.forwarded_at).date())
    assert (ours.target_round_year, ours.target_round_number) == (year, number)
    assert row == (
        f"{ours.receipt_number} Rau cải Yên Thế HTX Nông sản Yên Thế · First-time evaluation "
        f"{ours.commune.name} {timezone.localtime(ours.forwarded_at):%d/%m/%Y} Round {number}/{year}"
    )

    other = login(world.other_province_officer).get(reverse("dossiers:province_inbox"))
    assert other.context["rows"] == [theirs]
    assert theirs.receipt_number == f"1/PĐK-42-18115-{timezone.localdate().year}"


def test_accepting_sets_the_round_from_the_legal_calendar(login, world, english):
    dossier = in_state(world, S.FORWARDED)
    client = login(world.province_officer)
    page = client.get(detail_url(dossier))
    assert has_testid(page, "accept-form")
    response = client.post(url("dossier_accept", dossier), {"version": page_version(page, "accept-form")})
    assert response.status_code == 302
    assert messages_of(response) == ["The dossier has been accepted for evaluation."]
    accepted = fresh(dossier)
    assert accepted.state == S.ACCEPTED
    assert accepted.accepted_at is not None
    year, number = expected_round(timezone.localtime(accepted.forwarded_at).date())
    assert (accepted.target_round_year, accepted.target_round_number) == (year, number)
    detail = client.get(detail_url(dossier))
    assert element_text(detail, "target-round", closing="</dd>") == f"Round {number}/{year}"
    assert element_text(detail, "state", closing="</span>") == "Accepted by the province"
    assert client.get(reverse("dossiers:province_inbox")).context["rows"] == []


def test_years_are_shown_without_a_thousands_separator(login, world, english):
    """USE_THOUSAND_SEPARATOR must not turn 2027 into “2,027” (vi: “2.027”)."""
    dossier = in_state(world, S.FORWARDED)
    year, number = dossier.target_round_year, dossier.target_round_number
    client = login(world.province_officer)
    detail = client.get(detail_url(dossier))
    intake = client.get(reverse("dossiers:province_inbox"))
    listing = client.get(reverse("dossiers:dossier_list"))
    assert element_text(detail, "target-round", closing="</dd>") == f"Round {number}/{year}"
    assert _rows(intake, "intake-row")[0].endswith(f" Round {number}/{year}")
    assert f"Round year {dossier.year} " in _rows(listing, "dossier-row")[0]
    assert f'<dd class="col-sm-8">{dossier.year}</dd>' in detail.content.decode()
    vietnamese = login(world.province_officer, language="vi").get(detail_url(dossier))
    assert element_text(vietnamese, "target-round", closing="</dd>").endswith(f" {number}/{year}")


def test_a_province_return_goes_straight_back_to_the_province_on_resubmission(login, world, english):
    dossier = in_state(world, S.FORWARDED)
    receipt, submissions = dossier.receipt_number, dossier.submission_count
    province = login(world.province_officer)
    response = province.post(
        url("dossier_return", dossier), {"version": dossier.version, "reasons": "Bổ sung phiếu kiểm nghiệm"}
    )
    assert messages_of(response) == ["The dossier has been returned with the reasons given."]
    assert fresh(dossier).state == S.PROVINCE_RETURNED
    assert province.get(reverse("dossiers:province_inbox")).context["rows"] == []

    producer = login(world.producer_user)
    page = producer.get(detail_url(dossier))
    shown = element_text(page, "return-reasons")
    assert shown.startswith("The province asks you to complete the dossier")
    assert "Bổ sung phiếu kiểm nghiệm" in shown
    producer.post(
        reverse("dossiers:dossier_evidence", args=[dossier.pk]),
        {"paper": "quality_declaration", "file": pdf_upload("phieu-kiem-nghiem.pdf")},
        follow=True,
    )
    review = producer.get(step_url(dossier, "review"))
    assert element_text(review, "submit", closing="</button>") == "Submit again to the province"
    response = producer.post(url("dossier_submit", dossier), {"version": fresh(dossier).version})
    assert messages_of(response) == ["The dossier has been submitted."]

    back = fresh(dossier)
    assert back.state == S.FORWARDED
    assert (back.receipt_number, back.submission_count) == (receipt, submissions + 1)
    event = back.events.order_by("at", "pk").last()
    assert (event.from_state, event.to_state, event.changed_sections) == (
        S.PROVINCE_RETURNED,
        S.FORWARDED,
        ["evidence"],
    )
    assert province.get(reverse("dossiers:province_inbox")).context["rows"] == [back]
    commune = login(world.commune_officer).get(reverse("dossiers:commune_inbox"))
    assert commune.context["rows"] == []


# ---------------------------------------------------------------------------------------------
# Two officers at once
# ---------------------------------------------------------------------------------------------


def test_two_commune_officers_at_once_the_second_is_told_and_changes_nothing(login, world, units, english):
    dossier = in_state(world, S.SUBMITTED)
    first = login(world.commune_officer)
    second = login(make_user_with_role("commune-officer", units.yen_the))
    first_page, second_page = first.get(detail_url(dossier)), second.get(detail_url(dossier))
    version = page_version(first_page, "receive-form")
    assert page_version(second_page, "return-form") == version

    received = first.post(url("dossier_receive", dossier), {"version": version, **ALL_CHECKS})
    assert received["Location"] == url("commune_review", dossier)
    returned = second.post(url("dossier_return", dossier), {"version": version, "reasons": "Thiếu mẫu"})
    assert returned.status_code == 302
    assert messages_of(returned) == [STALE % {"state": "Under commune review"}]

    saved = fresh(dossier)
    assert (saved.state, saved.version) == (S.COMMUNE_REVIEW, version + 1)
    events = list(saved.events.exclude(from_state=S.DRAFT, to_state=S.DRAFT).values_list("to_state", flat=True))
    assert events == [S.SUBMITTED, S.COMMUNE_REVIEW]


def test_two_province_officers_at_once_the_second_is_told_and_changes_nothing(login, world, units, english):
    dossier = in_state(world, S.FORWARDED)
    first = login(world.province_officer)
    second = login(make_user_with_role("province-agency", units.bac_ninh))
    version = page_version(first.get(detail_url(dossier)), "accept-form")
    assert page_version(second.get(detail_url(dossier)), "return-form") == version

    assert first.post(url("dossier_accept", dossier), {"version": version}).status_code == 302
    returned = second.post(url("dossier_return", dossier), {"version": version, "reasons": "Thiếu phiếu kiểm nghiệm"})
    assert messages_of(returned) == [STALE % {"state": "Accepted by the province"}]

    saved = fresh(dossier)
    assert saved.state == S.ACCEPTED
    assert not saved.events.filter(to_state=S.PROVINCE_RETURNED).exists()
    assert saved.events.filter(to_state=S.ACCEPTED).count() == 1
