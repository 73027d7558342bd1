"""The Python sync example of docs/api.md runs as written against a live portal."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from partnerships import services
from partnerships.tests.factories import Cast, JointCaseFactory, share, unshare

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


@pytest.mark.django_db(transaction=True)
def test_the_documented_python_sync_works(live_server, tmp_path):
    cast = Cast.create()  # the cast's case is shared with bob's agency
    cbp = cast.bob.officer.agency
    kept, revoked = (JointCaseFactory(by=cast.alice, title=f"Synced {n}") for n in range(2))
    for case in (kept, revoked):
        share(case, cbp, by=cast.alice)
    _token, key = services.api_token_issue(user=cast.bob, read_only=True)
    script = tmp_path / "sync.py"
    script.write_text(re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1))
    state = tmp_path / "copy.json"

    def run():
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                                env={"PORTAL_URL": live_server.url, "PORTAL_TOKEN": key,
                                     "PORTAL_SYNC_STATE": str(state), "PATH": "/usr/bin:/bin"})
        assert result.returncode == 0, result.stderr
        return result.stdout

    first = run()
    assert "3 changed, 0 removed: none" in first and "3 cases in the copy" in first
    assert "0 changed, 0 removed: none" in run()
    unshare(revoked, cbp, by=cast.alice)
    services.case_update(case=kept, by=cast.alice, title="Synced, renamed")
    third = run()
    assert f"1 changed, 1 removed: {revoked.reference}" in third and "2 cases in the copy" in third
    copy = json.loads(state.read_text())["cases"]
    assert revoked.reference not in copy and copy[kept.reference]["title"] == "Synced, renamed"
    assert "0 changed, 0 removed: none" in run()
