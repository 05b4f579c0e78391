"""The administrative unit browser (public) and how a pre-2025 record rolls up to today's map."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import vi

pytestmark = pytest.mark.e2e


def unit_row(page: Page, name: str):
    """The result row whose unit link reads exactly ``name``."""
    return (
        page.get_by_test_id("unit-table")
        .locator("tbody tr")
        .filter(has=page.get_by_role("link", name=name, exact=True))
    )


def test_live_search_finds_current_and_legacy_units(page: Page, shot):
    page.goto("/units/")
    # A full page load would drop this flag: the search must swap the results in place (htmx).
    page.evaluate("window.ocopE2eNoReload = true")

    page.get_by_test_id("unit-search").press_sequentially("son ha")

    expect(page).to_have_url(re.compile(r"/units/\?q=son(\+|%20)ha&level=$"))
    row = unit_row(page, "Xã Sơn Hà")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Quảng Ngãi")
    expect(row).to_contain_text(vi("current"))
    expect(unit_row(page, "Huyện Sơn Hà")).to_have_count(0)
    assert page.evaluate("window.ocopE2eNoReload") is True
    shot("current")

    page.get_by_label(vi("Include the pre-2025 map")).check()
    expect(page).to_have_url(re.compile(r"/units/\?q=son(\+|%20)ha&level=&include_legacy=on$"))
    # The whole-name match ranks first, so the legacy district is on the first page.
    row = unit_row(page, "Huyện Sơn Hà")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Quảng Ngãi")
    expect(row).to_contain_text("30/06/2025")
    # The pre-2025 communes named Sơn Hà now show up next to today's.
    expect(unit_row(page, "Xã Sơn Hà").nth(1)).to_be_visible()

    page.locator("#id_level").select_option("district")
    expect(page).to_have_url(re.compile(r"/units/\?q=son(\+|%20)ha&level=district&include_legacy=on$"))
    expect(unit_row(page, "Xã Sơn Hà")).to_have_count(0)
    expect(unit_row(page, "Huyện Sơn Hà")).to_have_count(1)
    assert page.evaluate("window.ocopE2eNoReload") is True
    shot("legacy")


def test_legacy_town_shows_what_it_became(page: Page, shot):
    page.goto("/units/?q=hong+linh&include_legacy=on")
    unit_row(page, "Thị xã Hồng Lĩnh").get_by_role("link").click()

    expect(page.get_by_test_id("unit-name")).to_have_text("Thị xã Hồng Lĩnh")
    expect(page.get_by_test_id("unit-validity")).to_contain_text("30/06/2025")
    rollup = page.get_by_test_id("unit-rollup")
    expect(rollup.get_by_role("link")).to_have_text(
        ["Phường Bắc Hồng Lĩnh, Tỉnh Hà Tĩnh", "Phường Nam Hồng Lĩnh, Tỉnh Hà Tĩnh"]
    )
    shot("rollup")

    rollup.get_by_role("link", name="Phường Nam Hồng Lĩnh, Tỉnh Hà Tĩnh").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Phường Nam Hồng Lĩnh")
    expect(page.get_by_test_id("unit-rollup")).to_have_count(0)
    expect(page.get_by_test_id("unit-validity")).to_contain_text(vi("(current)"))
    # Thuận Lộc, the demo honey producer's commune before 2025, is among its predecessors.
    expect(page.get_by_test_id("predecessors")).to_contain_text("Xã Thuận Lộc")


def test_legacy_product_keeps_its_recorded_unit_and_rolls_up(page: Page, sign_in_as, shot):
    sign_in_as("tinh_hatinh")
    page.goto("/products/")
    page.get_by_test_id("list-search").press_sequentially("mat ong")
    results = page.get_by_test_id("product-results")
    expect(results.locator("tbody tr")).to_have_count(1)
    results.get_by_role("link", name="Mật ong rừng Hồng Lĩnh", exact=True).click()

    expect(page.get_by_test_id("product-name")).to_have_text("Mật ong rừng Hồng Lĩnh")
    expect(page.get_by_test_id("recorded-unit")).to_contain_text("Thị xã Hồng Lĩnh, Tỉnh Hà Tĩnh (20/10/2022)")
    rollup = page.get_by_test_id("recorded-rollup")
    expect(rollup).to_contain_text("Hồng Lĩnh")
    expect(rollup).to_contain_text("Phường Bắc Hồng Lĩnh")
    expect(rollup).to_contain_text("Phường Nam Hồng Lĩnh")
    shot("product")

    # The History tab is a page of its own; a provincial agency also sees the audit trail.
    page.get_by_test_id("history-tab").click()
    expect(page).to_have_url(re.compile(r"/products/\d+/history/$"))
    expect(page.get_by_test_id("history-tab")).to_have_attribute("aria-current", "page")
    history = page.get_by_test_id("history")
    expect(history.get_by_test_id("activity-list")).to_contain_text("products.product.create")
    expect(history.get_by_test_id("change")).to_have_count(1)
    shot("history")
