import gc
import itertools

from portal import wsgi


def test_a_web_process_freezes_what_is_alive_once_it_has_served_its_first_requests(monkeypatch):
    monkeypatch.setattr(wsgi, "_served", itertools.count(1))
    gc.unfreeze()  # another test's requests in this process may have frozen it already
    try:
        for _ in range(wsgi.FREEZE_AFTER_REQUESTS - 1):
            wsgi.freeze_when_warm()
        assert gc.get_freeze_count() == 0
        wsgi.freeze_when_warm()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Django and the portal, loaded
        wsgi.freeze_when_warm()
        assert gc.get_freeze_count() == frozen  # once only
    finally:
        gc.unfreeze()
