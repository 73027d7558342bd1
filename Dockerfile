# One image for web (gunicorn), worker and beat (Celery); docker-compose.yml picks the command.
# Debian 12 (bookworm), whose PostgreSQL client tools are version 15 like the db service: the backup and
# restore commands need pg_dump and pg_restore of the server's major version (docs/operations.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# pango, harfbuzz-subset and a font: WeasyPrint (the briefing book as a tagged PDF).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 portal
COPY pyproject.toml README.md ./
COPY portal ./portal
COPY partnerships ./partnerships
COPY shiprider ./shiprider
COPY ibet ./ibet
COPY best ./best
COPY cbcf ./cbcf
RUN pip install --no-cache-dir -e .
COPY . .
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput

# Attachments live on a volume mounted here (docker-compose.yml), outside the code and static files.
RUN mkdir -p /data/attachments /data/audit-checkpoints && chown portal:portal /data/attachments /data/audit-checkpoints
USER portal
EXPOSE 8000
# A sync worker streaming a CSV export tells the arbiter nothing until it ends, and is killed after the timeout: 30 s
# by default, too close to an export of half a million cases (25 s on the bench machine, more under load:
# docs/operations.md).
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", \
     "--access-logfile", "-"]
