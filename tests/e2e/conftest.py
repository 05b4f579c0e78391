"""Browser end-to-end fixtures: the real app served as `make run` serves it, driven by Debian's Chromium.

``live_url`` is not pytest-django's ``live_server``: it migrates and bootstraps a throw-away SQLite
database in a temporary directory (whatever ``DATABASE_URL`` the suite itself runs with), then
starts ``ocop runserver`` in a subprocess with the development settings, so the browser sees the
demo data, the real middleware stack and the static files as a developer does. DEBUG is off, as in
production, so error pages are the app's own.

Set ``OCOP_E2E_SHOTS=/some/dir`` to keep a screenshot of every page the tests look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response, expect

from tests.e2e import DEMO_PASSWORD, login

SRC_DIR = Path(__file__).resolve().parents[2] / "src"
HEALTH_PATH = "/system/healthz/"
START_TIMEOUT = 30.0
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

expect.set_options(timeout=10_000)


# ---------------------------------------------------------------------------------------------
# The application under test
# ---------------------------------------------------------------------------------------------
def _server_env(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "OCOP_"))}
    env.update(
        {
            # Always its own SQLite file, also when the suite runs against PostgreSQL.
            "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
            "OCOP_ENV": "development",
            # DEBUG off so the browser gets the app's own 404/403 pages, not Django's debug pages;
            # `runserver --insecure` still serves the static files from the finders.
            "DJANGO_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "ocop.settings",
            "OCOP_MEDIA_ROOT": str(workdir / "media"),
            # The background worker and the web server share the job queue and the progress cache.
            "OCOP_HUEY_FILE": str(workdir / "huey.sqlite3"),
            "CACHE_URL": f"filecache://{workdir / 'cache'}",
            "OCOP_DEMO_PASSWORD": DEMO_PASSWORD,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC_DIR), os.environ.get("PYTHONPATH", "")])),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _manage(args: list[str], *, env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "ocop", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`ocop {' '.join(args)}` exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-4000:]}",
            pytrace=False,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback http only
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (no trailing slash) of a freshly bootstrapped ocop served by ``runserver``."""
    workdir = tmp_path_factory.mktemp("e2e-app")
    env = _server_env(workdir)
    _manage(["migrate", "--noinput"], env=env, cwd=workdir)
    _manage(["bootstrap"], env=env, cwd=workdir)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "runserver.log"
    with (workdir / "worker.log").open("w") as worker_log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "ocop", "run_huey"],
            env=env,
            cwd=workdir,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "ocop", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(base + HEALTH_PATH):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"runserver did not answer {HEALTH_PATH} within {START_TIMEOUT:.0f} s "
                    f"(exit code {process.poll()})\n--- log ---\n{log_path.read_text()[-4000:]}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield base
    finally:
        for child in (process, worker):
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# Playwright configuration
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a downloaded browser; no background traffic (stack.md gotcha 18)."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_url: str) -> str:
    return live_url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Chromium's default en-US locale on purpose: the UI must still be Vietnamese (ADR 0005)."""
    return {**browser_context_args, "timezone_id": "Asia/Ho_Chi_Minh"}


# ---------------------------------------------------------------------------------------------
# Helpers for the tests
# ---------------------------------------------------------------------------------------------
class BrowserErrors:
    """Console errors, uncaught exceptions and failed sub-resources seen by a page.

    CSP violations and missing static files show up here; a test that provokes an error on purpose
    (a 404 page) declares it with :meth:`allow`.
    """

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self._allowed.append(re.compile(pattern))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")

    def on_response(self, response: Response) -> None:
        # A document's 4xx is for the test to judge (the 404 page is a 404); a 5xx never is fine.
        if response.status >= 500 or (response.status >= 400 and response.request.resource_type != "document"):
            self.errors.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":  # cancelled by the next navigation
            return
        self.errors.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self._allowed)]


@pytest.fixture(autouse=True)
def browser_errors(request: pytest.FixtureRequest) -> Iterator[BrowserErrors | None]:
    """Fails a browser test if the page logged errors it did not expect (CSP, 404 on assets, JS)."""
    if "page" not in request.fixturenames:
        yield None
        return
    page: Page = request.getfixturevalue("page")
    errors = BrowserErrors()
    page.on("console", errors.on_console)
    page.on("pageerror", errors.on_page_error)
    page.on("response", errors.on_response)
    page.on("requestfailed", errors.on_request_failed)
    yield errors
    unexpected = errors.unexpected()
    assert not unexpected, "The browser reported errors:\n  " + "\n  ".join(unexpected)


@pytest.fixture
def shot(page: Page, request: pytest.FixtureRequest):
    """``shot("name")`` saves a full-page screenshot when ``OCOP_E2E_SHOTS`` names a directory."""
    folder = os.environ.get("OCOP_E2E_SHOTS")

    def take(name: str, target: Page | None = None) -> None:
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{request.node.name}-{name}").strip("-")
        (target or page).screenshot(path=str(Path(folder) / f"{slug}.png"), full_page=True)

    return take


@pytest.fixture(scope="session")
def _sessions(browser: Browser, browser_context_args: dict) -> Callable[[str], list]:
    """Session cookies per demo user, each obtained once through the real login form."""
    cookies: dict[str, list] = {}

    def get(username: str) -> list:
        if username not in cookies:
            context = browser.new_context(**browser_context_args)
            page = context.new_page()
            login(page, username)
            expect(page.get_by_test_id("user-menu")).to_be_visible()
            cookies[username] = context.cookies()
            context.close()
        return cookies[username]

    return get


@pytest.fixture
def sign_in_as(context: BrowserContext, _sessions: Callable[[str], list]) -> Callable[[str], None]:
    """``sign_in_as("admin")`` gives the test's page a signed-in session without typing the form
    again (hashing the password takes a second). The sessions are shared: never sign out of one."""

    def sign_in(username: str) -> None:
        context.clear_cookies()
        context.add_cookies(_sessions(username))

    return sign_in


# ---------------------------------------------------------------------------------------------
# Ordering: tests that add records run after the read-only ones
# ---------------------------------------------------------------------------------------------
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The whole session shares one bootstrapped app; the role tests count the demo records, so
    tests marked ``e2e_writes`` (they create records through the UI) are moved to the end."""
    items.sort(key=lambda item: item.get_closest_marker("e2e_writes") is not None)
