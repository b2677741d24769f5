"""A real Chromium, driven by pytest-playwright, against pytest-django's live server.

pytest-playwright provides `browser`, `context` and `page`; the fixtures here point it at Debian's
Chromium (a Playwright browser download is not needed) and give every page the desktop size the
screenshots use.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import require_service
from tests.editorial.conftest import member_of

CHROMIUM = os.environ.get("BOOKSTORE_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
README_IMAGES = ROOT / "docs" / "screenshots"

# expect() retries until this long: twice its default, for a two-core machine running two workers.
expect.set_options(timeout=10_000)

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_service(Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM)), f"Chromium not found at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """The live server, so a page may be opened by its path: `page.goto("/")`.

    It also stands in for pytest-playwright's fallback `base_url`, which pytest 9 warns about.
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def console_errors(page) -> list[str]:
    """The page's console errors so far: a test asserts it stays empty."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def readme_images(pytestconfig) -> Path | None:
    """Where the README's screenshots go, only when asked for with --update-readme-images."""
    return README_IMAGES if pytestconfig.getoption("--update-readme-images") else None


# The password tests.editorial.conftest.member_of gives the staff it makes.
STAFF_PASSWORD = "a long editor password"


def log_in(page, live_server, username: str, landing: str = "/admin/") -> None:
    """Fill in and send the admin's log-in form, open on `page`, and arrive at `landing`."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}{landing}")


@pytest.fixture
def catalog_editor_page(page, live_server, demo_catalog):
    """The page, logged in to the admin as "edith", a catalog editor, on the admin's home page."""
    member_of("Catalog editors", "edith")
    page.goto(f"{live_server.url}/admin/")
    log_in(page, live_server, "edith")
    return page


# Reported from inside the page: the listener is installed before any of the page's own scripts.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportPolicyViolation(`${event.effectiveDirective} blocked ${event.blockedURI} ${event.sample}`);
}, true);
"""


# Warnings about the policies themselves (an unknown feature, a malformed directive) count too.
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Permissions policy")


class BrowserProblems:
    """Policy violations, console errors and uncaught exceptions in every page of a browser context
    (pop-ups included), across navigations."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.violations: list[str] = []
        self.console: list[str] = []
        self.not_found_on_purpose: set[str] = set()
        context = page.context
        context.expose_function("reportPolicyViolation", self._violation)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console_message)
        context.on("weberror", lambda web_error: self.console.append(f"uncaught: {web_error.error}"))

    def _violation(self, text: str) -> None:
        self.violations.append(text)

    def _console_message(self, message) -> None:
        url = message.location.get("url")
        if url in self.not_found_on_purpose and "status of 404" in message.text:
            return  # the browser reports the page itself, opened to see the 404 page
        if message.type == "error" or any(words in message.text for words in POLICY_WORDS):
            self.console.append(f"{message.type}: {message.text} ({url})")

    def found(self) -> list[str]:
        # A round trip to the page first, so that reports it already sent have arrived.
        self.page.evaluate("0")
        return self.violations + self.console


@pytest.fixture
def problems(page) -> BrowserProblems:
    return BrowserProblems(page)
