"""bin/security-scan reads pip-audit's report right: a vulnerability fails, skipped packages are named, not passed."""

import json
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def read_report(tmp_path, report):
    path = tmp_path / "report.json"
    path.write_text(report if isinstance(report, str) else json.dumps(report))
    return subprocess.run([str(ROOT / "bin" / "security-scan"), "--report", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def skipped(name, version):
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})"}


def test_a_known_vulnerability_fails_and_is_named_with_its_fix(tmp_path):
    result = read_report(tmp_path, {"fixes": [], "dependencies": [
        {"name": "django", "version": "5.2.1", "vulns": [
            {"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": ["CVE-2025-0001"]}]},
        {"name": "celery", "version": "5.5.0", "vulns": []},
        skipped("redis", "5.0.0"),
    ]})
    assert result.returncode == 1
    assert "VULNERABLE django 5.2.1: PYSEC-2025-1 (CVE-2025-0001); fixed in: 5.2.2" in result.stdout
    assert "NOT AUDITED: 1 of 3 dependencies" in result.stdout


def test_packages_that_could_not_be_checked_are_announced_without_failing(tmp_path):
    result = read_report(tmp_path, {"fixes": [], "dependencies": [skipped("amqp", "5.4.2"),
                                                                  skipped("django", "5.2.19")]})
    assert result.returncode == 0, result.stderr
    assert ("NOT AUDITED: 2 of 2 dependencies could not be checked (Dependency not found on PyPI and could "
            "not be audited)") in result.stdout


def test_no_report_is_a_failure_not_a_pass(tmp_path):
    result = read_report(tmp_path, "")
    assert result.returncode == 1
    assert "not audited" in result.stderr


def test_the_lock_pins_every_dependency():
    lines = [line for line in (ROOT / "requirements.lock").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines and all("==" in line for line in lines)
    assert any(line.lower().startswith("django==") for line in lines)
