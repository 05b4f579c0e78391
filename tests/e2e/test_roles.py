"""Every demo account signs in through the browser, sees the home page of its role, and signs out.

Expectations are derived from the demo data definitions (``ocop.demo.data``), the role table
(``accounts/data/roles.json``) and the official unit list (``vietnam_provinces``), not from the
database the app serves, so a scope bug in the app cannot hide itself. Visible texts are compared
with the Vietnamese catalogue (``vi()``), so the tests hold before and after a string is translated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import vietnam_provinces as vp
from django.utils import formats, translation
from playwright.sync_api import Page, expect

import ocop.accounts
from ocop.core.text import fold_vi
from ocop.demo.data import DEMO_USERS, PRODUCERS
from tests.e2e import login, logout, vi

pytestmark = pytest.mark.e2e

ROLES = {
    role["slug"]: role
    for role in json.loads((Path(ocop.accounts.__file__).parent / "data" / "roles.json").read_text())["roles"]
}

# ---------------------------------------------------------------------------------------------
# What each demo account should see, computed from the data definitions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProducer:
    name: str
    province_code: int  # today's province
    commune_code: int | None  # today's commune, None when a legacy commune was split
    products: tuple[str, ...]


def _demo_producer(spec: dict) -> DemoProducer:
    level, code, legacy = spec["unit"]
    assert level == "commune", "demo producers are recorded at commune level"
    if legacy:
        successors = [match.ward for match in vp.Ward.search_from_legacy(code=int(code))]
    else:
        successors = [vp.Ward.from_code(int(code))]
    provinces = {int(ward.province_code) for ward in successors}
    assert len(provinces) == 1, f"{spec['name']}: ambiguous province"
    return DemoProducer(
        name=spec["name"],
        province_code=provinces.pop(),
        commune_code=int(successors[0].code) if len(successors) == 1 else None,
        products=tuple(item["name"] for item in spec["products"]),
    )


DEMO_PRODUCERS = [_demo_producer(spec) for spec in PRODUCERS]


def producers_in_scope(user: dict) -> list[DemoProducer]:
    if ROLES[user["role"]]["kind"] == "producer":
        return [p for p in DEMO_PRODUCERS if p.name == user["producer"]]
    level, code = user["unit"]
    if level == "country":
        return DEMO_PRODUCERS
    if level == "province":
        return [p for p in DEMO_PRODUCERS if p.province_code == int(code)]
    return [p for p in DEMO_PRODUCERS if p.commune_code == int(code)]


def grouped(number: int) -> str:
    """A number as ``intcomma`` prints it in Vietnamese (3321 → 3.321)."""
    with translation.override("vi"):
        return formats.number_format(number, use_l10n=True, force_grouping=True)


HOME_TITLES = {
    "system_admin": "System administration",
    "ministry_office": "National OCOP overview",
    "province_agency": "Provincial OCOP work",
    "council_member": "My scoring work",
    "advisory_member": "Advisory group work",
    "commune_officer": "Commune OCOP work",
    "producer": "My OCOP products",
}

HOME = ("Home", "/")
PRODUCERS_NAV = ("Producers", "/producers/")
PRODUCTS_NAV = ("Products", "/products/")
MY_PRODUCER = ("My producer", "/producers/")
MY_PRODUCTS = ("My products", "/products/")
UNITS = ("Administrative units", "/units/")
CRITERIA = ("Criteria sheets", "/criteria/")
ACCOUNTS = ("Accounts", "/accounts/users/")
AUDIT = ("Audit log", "/system/audit/")
IMPORTS = ("Imports", "/imports/")
DOSSIERS = ("Dossiers", "/dossiers/")
REGISTRY_NAV = [HOME, PRODUCERS_NAV, PRODUCTS_NAV, CRITERIA, UNITS]
# Whoever files, receives or checks dossiers gets "Dossiers" after the products.
DOSSIER_EDITOR_NAV = [HOME, PRODUCERS_NAV, PRODUCTS_NAV, DOSSIERS, IMPORTS, CRITERIA, UNITS]
NAV_BY_KIND = {
    "system_admin": [*DOSSIER_EDITOR_NAV, ACCOUNTS, AUDIT],
    "ministry_office": [HOME, PRODUCERS_NAV, PRODUCTS_NAV, DOSSIERS, CRITERIA, UNITS, AUDIT],
    "province_agency": [*DOSSIER_EDITOR_NAV, ACCOUNTS],
    "council_member": REGISTRY_NAV,
    "advisory_member": REGISTRY_NAV,
    "commune_officer": DOSSIER_EDITOR_NAV,
    "producer": [HOME, MY_PRODUCER, MY_PRODUCTS, DOSSIERS, CRITERIA, UNITS],
}


INVALID_LOGIN = "Incorrect username or password. Please check and try again (passwords are case-sensitive)."


def user_named(username: str) -> dict:
    return next(user for user in DEMO_USERS if user["username"] == username)


def nav_links(page: Page) -> list[tuple[str, str | None]]:
    links = page.get_by_test_id("nav").locator("a.nav-link")
    return [(link.inner_text().strip(), link.get_attribute("href")) for link in links.all()]


def expect_tile(page: Page, key: str, value: str) -> None:
    expect(page.get_by_test_id(f"tile-{key}").locator(".tile-value")).to_have_text(value)


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_demo_data_covers_every_role_kind():
    """The parametrised test below is only as good as the demo accounts: one per role kind."""
    assert {ROLES[user["role"]]["kind"] for user in DEMO_USERS} == set(HOME_TITLES)


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user["username"] for user in DEMO_USERS])
def test_demo_user_sees_the_home_of_their_role(page: Page, base_url: str, user: dict, shot):
    role = ROLES[user["role"]]
    kind = role["kind"]
    in_scope = producers_in_scope(user)
    product_names = [name for producer in in_scope for name in producer.products]

    login(page, user["username"])

    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("home-title")).to_have_text(vi(HOME_TITLES[kind]))
    expect(page.get_by_test_id("home-scope")).to_contain_text(role["name"])
    expect(page.get_by_test_id("user-menu")).to_contain_text(user["full_name"])
    assert nav_links(page) == [(vi(label), href) for label, href in NAV_BY_KIND[kind]]

    if kind == "producer":
        expect(page.get_by_test_id("my-producer")).to_have_count(1)
        expect(page.get_by_test_id("my-producer")).to_contain_text(user["producer"])
        # Sorted by the folded name, as the page lists them.
        expect(page.get_by_test_id("my-products").locator("li a")).to_have_text(
            sorted(product_names, key=fold_vi), use_inner_text=True
        )
        expect(page.get_by_test_id("tile-producers")).to_have_count(0)
    else:
        expect_tile(page, "producers", grouped(len(in_scope)))
        expect_tile(page, "products", grouped(len(product_names)))
        expect(page.get_by_test_id("my-producer")).to_have_count(0)

    if kind in ("system_admin", "ministry_office"):
        expect_tile(page, "provinces", grouped(len(list(vp.Province.iter_all()))))
        expect_tile(page, "communes", grouped(len(list(vp.Ward.iter_all()))))
    else:
        expect(page.get_by_test_id("tile-provinces")).to_have_count(0)

    if kind in ("province_agency", "commune_officer"):
        expect(page.get_by_test_id("recent-producers").locator("a")).to_have_text(
            [producer.name for producer in reversed(in_scope)]
        )
    if kind == "council_member":
        expect(page.get_by_test_id("scoring-empty")).to_be_visible()
    if kind == "advisory_member":
        expect(page.get_by_test_id("advisory-empty")).to_be_visible()
    if kind == "system_admin":
        admin_links = page.locator("main .list-group a")
        expect(admin_links).to_have_count(4)
        expect(page.locator("main").get_by_role("link", name=vi("Audit log"))).to_have_attribute(
            "href", "/system/audit/"
        )

    shot("home")
    logout(page)

    expect(page).to_have_url(f"{base_url}/accounts/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("message")).to_contain_text(vi("You have signed out."))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def test_commune_officer_sees_exactly_the_producers_of_their_commune(page: Page, base_url: str, sign_in_as):
    officer = user_named("xa_yenthe")
    expected = sorted(p.name for p in producers_in_scope(officer))
    assert expected and len(expected) < len(DEMO_PRODUCERS), "the demo data no longer tests commune scoping"

    sign_in_as(officer["username"])
    page.goto("/")
    expect_tile(page, "producers", str(len(expected)))
    page.get_by_test_id("tile-producers").click()

    expect(page).to_have_url(f"{base_url}/producers/")
    expect(page.get_by_test_id("producer-results").locator("tbody tr")).to_have_count(len(expected))
    expect(page.get_by_test_id("producer-results").locator("tbody tr a")).to_have_text(expected)


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(page: Page, base_url: str, shot):
    message = vi(INVALID_LOGIN)
    assert message != INVALID_LOGIN, "the login error has no Vietnamese translation"

    login(page, "xa_yenthe", "not-the-password")

    expect(page).to_have_url(f"{base_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()
    # The username is kept, the password is not.
    expect(page.locator("input[name=username]")).to_have_value("xa_yenthe")
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    shot("login-error")


def test_login_error_is_shown_once(page: Page):
    login(page, "xa_yenthe", "not-the-password")
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert page.locator("main").get_by_text(vi(INVALID_LOGIN)).count() == 1


def test_commune_officer_gets_404_for_a_producer_of_another_province(page: Page, browser_errors, sign_in_as, shot):
    officer = user_named("xa_yenthe")
    own = producers_in_scope(officer)[0].name
    officer_province = int(vp.Ward.from_code(int(officer["unit"][1])).province_code)
    other = next(p for p in DEMO_PRODUCERS if p.province_code != officer_province)

    sign_in_as("admin")
    page.goto("/producers/")
    results = page.get_by_test_id("producer-results")
    other_url = results.get_by_role("link", name=other.name, exact=True).get_attribute("href")
    own_url = results.get_by_role("link", name=own, exact=True).get_attribute("href")
    assert other_url and own_url and other_url != own_url

    sign_in_as(officer["username"])
    response = page.goto(own_url)
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text(own)

    browser_errors.allow(r"status of 404")
    response = page.goto(other_url)
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("error-page")).to_contain_text(vi("Page not found"))
    expect(page.get_by_test_id("error-page")).not_to_contain_text(other.name)
    shot("404")


def test_language_switch_to_english_and_back(page: Page, base_url: str, sign_in_as):
    sign_in_as("xa_yenthe")
    page.goto("/producers/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{base_url}/producers/")
    expect(page.locator("h1")).to_have_text("Producers")

    page.get_by_test_id("language-vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text(vi("Producers"))


def _relative_luminance(rgb: tuple[float, float, float]) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast of two CSS ``rgb()``/``rgba()`` colours, the foreground blended onto the background."""
    fg = [float(v) for v in re.findall(r"[\d.]+", foreground)]
    bg = [float(v) for v in re.findall(r"[\d.]+", background)][:3]
    alpha = fg[3] if len(fg) == 4 else 1.0
    blended = tuple(f * alpha + b * (1 - alpha) for f, b in zip(fg[:3], bg, strict=True))
    light, dark = sorted((_relative_luminance(blended), _relative_luminance(tuple(bg))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_navbar_links_are_readable(page: Page):
    page.goto("/")
    link = page.get_by_test_id("nav").locator("a.nav-link:not(.active)").first
    color = link.evaluate("(el) => getComputedStyle(el).color")
    background = page.locator("nav.navbar").evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert contrast_ratio(color, background) >= 4.5, (color, background)


PHONE = {"width": 360, "height": 740}
# Lists every element that sticks out to the right of the viewport, deepest last.
OVERFLOW_SCRIPT = """() => Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : ""))"""


def test_small_screen_collapses_the_navbar(page: Page, base_url: str, shot):
    page.set_viewport_size(PHONE)
    login(page, "tinh_hatinh")

    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("nav")).to_be_hidden()
    expect(page.get_by_test_id("user-menu")).to_be_hidden()

    toggler.click()
    expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))  # opening animation over
    expect(page.get_by_test_id("nav")).to_be_visible()
    expect(page.get_by_test_id("nav").get_by_role("link", name=vi("Producers"))).to_be_visible()
    shot("menu-open")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{base_url}/accounts/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()


@pytest.mark.parametrize(
    ("path", "open_link"),
    [
        ("/", None),
        ("/producers/", None),
        ("/producers/", "Tổ hợp tác Mật ong Hồng Lĩnh"),
        ("/products/", None),
        ("/products/", "Mật ong rừng Hồng Lĩnh"),
        ("/units/", None),
        ("/units/?q=hong+linh&include_legacy=on", "Thị xã Hồng Lĩnh"),
        ("/accounts/profile/", None),
        ("/accounts/users/", None),
        ("/accounts/login/", None),
    ],
    ids=lambda value: value if value is None or value.startswith("/") else "detail",
)
def test_small_screen_has_no_horizontal_scroll(page: Page, path: str, open_link: str | None, sign_in_as, shot):
    page.set_viewport_size(PHONE)
    if path != "/accounts/login/":
        sign_in_as("tinh_hatinh")
    response = page.goto(path)
    assert response is not None and response.status == 200
    if open_link:
        page.locator("main").get_by_role("link", name=open_link, exact=True).click()
        expect(page.locator("h1")).to_have_text(open_link)
    expect(page.locator(".navbar-toggler")).to_be_visible()
    shot("page")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide: {page.evaluate(OVERFLOW_SCRIPT)}"
