"""The receiver of docs/api.md, run as written, verifies what the portal sends and refuses a forged delivery."""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from partnerships.models import AccessLevel
from partnerships.tests.factories import JointCaseFactory, share
from webhooks.models import Delivery
from webhooks.tests.factories import register
from webhooks.tests.receiver import free_port

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "api.md"


def the_documented_receiver():
    return re.search(r"```python webhook-receiver\n(.*?)```", DOC.read_text(), re.S).group(1)


@pytest.mark.django_db
def test_the_documented_receiver_verifies_a_delivery_and_refuses_a_forged_one(
        cast, bob_admin, loopback_allowed, tmp_path, django_capture_on_commit_callbacks):
    port = free_port()
    script = tmp_path / "receiver.py"
    script.write_text(the_documented_receiver())
    endpoint, secret = register(bob_admin, f"http://127.0.0.1:{port}/")
    receiver = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env={"PORTAL_WEBHOOK_SECRET": secret, "PORT": str(port),
                                                "PYTHONPATH": ":".join(sys.path)})
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310 - the local receiver
            except urllib.error.HTTPError:
                break  # it answers (501 to a GET): up
            except OSError:
                time.sleep(0.1)
        forged = urllib.request.Request(f"http://127.0.0.1:{port}/", data=b'{"type":"case.shared"}', headers={
            "webhook-id": "msg_forged", "webhook-timestamp": str(int(time.time())),
            "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=5)  # noqa: S310
        assert refused.value.code == 400

        case = JointCaseFactory(by=cast.alice, title="St. Clair River crossings")
        with django_capture_on_commit_callbacks(execute=True):
            share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
        delivery = Delivery.objects.get(case=case)
        assert delivery.status == "delivered" and delivery.last_status_code == 204
    finally:
        receiver.terminate()
        out, err = receiver.communicate(timeout=10)
    assert out.splitlines()[0].startswith("case.shared {'case': {'reference': '" + case.reference), (out, err)
    assert "msg_forged" not in out
