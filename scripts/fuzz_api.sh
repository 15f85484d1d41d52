#!/usr/bin/env bash
# Serve the demo area on a scratch SQLite database and let schemathesis fuzz the OpenAPI schema.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${FUZZ_PORT:-8765}
export OPENWARD_VAR_DIR=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=openward.settings.dev DEBUG=0
$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo >/dev/null
# Fuzz as the demo site administrator too, so signed-in and staff endpoints are exercised
# (a token minted as if after two-factor; erasing the account would end the run early).
TOKEN=$($PY manage.py shell -c "
from openward.accounts.demo_data import email
from openward.accounts.models import User
from openward.accounts.services import create_api_token
print(create_api_token(User.objects.get(email=email('site-admin')), 'fuzz', second_factor=True))" | tail -n 1)
$PY -m gunicorn openward.wsgi -b 127.0.0.1:$PORT -w 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$OPENWARD_VAR_DIR"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/openapi.json" \
  -H "Authorization: Bearer $TOKEN" --exclude-path /api/v1/me/erase \
  --checks not_a_server_error --max-examples "${FUZZ_EXAMPLES:-25}" --workers 2 --suppress-health-check all
