"""Browser end-to-end tests against the real app (see ``conftest.py``), and the helpers they share."""

from __future__ import annotations

import os

from django.utils import translation
from playwright.sync_api import Page

DEMO_PASSWORD = os.environ.get("OCOP_DEMO_PASSWORD", "ocop-demo-2026")


def vi(message: str, context: str | None = None) -> str:
    """``message`` as the Vietnamese UI shows it: translated once the catalogue has it, else as is."""
    with translation.override("vi"):
        if context:
            return translation.pgettext(context, message)
        return translation.gettext(message)


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form (no session injection)."""
    page.goto("/accounts/login/")
    form = page.get_by_test_id("login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def logout(page: Page) -> None:
    """Sign out through the user menu; on a narrow screen the menu sits in the collapsed navbar."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()
