#!/bin/sh
# Run once by the postgres image on a new data volume (docker-compose.yml): the portal's runtime role. It owns
# nothing; `manage.py migrate`, run as the owner, grants it what it may do (portal/db_roles.py).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="${PORTAL_APP_DB_PASSWORD:?set PORTAL_APP_DB_PASSWORD}" <<'SQL'
CREATE ROLE portal_app LOGIN PASSWORD :'password';
SQL
