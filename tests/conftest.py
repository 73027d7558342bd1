"""Browser harness: Playwright driving Debian's Chromium (no browser download at test time)."""

import shutil
from pathlib import Path

import pytest

from conftest import skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--disable-quic"],
    }


@pytest.fixture
def axe():
    """Run axe-core on the current page; return the serious and critical violations."""
    if not AXE.exists():
        skip_or_fail("axe-core is not installed (npm ci)")

    def check(page):
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def sign_in_as(live_server, context):
    """Put a signed-in session cookie for `user` into the browser context (no form round trip)."""
    from django.conf import settings
    from django.test import Client

    def sign_in(user, language="en"):
        client = Client()
        client.force_login(user)
        domain = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([
            {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "domain": domain, "path": "/"},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": domain, "path": "/"},
        ])

    return sign_in
