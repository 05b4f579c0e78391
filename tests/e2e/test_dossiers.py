"""The evaluation dossier in the browser (Decision 26/2026: Mẫu 01, Mẫu 02 Parts I–IV, Mẫu 03).

A demo producer fills the wizard and submits, the commune officer checks completeness, writes the
Mẫu 03 review and forwards, the province accepts; a commune return and the resubmission; the wizard
and the evidence page on a phone; a disguised executable refused at upload.

The flows use two demo products of "HTX Nông nghiệp xanh Yên Thế" and the page checks a draft of
a third (a product has at most one open dossier), so the tests do not depend on each other's order.
Expectations come from the demo data (``ocop.demo.data``), the
sheet files (``evaluation/data/rubrics``), the legal-basis data (``legal/data/legal_bases.json``)
and the dossier-form data (``dossiers/data/forms``), not from the app under test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

import ocop.dossiers
import ocop.legal
from ocop.demo.data import DEMO_USERS, PRODUCERS
from ocop.evaluation.engine import Sheet
from ocop.evaluation.rubric_io import apply_errata, load_errata, read_yaml, sheet_files, sheet_from_data
from tests.e2e import vi
from tests.e2e.conftest import BrowserErrors
from tests.factories.dossiers import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_writes]

BASIS = "26/2026/QĐ-TTg"
PHONE = {"width": 390, "height": 844}
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PRODUCER = "chuthe_yenthe"
COMMUNE_OFFICER = "xa_yenthe"
PROVINCE_OFFICER = "tinh_bacninh"
# HTX Nông nghiệp xanh Yên Thế, in Xã Yên Thế (07288), Bắc Ninh (24): receipt numbers carry both codes.
RECEIPT = r"\d+/PĐK-24-07288-{year}"
PRODUCTS = {product["name"]: product for product in PRODUCERS[0]["products"]}
# (The demo data has a dossier of "Chả gà Yên Thế" waiting at the commune already.)
# Its 3★ of 2022 expired on 20/12/2025: a first-time dossier again (the main flow).
MAIN_PRODUCT = "Gà đồi Yên Thế (hồ sơ 2022)"
# 3★ valid until 2028: an upgrade (the return loop).
RETURNED_PRODUCT = "Giò gà Yên Thế"
# 4★ valid until 2028: an upgrade (the phone and upload checks only need a draft).
DRAFT_PRODUCT = "Gà đồi Yên Thế đóng gói hút chân không"

FORMS = yaml.safe_load((Path(ocop.dossiers.__file__).parent / "data" / "forms" / "26-2026.yaml").read_text())
REQUIRED_PAPER = "business_registration"
assert any(paper["key"] == REQUIRED_PAPER and paper["required"] for paper in FORMS["legal_papers"])
TOPICS = ("raw_material", "labour", "idea", "identity")  # Mẫu 03 Section II, Art. 7.2a

# A Windows executable ("MZ" header) named as a PDF.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
YEAR_GROUPED = re.compile(r"\b(\d)\.(\d{3})\b")
CONTENT_MISMATCH = (
    "The content of this file does not match its type: the name ends in “.%(extension)s” "
    "but the content is of type %(detected)s."
)


# ---------------------------------------------------------------------------------------------
# Expectations from the data
# ---------------------------------------------------------------------------------------------
def _sheet(number: int) -> Sheet:
    path = next(path for path in sheet_files(BASIS) if path.name == f"sheet-{number:02d}.yaml")
    data, _applied = apply_errata(read_yaml(path.read_text(encoding="utf-8")), load_errata(BASIS))
    return sheet_from_data(data)


def _today() -> dt.date:
    return dt.datetime.now(TZ).date()


def _state(value: str) -> str:
    labels = {
        "submitted": "Submitted to the commune",
        "commune_review": "Under commune review",
        "returned": "Returned by the commune",
        "forwarded": "Forwarded to the province",
        "accepted": "Accepted by the province",
    }
    return vi(labels[value], "dossier state")


def _vi_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("vi"):
        return translation.ngettext(singular, plural, count) % {"days": count}


def _proposed_round(day: dt.date) -> str:
    """“Round n/yyyy”: the first provincial round whose proposal cut-off is on or after ``day``."""
    bases = json.loads((Path(ocop.legal.__file__).parent / "data" / "legal_bases.json").read_text())
    basis = next(item for item in bases["legal_bases"] if item["code"] == BASIS)
    cutoffs = sorted(
        (entry["proposals_by"], entry["round"])
        for entry in basis["parameters"]["round_calendar"]
        if entry["level"] == "province"
    )
    for year in (day.year, day.year + 1):
        for proposals_by, number in cutoffs:
            month, dom = map(int, proposals_by.split("-"))
            if day <= dt.date(year, month, dom):
                return vi("Round %(number)s/%(year)s") % {"number": number, "year": year}
    raise AssertionError("no provincial round in the calendar")


# ---------------------------------------------------------------------------------------------
# Browser helpers
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def open_as(
    browser: Browser, browser_context_args: dict, _sessions: Callable[[str], list]
) -> Iterator[Callable[[str], Page]]:
    """``open_as("xa_yenthe")``: a page in a new browser context with the user's session (signed in
    through the login form once per run, see ``conftest._sessions``), whose console errors, uncaught
    exceptions and failed requests fail the test like ``page``'s."""
    opened: list[tuple[object, BrowserErrors]] = []

    def open_page(username: str) -> Page:
        context = browser.new_context(**browser_context_args)
        context.add_cookies(_sessions(username))
        page = context.new_page()
        errors = BrowserErrors()
        page.on("console", errors.on_console)
        page.on("pageerror", errors.on_page_error)
        page.on("response", errors.on_response)
        page.on("requestfailed", errors.on_request_failed)
        opened.append((context, errors))
        return page

    yield open_page
    problems = [error for _context, errors in opened for error in errors.unexpected()]
    for context, _errors in opened:
        context.close()
    assert not problems, "The browser reported errors:\n  " + "\n  ".join(problems)


def _expect_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"


def _expect_round(locator, expected: str) -> None:
    """The proposed round, read as a person does: a year printed with a thousands separator
    ("2.027") is forgiven here and pinned by ``test_years_are_printed_as_years`` instead."""
    expect(locator).to_have_text(re.compile(r"\S"))
    assert YEAR_GROUPED.sub(r"\1\2", locator.inner_text().strip()) == expected


def _open_dossiers(page: Page) -> None:
    """“Dossiers” from the main navigation (collapsed behind the toggler on a phone)."""
    page.goto("/criteria/")  # a light page with the navigation
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    link = page.get_by_test_id("nav").locator('a.nav-link[href="/dossiers/"]')
    expect(link).to_have_text(vi("Dossiers"))
    link.click()
    expect(page).to_have_url(re.compile(r"/dossiers/$"))


def _create_dossier(page: Page, product: str, kind: str = "first") -> None:
    page.get_by_test_id("new-dossier").click()
    form = page.get_by_test_id("dossier-create-form")
    form.locator("select[name=product]").select_option(label=product)
    form.locator("select[name=kind]").select_option(kind)
    expect(form.locator("input[name=year]")).to_have_value(str(_today().year))
    page.get_by_test_id("create").click()
    expect(page.get_by_test_id("message").first).to_contain_text(
        vi("The draft dossier has been created; it is saved as you go.")
    )
    expect(page.get_by_test_id("step-registration")).to_have_attribute("aria-current", "step")
    expect(page.get_by_test_id("dossier-title")).to_contain_text(product)
    expect(page.get_by_test_id("state")).to_have_text(vi("Draft", "dossier state"))


def _save_and_continue(page: Page, next_step: str) -> None:
    page.get_by_test_id("save-next").click()
    expect(page.get_by_test_id(f"step-{next_step}")).to_have_attribute("aria-current", "step")
    expect(page.get_by_test_id("message").first).to_have_text(vi("Saved."))


def _fill_registration(page: Page, product: str) -> None:
    form = page.get_by_test_id("step-form")
    # Prefilled from the producer's record; every required field is filled in again as a user would.
    expect(form.locator("input[name=unit_name]")).to_have_value(PRODUCERS[0]["name"])
    expect(form.locator("input[name=product_name]")).to_have_value(product)
    form.locator("input[name=representative_name]").fill("Nguyễn Thị Hoa")
    form.locator("input[name=representative_position]").fill("Giám đốc")
    form.locator("input[name=address]").fill("Thôn Hố Cát, xã Yên Thế")
    form.locator("input[name=phone]").fill("0204 3876 123")
    form.locator("input[name=sample_count]").fill("5")
    form.locator("input[name=declaration_accepted]").check()
    _save_and_continue(page, "general")


def _attach_pdf(page: Page, paper: str, name: str) -> None:
    """From the general step: the paper's evidence page, upload a PDF, back to the step."""
    page.get_by_test_id(f"paper-evidence-{paper}").click()
    expect(page.get_by_test_id("no-evidence")).to_be_visible()
    page.get_by_test_id("file-input").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("message").first).to_have_text(vi("The evidence has been attached."))
    items = page.get_by_test_id("evidence-items").locator("li")
    expect(items).to_have_count(1)
    expect(items).to_contain_text(name)
    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("step-general")).to_have_attribute("aria-current", "step")
    expect(page.get_by_test_id(f"paper-evidence-{paper}")).to_contain_text("(1)")


def _fill_general(page: Page) -> None:
    _attach_pdf(page, REQUIRED_PAPER, "giay-dang-ky-htx.pdf")
    form = page.get_by_test_id("step-form")
    form.locator("input[name=legal_form]").fill("Hợp tác xã")
    form.locator("input[name=representative_gender]").fill("Nữ")
    form.locator("input[name=representative_ethnicity]").fill("Kinh")
    form.locator("textarea[name=specification]").fill("Hộp 500 g; TCCS 02:2026/HTXXYT")
    form.locator(f"input[name=paper_{REQUIRED_PAPER}]").fill("2407A0123, 12/05/2016, Phòng Tài chính - Kế hoạch")
    _save_and_continue(page, "results")


def _fill_results(page: Page) -> None:
    form = page.get_by_test_id("step-form")
    form.locator("textarea[name=markets]").fill("Bán tại chợ huyện và 3 siêu thị ở Bắc Ninh.")
    form.locator("textarea[name=revenue]").fill("Doanh thu năm 2025: 1,2 tỷ đồng.")
    _save_and_continue(page, "scoring")


def _choose(page: Page, code: str, position: int) -> None:
    """Click the label of option ``position`` (from 1) of criterion ``code``, as a user does."""
    page.locator(f'fieldset[data-code="{code}"] .form-check').nth(position - 1).locator("label").click()


def _best(sheet: Sheet, code: str) -> tuple[int, object]:
    options = sheet.leaf(code).options
    position, option = max(enumerate(options, start=1), key=lambda pair: pair[1].points)
    return position, option.points


def _fill_scoring(page: Page, sheet: Sheet, *, check_live_total: bool = False) -> None:
    leaves = sheet.leaves()
    expect(page.get_by_test_id("assess-criterion")).to_have_count(len(leaves))
    if check_live_total:
        # Nothing saved yet: 0 points; the first choice updates the total through htmx.
        expect(page.get_by_test_id("total")).to_have_text("0")
        first = leaves[0].code
        position, points = _best(sheet, first)
        _choose(page, first, position)
        expect(page.get_by_test_id("total")).to_have_text(f"{points:g}")
    for leaf in leaves:
        _choose(page, leaf.code, _best(sheet, leaf.code)[0])
    expect(page.get_by_test_id("total")).to_have_text("100")
    expect(page.get_by_test_id("proposed-star")).to_contain_text("5★")
    expect(page.get_by_test_id("missing")).to_have_count(0)
    _save_and_continue(page, "plan")


def _fill_plan(page: Page) -> None:
    page.get_by_test_id("step-form").locator("textarea[name=production]").fill("Mở rộng sản lượng lên 20 tấn/năm.")
    _save_and_continue(page, "review")


def _submit(page: Page) -> str:
    """On the review step: everything required is there; submit; returns the receipt number."""
    expect(page.get_by_test_id("review-ready")).to_have_text(
        vi("The dossier has everything required. Check the documents, then submit it to the commune.")
    )
    expect(page.get_by_test_id("review-missing")).to_have_count(0)
    submit = page.get_by_test_id("submit")
    expect(submit).to_be_enabled()
    expect(submit).to_have_text(vi("Submit to the commune"))
    submit.click()
    expect(page.get_by_test_id("message").first).to_have_text(vi("The dossier has been submitted."))
    expect(page.get_by_test_id("state")).to_have_text(_state("submitted"))
    receipt = page.get_by_test_id("receipt-number")
    expect(receipt).to_have_text(re.compile("^" + RECEIPT.format(year=_today().year) + "$"))
    return receipt.inner_text()


def _file_complete_dossier(page: Page, product: str, *, kind: str = "first", check_live_total: bool = False) -> str:
    """As the signed-in producer: create, fill every step and submit; returns the receipt number."""
    _open_dossiers(page)
    _create_dossier(page, product, kind)
    _fill_registration(page, product)
    _fill_general(page)
    _fill_results(page)
    _fill_scoring(page, _sheet(PRODUCTS[product]["sheet"]), check_live_total=check_live_total)
    _fill_plan(page)
    return _submit(page)


def _inbox_row(page: Page, receipt: str):
    page.goto("/dossiers/")
    page.get_by_test_id("inbox-link").click()
    row = page.get_by_test_id("inbox-row").filter(has=page.get_by_role("link", name=receipt, exact=True))
    expect(row).to_have_count(1)
    return row


def _open_draft(page: Page, product: str, kind: str, *, via_nav: bool = False) -> int:
    """The producer's draft dossier of ``product`` (created the first time); returns its id."""
    if via_nav:
        _open_dossiers(page)
    else:
        page.goto("/dossiers/")
    row = page.get_by_test_id("dossier-row").filter(has=page.get_by_role("link", name=product, exact=True))
    if row.count():
        row.get_by_role("link", name=product, exact=True).click()
        expect(page.get_by_test_id("state")).to_have_text(vi("Draft", "dossier state"))
    else:
        _create_dossier(page, product, kind)
    match = re.search(r"/dossiers/(\d+)/", page.url)
    assert match, page.url
    return int(match[1])


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------
def test_dossier_from_draft_to_accepted_by_the_province(page: Page, sign_in_as, open_as, shot) -> None:
    sign_in_as(PRODUCER)
    receipt = _file_complete_dossier(page, MAIN_PRODUCT, check_live_total=True)
    expect(page.get_by_test_id("self-score")).to_contain_text("100")
    shot("submitted")

    # The commune officer: the inbox shows the dossier and the commune's 15 working days.
    commune = open_as(COMMUNE_OFFICER)
    row = _inbox_row(commune, receipt)
    expect(row).to_contain_text(MAIN_PRODUCT)
    expect(row.get_by_test_id("state")).to_have_text(_state("submitted"))
    deadline = row.get_by_test_id("deadline")
    expect(deadline).to_contain_text(
        _vi_plural("%(days)s working day left", "%(days)s working days left", 15)  # 26/2026 Art. 7.2
    )
    due_on = dt.datetime.strptime(re.search(r"\d\d/\d\d/\d{4}", deadline.inner_text())[0], "%d/%m/%Y").date()
    assert _today() + dt.timedelta(days=15) <= due_on <= _today() + dt.timedelta(days=35), due_on
    shot("inbox", commune)
    row.get_by_role("link", name=receipt, exact=True).click()

    # Completeness: every check of the form definition, then the review starts.
    checks = commune.get_by_test_id("receive-form").locator("input[type=checkbox]")
    expect(checks).to_have_count(len(FORMS["completeness"]))
    for index in range(len(FORMS["completeness"])):
        checks.nth(index).check()
    commune.get_by_test_id("receive").click()
    expect(commune.get_by_test_id("message").first).to_have_text(
        vi("The dossier has been received; assess the four contents next.")
    )
    expect(commune.get_by_test_id("state")).to_have_text(_state("commune_review"))

    # Mẫu 03: the four contents, each beside the criteria it informs, the proposal and the letter.
    review = commune.get_by_test_id("review-form")
    for topic in TOPICS:
        for code in FORMS["commune_topics"]["default"][topic]:
            expect(review.get_by_test_id(f"topic-{topic}")).to_contain_text(f"{vi('Criterion')} {code}.")
        review.locator(f"textarea[name={topic}_assessment]").fill(f"Đạt yêu cầu về nội dung {topic}.")
        review.locator(f"select[name={topic}_conclusion]").select_option("met")
    review.locator("textarea[name=proposal]").fill(f"Đề nghị UBND tỉnh đánh giá, phân hạng sản phẩm {MAIN_PRODUCT}.")
    review.locator("input[name=letter_number]").fill("45/UBND-KT")
    review.locator("input[name=letter_date]").fill(_today().strftime("%d/%m/%Y"))
    review.locator("input[name=signer_name]").fill("Hoàng Văn Nam")
    review.locator("input[name=signer_position]").fill("Chủ tịch UBND xã")
    shot("review", commune)
    commune.get_by_test_id("forward").click()
    expect(commune.get_by_test_id("message").last).to_have_text(vi("The dossier has been forwarded to the province."))
    expect(commune.get_by_test_id("state")).to_have_text(_state("forwarded"))
    expected_round = _proposed_round(_today())
    _expect_round(commune.get_by_test_id("target-round"), expected_round)
    expect(commune.get_by_test_id("doc-mau03")).to_be_visible()

    # The province: the intake lists it with the proposed round; accept.
    province = open_as(PROVINCE_OFFICER)
    province.goto("/dossiers/")
    province.get_by_test_id("intake-link").click()
    intake = province.get_by_test_id("intake-row").filter(has=province.get_by_role("link", name=receipt, exact=True))
    expect(intake).to_have_count(1)
    expect(intake).to_contain_text(MAIN_PRODUCT)
    _expect_round(intake.locator("td").last, expected_round)
    intake.get_by_role("link", name=receipt, exact=True).click()
    province.get_by_test_id("accept").click()
    expect(province.get_by_test_id("message").first).to_have_text(vi("The dossier has been accepted for evaluation."))
    state = province.get_by_test_id("state")
    expect(state).to_have_text(_state("accepted"))
    expect(state).to_have_class(re.compile(r"\btext-bg-success\b"))
    _expect_round(province.get_by_test_id("target-round"), expected_round)
    expect(province.get_by_test_id("accept")).to_have_count(0)
    shot("accepted", province)

    # The producer sees the outcome on the dossier page.
    page.reload()
    expect(page.get_by_test_id("state")).to_have_text(_state("accepted"))
    _expect_round(page.get_by_test_id("target-round"), expected_round)


def test_commune_returns_the_dossier_and_the_producer_resubmits(page: Page, sign_in_as, open_as, shot) -> None:
    sign_in_as(PRODUCER)
    receipt = _file_complete_dossier(page, RETURNED_PRODUCT, kind="upgrade")
    dossier_url = page.url

    commune = open_as(COMMUNE_OFFICER)
    _inbox_row(commune, receipt).get_by_role("link", name=receipt, exact=True).click()
    commune.locator("details").filter(has=commune.get_by_test_id("return-form")).locator("summary").click()
    reasons = ["Bổ sung bản sao giấy chứng nhận VietGAP.", "Ghi rõ doanh thu năm 2025 theo báo cáo tài chính."]
    form = commune.get_by_test_id("return-form")
    form.locator("textarea[name=reasons]").fill("\n".join(reasons))
    form.get_by_test_id("return").click()
    expect(commune.get_by_test_id("message").first).to_have_text(
        vi("The dossier has been returned with the reasons given.")
    )
    expect(commune.get_by_test_id("state")).to_have_text(_state("returned"))

    # The producer sees both reasons, changes Part II only and submits again.
    page.goto(dossier_url)
    expect(page.get_by_test_id("state")).to_have_text(_state("returned"))
    lines = page.get_by_test_id("return-reasons").locator("li")
    expect(lines).to_have_text(reasons)
    shot("returned")
    page.get_by_role("link", name=f"3. {vi('Business results')}", exact=True).click()
    expect(page.get_by_test_id("step-results")).to_have_attribute("aria-current", "step")
    page.get_by_test_id("step-form").locator("textarea[name=revenue]").fill(
        "Doanh thu năm 2025: 1,25 tỷ đồng (báo cáo tài chính đã kiểm toán)."
    )
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("message").first).to_have_text(vi("Saved."))
    page.get_by_test_id("step-review").click()
    expect(page.get_by_test_id("review-ready")).to_be_visible()
    submit = page.get_by_test_id("submit")
    expect(submit).to_have_text(vi("Submit again to the commune"))
    submit.click()
    expect(page.get_by_test_id("state")).to_have_text(_state("submitted"))
    expect(page.get_by_test_id("receipt-number")).to_have_text(receipt)  # the number is kept
    expect(page.get_by_test_id("return-reasons")).to_have_count(0)
    expect(page.get_by_test_id("timeline").locator(":scope > li").last).to_contain_text("business_results")

    # The commune inbox marks it as resubmitted.
    row = _inbox_row(commune, receipt)
    expect(row.get_by_test_id("state")).to_have_text(_state("submitted"))
    expect(row).to_contain_text(vi("resubmitted"))
    shot("resubmitted", commune)


def test_wizard_and_evidence_page_fit_a_phone(page: Page, sign_in_as, shot) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(PRODUCER)
    pk = _open_draft(page, DRAFT_PRODUCT, "upgrade", via_nav=True)
    for step in ("registration", "general", "results", "scoring", "plan", "review"):
        page.goto(f"/dossiers/{pk}/step/{step}/")
        expect(page.get_by_test_id(f"step-{step}")).to_have_attribute("aria-current", "step")
        shot(step)
        _expect_fits(page)

    code = _sheet(PRODUCTS[DRAFT_PRODUCT]["sheet"]).leaves()[0].code
    page.goto(f"/dossiers/{pk}/step/scoring/")
    page.get_by_test_id(f"evidence-{code}").click()
    expect(page.get_by_test_id("evidence-title")).to_contain_text(code)
    _expect_fits(page)
    page.goto(f"/dossiers/{pk}/step/general/")
    page.get_by_test_id(f"paper-evidence-{REQUIRED_PAPER}").click()
    expect(page.get_by_test_id("upload-form")).to_be_visible()
    shot("evidence")
    _expect_fits(page)

    # A phone offers its back camera for the photo input; the file input takes photos as well.
    camera = page.get_by_test_id("camera-input")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", re.compile(r"(^|,)image/\*(,|$)"))
    expect(page.get_by_test_id("file-input")).to_have_attribute("accept", re.compile(r"(^|,)image/\*(,|$)"))
    expect(page.locator("label[for=id_camera]")).to_be_visible()
    # The limits are stated before the upload (the server runs with the defaults: 10 MB, 20 MB).
    before, after = (
        vi("Accepted: %(types)s. Up to %(image)s MB for a photo, %(document)s MB for other files.")
        % {"types": "@", "image": 10, "document": 20}
    ).split("@")
    expect(page.get_by_test_id("upload-limits")).to_have_text(
        re.compile("^" + re.escape(before) + r"PDF(, [A-Z]+)+" + re.escape(after) + "$")
    )


def test_executable_disguised_as_pdf_is_refused(page: Page, sign_in_as, browser_errors, shot) -> None:
    browser_errors.allow(r"status of 400")  # the form comes back with its error
    sign_in_as(PRODUCER)
    pk = _open_draft(page, DRAFT_PRODUCT, "upgrade")
    page.goto(f"/dossiers/{pk}/evidence/?paper=food_safety")
    expect(page.get_by_test_id("no-evidence")).to_be_visible()
    page.get_by_test_id("file-input").set_input_files(
        {"name": "giay-chung-nhan-attp.pdf", "mimeType": "application/pdf", "buffer": EXE_BYTES}
    )
    page.get_by_test_id("upload").click()
    error = page.get_by_test_id("file-error")
    expect(error).to_have_text(vi(CONTENT_MISMATCH) % {"extension": "pdf", "detected": "EXE"})
    expect(page.get_by_test_id("file-input")).to_have_class(re.compile(r"\bis-invalid\b"))
    shot("refused")
    expect(page.get_by_test_id("evidence-items")).to_have_count(0)
    expect(page.get_by_test_id("no-evidence")).to_be_visible()
    # Nothing was stored: the dossier lists no evidence either.
    page.goto(f"/dossiers/{pk}/")
    expect(page.get_by_test_id("evidence-list")).to_have_count(0)


# ---------------------------------------------------------------------------------------------
# Regressions of bugs found by these tests (years localised as numbers, login names in the timeline)
# ---------------------------------------------------------------------------------------------
def test_years_are_printed_as_years(page: Page, sign_in_as) -> None:
    sign_in_as(PRODUCER)
    pk = _open_draft(page, DRAFT_PRODUCT, "upgrade")
    year = str(_today().year)
    page.goto(f"/dossiers/{pk}/")
    term = page.locator("dt", has_text=re.compile(f"^{re.escape(vi('Round year'))}$"))
    expect(term).to_have_count(1)
    assert term.locator("xpath=following-sibling::dd[1]").inner_text().strip() == year
    page.goto("/dossiers/")
    row = page.get_by_test_id("dossier-row").filter(has=page.get_by_role("link", name=DRAFT_PRODUCT, exact=True))
    expect(row).to_have_count(1)
    assert f"{vi('Round year')} {year}" in row.inner_text(), row.inner_text()


def test_timeline_names_people(page: Page, sign_in_as) -> None:
    sign_in_as(PRODUCER)
    pk = _open_draft(page, DRAFT_PRODUCT, "upgrade")
    page.goto(f"/dossiers/{pk}/")
    full_name = next(user["full_name"] for user in DEMO_USERS if user["username"] == PRODUCER)
    first = page.get_by_test_id("timeline").locator("li").first
    expect(first).to_be_visible()
    assert f"({full_name})" in first.inner_text(), first.inner_text()
