import gc
import itertools
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: a process that would answer 500 to every page refuses to start instead.
from portal.checks import refuse_to_start_unless_ready  # noqa: E402 - needs the settings loaded above

refuse_to_start_unless_ready()

# Python's cycle collector walked every object of the loaded portal (some 170,000) at each full collection: one every
# 30 or so requests, 140-190 ms each, a sixth of an API list's time and the whole of its slowest percent
# (docs/benchmarks.md, "Python's cycle collector"). Once the process has served its first requests (URLs, templates,
# serializers and translations loaded), what is alive then is frozen (gc.freeze): later collections walk only what
# the requests since have made.
FREEZE_AFTER_REQUESTS = 20
_served = itertools.count(1)


def freeze_when_warm(**_kwargs):
    if next(_served) == FREEZE_AFTER_REQUESTS:
        request_finished.disconnect(dispatch_uid="portal.wsgi.freeze_when_warm")
        gc.collect()  # the garbage of the first requests is not kept for ever
        gc.freeze()


request_finished.connect(freeze_when_warm, dispatch_uid="portal.wsgi.freeze_when_warm")
