"""The Content-Security-Policy on every answer, templates without inline code, and the production settings."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def policy_of(response):
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return header, {name: set(sources) for name, *sources in directives}


@pytest.mark.parametrize("signed_in, path", [
    (False, "/accounts/login/"),
    (True, "/"),
    (True, "/cases/"),
    (True, "/api/v1/cases/"),
    (True, "/api/v1/docs/"),
    (True, "/no-such-page/"),
])
def test_every_answer_carries_the_content_security_policy(client, alice, signed_in, path):
    if signed_in:
        client.force_login(alice)
    response = client.get(path)
    header, directives = policy_of(response)
    for name, sources in POLICY.items():
        assert directives.get(name) == sources, (name, header)
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header


def test_swagger_ui_loads_its_start_up_script_from_a_file(client, alice):
    client.force_login(alice)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "<style" not in html and "style=" not in html
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
    from django.contrib.staticfiles import finders

    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset


def test_the_browsable_api_has_no_inline_style(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/cases/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="filtersModal"' in html  # the Filters button is there, floated by the stylesheet
    assert "<style" not in html
    assert "style=" not in html


# An inline script is one with code between its tags (data blocks, type="application/json", are not code).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>\s*\S", re.I)
CHECKS = {
    "inline <script>": INLINE_SCRIPT,
    "<style> block": re.compile(r"<style\b", re.I),
    "on*= handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)


def template_files():
    apps = ["portal", "partnerships", "shiprider", "ibet", "best", "cbcf"]
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in apps)]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.html"))


def test_no_template_carries_inline_script_handlers_or_style():
    files = template_files()
    assert len(files) > 50
    found = []
    for path in files:
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
        for what, pattern in CHECKS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert found == [], "the CSP blocks these; move them to static/ files or CSS classes"


def test_the_scan_sees_what_it_looks_for():
    samples = ['<script>alert(1)</script>', '<button onclick="go()">', '<p style="color: red">',
               '<style>p{}</style>', '<a href="javascript:void(0)">']
    for sample in samples:
        assert any(pattern.search(sample) for pattern in CHECKS.values()), sample
    for clean in ['<script src="/static/x.js"></script>', '<script type="application/json" id="d">{}</script>',
                  '<p>Based on=this, the styles= are fine</p>', '<svg class="chart" width="720">']:
        assert not any(pattern.search(clean) for pattern in CHECKS.values()), clean


def production_env():
    """The environment of a production process: DEBUG off, a real secret key, a public host name."""
    inherited = {name: value for name, value in os.environ.items()  # not the test run's DJANGO_* or PYTEST_*
                 if not name.startswith(("DJANGO_", "PYTEST_"))}
    return {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "AUDIT_CHECKPOINT_KEY": secrets.token_urlsafe(45),
    }  # DATABASE_URL and REDIS_URL as the run has them (inherited), or none: the embedded defaults


def test_deploy_check_reports_nothing_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


PROBE = """
import json

import django

django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

client = Client(HTTP_HOST="portal.example.org")
plain = {path: client.get(path) for path in ("/", "/healthz", "/readyz")}
# Hashed static names need collectstatic's manifest, which a test run has not made; nothing else changes.
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    secure = client.get("/accounts/login/", secure=True)
print(json.dumps({
    "redirects": {path: [r.status_code, r.headers.get("Location")] for path, r in plain.items()},
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "cookies": {name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite", "path", "domain")}
                for name, morsel in secure.cookies.items()},
    "session": [settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                settings.SESSION_COOKIE_SAMESITE, settings.SESSION_COOKIE_DOMAIN, settings.SESSION_COOKIE_PATH],
}))
"""


def test_production_redirects_to_https_but_not_the_probes_and_sets_host_only_cookies():
    database = settings.DATABASES["default"]["NAME"]  # this run's test database: the sign-in page may read it
    database_url = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[0] + "/" + database
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "portal.settings",
           "DATABASE_URL": database_url if database_url.startswith("postgres") else ""}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirects"]["/"] == [301, "https://portal.example.org/"]
    assert seen["redirects"]["/healthz"][0] == 200
    assert seen["redirects"]["/readyz"][0] in (200, 503)  # the probe answers over http, ready or not
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    csrf = seen["cookies"]["__Host-csrftoken"]
    assert csrf == {"secure": "True", "httponly": "True", "samesite": "Lax", "path": "/", "domain": ""}
    assert seen["session"] == ["__Host-sessionid", True, True, "Lax", None, "/"]


@pytest.mark.parametrize("key", ["change-me-to-a-long-random-string", "dev-only-insecure-key-never-use-in-production",
                                 "short-but-random-9f8e7d", "a" * 60,
                                 "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef"])
def test_production_refuses_to_start_with_a_placeholder_or_short_secret_key(key):
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            env={**production_env(), "DJANGO_SECRET_KEY": key}, check=False)
    assert result.returncode != 0 and "Set DJANGO_SECRET_KEY to a long random string" in result.stderr
