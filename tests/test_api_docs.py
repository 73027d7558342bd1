"""The Python sync example of docs/api.md runs as written against a live portal."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from partnerships import services
from partnerships.tests.factories import Cast, JointCaseFactory

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


@pytest.mark.django_db(transaction=True)
def test_the_documented_python_sync_works(live_server, tmp_path):
    cast = Cast.create()
    for n in range(3):
        JointCaseFactory(by=cast.alice, title=f"Synced {n}")
    _token, key = services.api_token_issue(user=cast.alice, read_only=True)
    script = tmp_path / "sync.py"
    script.write_text(re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                            env={"PORTAL_URL": live_server.url, "PORTAL_TOKEN": key, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "4 cases; next time ask for changes after" in result.stdout
    assert "0 changed since" in result.stdout
