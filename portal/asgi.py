import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_asgi_application()

# As portal/wsgi.py: a process that would answer 500 to every page refuses to start instead.
from portal.checks import refuse_to_start_unless_ready  # noqa: E402 - needs the settings loaded above

refuse_to_start_unless_ready()
