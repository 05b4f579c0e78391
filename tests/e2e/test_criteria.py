"""The criteria pages in the browser: the public sheets and trial self-assessment with the live
(htmx) total and star, a producer's saved self-assessment, and the page on a phone.

The expected options come from the repository's sheet files (``evaluation/data/rubrics``), read
with the same corrections as ``load_rubrics`` applies, not from the app under test.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ocop.demo.data import PRODUCERS
from ocop.evaluation.engine import Sheet
from ocop.evaluation.rubric_io import apply_errata, load_errata, read_yaml, sheet_files, sheet_from_data
from tests.e2e import vi

pytestmark = pytest.mark.e2e

BASIS = "26/2026/QĐ-TTg"
PHONE = {"width": 390, "height": 844}
PRODUCER = "chuthe_yenthe"
# The producer's first demo product: "Gà đồi Yên Thế đóng gói hút chân không", set of sheet 2.
PRODUCT = PRODUCERS[0]["products"][0]
UNMET = "Not %(star)s★ yet: criterion %(code)s needs ≥ %(required)s points (%(option)s), now %(actual)s"


def _sheet(number: int) -> Sheet:
    path = next(path for path in sheet_files(BASIS) if path.name == f"sheet-{number:02d}.yaml")
    data, _applied = apply_errata(read_yaml(path.read_text(encoding="utf-8")), load_errata(BASIS))
    return sheet_from_data(data)


def _choose(page: Page, code: str, position: int) -> None:
    """Click the label of option ``position`` (from 1) of criterion ``code``, as a user does."""
    page.locator(f'fieldset[data-code="{code}"] .form-check').nth(position - 1).locator("label").click()


def _position_of(sheet: Sheet, code: str, points) -> int:
    options = sheet.leaf(code).options
    return next(index for index, option in enumerate(options, start=1) if option.points == points)


def _choose_max_everywhere(page: Page, sheet: Sheet) -> None:
    for leaf in sheet.leaves():
        _choose(page, leaf.code, _position_of(sheet, leaf.code, max(option.points for option in leaf.options)))


def _unmet_prefix(star: int, code: str, required: int) -> str:
    """The explanation line up to the option label, as the Vietnamese UI shows it."""
    text = vi(UNMET) % {"star": star, "code": code, "required": required, "option": "@", "actual": "@"}
    return text.split(" (@")[0]


def test_anonymous_tries_sheet_1_and_sees_the_star_update_live(page: Page, shot) -> None:
    sheet = _sheet(1)
    page.goto("/criteria/")
    expect(page.get_by_test_id("sheet-link")).to_have_count(26)
    page.get_by_test_id("sheet-link").filter(has_text=sheet.title).click()
    expect(page.get_by_test_id("sheet-title")).to_have_text(f"{vi('Sheet')} 1: {sheet.title}")
    expect(page.get_by_test_id("knockouts")).to_be_visible()

    page.get_by_test_id("try-sheet").click()
    expect(page.get_by_test_id("assess-criterion")).to_have_count(len(sheet.leaves()))
    expect(page.get_by_test_id("total")).to_have_text("0")

    _choose_max_everywhere(page, sheet)
    expect(page.get_by_test_id("total")).to_have_text("100")
    expect(page.get_by_test_id("proposed-star")).to_contain_text("5★")
    expect(page.get_by_test_id("explanation")).to_have_count(0)
    shot("all-max")

    # 2.3 at its 1-point option: 98 points, but 2.3 misses the 4★ (and 5★) minimum of 3 points.
    _choose(page, "2.3", _position_of(sheet, "2.3", 1))
    expect(page.get_by_test_id("total")).to_have_text("98")
    expect(page.get_by_test_id("proposed-star")).to_contain_text("3★")
    lines = page.get_by_test_id("explanation").locator("li")
    expect(lines).to_have_count(2)
    expect(lines.nth(0)).to_contain_text(_unmet_prefix(4, "2.3", 3))
    expect(lines.nth(1)).to_contain_text(_unmet_prefix(5, "2.3", 3))
    expect(page.get_by_test_id("plan-title")).to_contain_text("4★")
    expect(page.get_by_test_id("plan")).to_contain_text("2.3")
    shot("2.3-at-1")


@pytest.mark.e2e_writes
def test_producer_saves_the_self_assessment_of_a_product(page: Page, sign_in_as, shot) -> None:
    sheet = _sheet(PRODUCT["sheet"])
    sign_in_as(PRODUCER)
    page.goto("/products/")
    page.locator("main").get_by_role("link", name=PRODUCT["name"], exact=True).click()
    page.get_by_test_id("self-assessment-tab").click()
    expect(page.get_by_test_id("self-assessment-tab")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("assess-criterion")).to_have_count(len(sheet.leaves()))

    _choose_max_everywhere(page, sheet)
    expect(page.get_by_test_id("total")).to_have_text("100")
    expect(page.get_by_test_id("proposed-star")).to_contain_text("5★")
    page.get_by_test_id("save-assessment").click()

    expect(page.get_by_test_id("message")).to_contain_text(vi("The self-assessment has been saved."))
    # The saved answers come back with the page.
    expect(page.get_by_test_id("total")).to_have_text("100")
    expect(page.locator("#assessment-form input[type=radio]:checked")).to_have_count(len(sheet.leaves()))
    shot("saved")


@pytest.mark.parametrize("who", ["anonymous", PRODUCER])
def test_self_assessment_page_fits_a_phone(page: Page, sign_in_as, who: str, shot) -> None:
    page.set_viewport_size(PHONE)
    if who == "anonymous":
        page.goto("/criteria/")
        page.get_by_test_id("sheet-link").first.click()
        page.get_by_test_id("try-sheet").click()
    else:
        sign_in_as(who)
        page.goto("/products/")
        page.locator("main").get_by_role("link", name=PRODUCT["name"], exact=True).click()
        page.get_by_test_id("self-assessment-tab").click()
    expect(page.get_by_test_id("assessment-form")).to_be_visible()
    shot("phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"
