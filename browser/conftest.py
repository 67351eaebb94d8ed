"""Starts the real commons binary on a fresh data folder with the demo content, and gives each
test a Chromium page (Debian's, at /usr/bin/chromium) that records what it should not see:
requests to other origins and console errors."""

import os
import shutil
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
STAFF = {"admin": "admin@example.org", "organizer": "organizer@example.org", "editor": "editor@example.org"}


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
    for role, email in STAFF.items():
        subprocess.run([str(binary), "user", "add", "--email", email, "--role", role, "--password-stdin"], input=PASSWORD + "\n",
                       env=env, check=True, capture_output=True, text=True)
    port = free_port()
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


def sign_in(page, base, role):
    page.goto(base + "/admin/login")
    page.fill("#login-email", STAFF[role])
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin")
