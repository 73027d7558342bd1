import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: a process that would answer 500 to every page refuses to start instead.
from portal.checks import refuse_to_start_unless_ready  # noqa: E402 - needs the settings loaded above

refuse_to_start_unless_ready()
