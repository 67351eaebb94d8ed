"""Starts the real commons binary on a fresh data folder with the demo content, and gives each
test a Chromium page (Debian's, at /usr/bin/chromium) that records what it should not see:
requests to other origins and console errors."""

import base64
import hashlib
import hmac
import os
import shutil
import struct
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "browser-suite-password-77"
STAFF = {"admin": "admin@example.org", "organizer": "organizer@example.org", "editor": "editor@example.org",
         "newcomer": "newcomer@example.org"}
ROLES = {"admin": "admin", "organizer": "organizer", "editor": "editor", "newcomer": "admin"}


def commons_binary() -> Path:
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    binary = Path(path) / "commons"
    if not binary.exists():
        raise RuntimeError(f"{binary} is missing: run swift build first")
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = commons_binary()
    data = tempfile.mkdtemp(prefix="commons-browser-")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COMMONS_DATA_DIR": data, "COMMONS_FORM_RATE_LIMIT": "0", "LOG_LEVEL": "warning"}
    for who, email in STAFF.items():
        subprocess.run([str(binary), "user", "add", "--email", email, "--role", ROLES[who], "--password-stdin"], input=PASSWORD + "\n",
                       env=env, check=True, capture_output=True, text=True)
    port = free_port()
    # The address staff screens print (the embed snippets): where the suite reaches the server.
    env["COMMONS_BASE_URL"] = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([str(binary), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("commons did not start")
    yield base
    process.terminate()
    process.wait(timeout=15)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield browser
        browser.close()


class Watched:
    """A page plus what it did that it should not have."""

    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.foreign_requests = []
        self.console_errors = []
        page.on("request", lambda request: None if request.url.startswith(base) or request.url.startswith("data:")
                else self.foreign_requests.append(request.url))
        page.on("console", lambda message: self.console_errors.append(message.text) if message.type == "error" else None)

    def check_clean(self, allow_console=()):
        assert self.foreign_requests == [], f"requests to other origins: {self.foreign_requests}"
        errors = [e for e in self.console_errors if not any(a in e for a in allow_console)]
        assert errors == [], f"console errors: {errors}"


@pytest.fixture
def watched(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield Watched(page, server)
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    for width, height in [(360, 800), (1440, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


# What the suite's authenticator app holds: each account's secret, read off the enrolment page,
# and the last 30-second step whose code it gave (a code is accepted once).
AUTHENTICATOR = {}


def totp(secret, step):
    """RFC 6238: HMAC-SHA-1 of the step, dynamically truncated to six digits."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def next_code(role):
    """A code for a step later than the last one used: now, or the next step (one step of drift)."""
    account = AUTHENTICATOR[role]
    step = max(int(time.time() // 30), account["last"] + 1)
    account["last"] = step
    return totp(account["secret"], step)


def sign_in(page, base, role):
    """Signs in as `role`. Admins and organizers need two-factor sign-in (COMMONS_REQUIRE_2FA's
    default): the first time, the suite enrols from the enrolment page as a person would with an
    authenticator app; afterwards it enters the current code on the second page."""
    page.goto(base + "/admin/login")
    page.fill("#login-email", STAFF[role])
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if page.url == base + "/admin/login/code":
        page.fill("#login-code", next_code(role))
        with page.expect_navigation():
            page.click("button[type=submit]")
    elif page.url == base + "/admin/account/two-factor":
        assert page.locator(".qr-code svg[role=img]").count() == 1
        secret = page.input_value("#two-factor-secret").replace(" ", "")
        AUTHENTICATOR[role] = {"secret": secret, "last": 0}
        page.fill("#two-factor-code", next_code(role))
        with page.expect_navigation():
            page.click("form.action-form button[type=submit]")
        assert page.locator(".recovery-codes li").count() == 10
        page.click(".recovery-codes + p a")
    page.wait_for_url(base + "/admin")
