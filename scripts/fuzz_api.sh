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
# (a token minted as if after two-factor). Erasing that account would end the run early, so
# /api/v1/me/erase is fuzzed in a second pass as a throwaway resident of its own: once it is
# erased its token stops working, and every later call must be refused (401), never a 5xx.
read -r TOKEN ERASE_TOKEN < <($PY manage.py shell -c "
from django.utils import timezone
from openward.accounts.demo_data import email
from openward.accounts.models import User
from openward.accounts.services import create_api_token
throwaway = User.objects.create_user(email='fuzz-erase@example.org', email_confirmed_at=timezone.now())
print(create_api_token(User.objects.get(email=email('site-admin')), 'fuzz', second_factor=True),
      create_api_token(throwaway, 'fuzz erase', second_factor=False))" | tail -n 1)
$PY -m gunicorn openward.wsgi -b 127.0.0.1:$PORT -w 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$OPENWARD_VAR_DIR"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
SCHEMA="http://127.0.0.1:$PORT/api/openapi.json"
FUZZ=(--checks not_a_server_error --max-examples "${FUZZ_EXAMPLES:-25}" --workers 2 --suppress-health-check all)
.venv/bin/schemathesis run "$SCHEMA" -H "Authorization: Bearer $TOKEN" --exclude-path /api/v1/me/erase "${FUZZ[@]}"
ERASE=(-H "Authorization: Bearer $ERASE_TOKEN" --include-path /api/v1/me/erase "${FUZZ[@]}")
# While the account lives (random bodies: 400 or 422), then erase it for real (204, or 401 if a
# generated body already said "delete"), then again with the token that died with it (401).
.venv/bin/schemathesis run "$SCHEMA" "${ERASE[@]}"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/me/erase" \
  -H "Authorization: Bearer $ERASE_TOKEN" -H 'Content-Type: application/json' -d '{"confirm": "delete"}')
if [ "$STATUS" != 204 ] && [ "$STATUS" != 401 ]; then echo "me/erase answered $STATUS, not 204 or 401"; exit 1; fi
.venv/bin/schemathesis run "$SCHEMA" "${ERASE[@]}"
