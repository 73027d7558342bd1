"""Browser harness: Playwright driving Debian's Chromium (no browser download at test time); the route sweeps' case."""

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


def watch_csp(context):
    """Collect what the browser reports as blocked by the Content-Security-Policy, on every page of `context`."""
    blocked = []
    context.on("console", lambda message: blocked.append(message.text)
               if "Content Security Policy" in message.text else None)
    return blocked


@pytest.fixture
def page(context, page):
    """pytest-playwright's page; the test fails if the CSP blocked anything on it (or on its context's pages)."""
    blocked = watch_csp(context)
    yield page
    assert blocked == [], "blocked by the Content-Security-Policy"


@pytest.fixture
def axe():
    """Run axe-core on the current page; return the serious and critical violations."""
    if not AXE.exists():
        skip_or_fail("axe-core is not installed (npm ci)")

    def check(page):
        # The CSP runs only same-origin script files: axe-core is served as one, from the page's own origin.
        origin = "/".join(page.url.split("/")[:3])
        page.route(f"{origin}/__axe__.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
        page.add_script_tag(url=f"{origin}/__axe__.js")
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


def totp_code(device, steps_ahead=0):
    """The code an authenticator app would show for this device now (or a step later)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def sign_in_as(live_server, context):
    """Sign `user` in through the real pages: notice, password, then a code from their authenticator."""
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partnerships.tests.factories import PASSWORD

    def sign_in(user, language="en"):
        domain = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": domain,
                              "path": "/"}])
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=True)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(user.get_username())
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_acknowledge").check()
        page.locator("form:has(#id_acknowledge) button[type=submit]").click()
        page.wait_for_url("**/accounts/mfa/**")
        device.refresh_from_db()
        # A code is accepted once: a second sign-in within the same 30 s uses the next one.
        page.locator("#id_code").fill(totp_code(device, steps_ahead=1 if device.last_t >= 0 else 0))
        page.locator("form:has(#id_code) button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/" not in url)
        page.close()
        # Sign-in switches to the officer's preferred language; the test asked for this one.
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": domain,
                              "path": "/"}])

    return sign_in


@pytest.fixture
def rich(cast, client, settings, tmp_path, django_capture_on_commit_callbacks):
    """alice's cases with one of every record that hangs off them, for the route sweeps (tests/sweep_support.py)."""
    from tests.sweep_support import rich_case

    return rich_case(cast, client, settings, tmp_path, django_capture_on_commit_callbacks)
