#!/usr/bin/env bash
# Serve the demo area on a scratch SQLite database and let schemathesis fuzz the OpenAPI schema,
# once for each of three callers: the site administrator (a token minted after two-factor), a
# resident, and a neighbourhood officer whose token was minted without two-factor. None may
# cause a 5xx. Erasing an account would end a run early, so /api/v1/me/erase is fuzzed last, as
# a throwaway resident of its own: while it lives, then erased for real, then with the dead token.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${FUZZ_PORT:-8765}
export OPENWARD_VAR_DIR=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=openward.settings.dev DEBUG=0
$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo >/dev/null
# One line per caller: "name token".
CALLERS=$($PY manage.py shell -c "
from django.utils import timezone
from openward.accounts.demo_data import email
from openward.accounts.models import User
from openward.accounts.services import create_api_token
for name, local, second_factor in [
    ('site-admin', 'site-admin', True),
    ('resident', 'resident-letter', False),
    ('officer-without-second-factor', 'officer', False),
]:
    print('caller', name, create_api_token(User.objects.get(email=email(local)), 'fuzz', second_factor=second_factor))
throwaway = User.objects.create_user(email='fuzz-erase@example.org', email_confirmed_at=timezone.now())
print('caller', 'erase', create_api_token(throwaway, 'fuzz erase', second_factor=False))
" | grep '^caller ' | cut -d' ' -f2-)
ERASE_TOKEN=$(grep '^erase ' <<< "$CALLERS" | cut -d' ' -f2)
$PY -m gunicorn openward.wsgi -b 127.0.0.1:$PORT -w 2 --preload --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$OPENWARD_VAR_DIR"' EXIT
# Up to five minutes for the master to load everything (a busy 2-core machine), then give up saying so.
for _ in $(seq 1500); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null || { echo "the server did not answer within 5 minutes" >&2; exit 1; }
# --preload: the master loads what the first requests would (scipy, every view, the API's schema:
# openward.core.warmup) before it forks, so no worker's first answer outlasts schemathesis's 10-second read
# timeout on a busy machine.
SCHEMA="http://127.0.0.1:$PORT/api/openapi.json"
# One schemathesis worker: with two, its threads compile generated code at once and CPython 3.11
# can fail inside schemathesis ("AST constructor recursion depth mismatch"), which is not our 5xx.
FUZZ=(--checks not_a_server_error --max-examples "${FUZZ_EXAMPLES:-10}" --workers 1 --suppress-health-check all)
failed=()
while read -r name token; do
  [ "$name" = erase ] && continue
  echo "== schemathesis as $name"
  .venv/bin/schemathesis run "$SCHEMA" -H "Authorization: Bearer $token" --exclude-path /api/v1/me/erase "${FUZZ[@]}" \
    || failed+=("$name")
done <<< "$CALLERS"
ERASE=(-H "Authorization: Bearer $ERASE_TOKEN" --include-path /api/v1/me/erase "${FUZZ[@]}")
# While the account lives (random bodies: 400 or 422), then erase it for real (204, or 401 if a
# generated body already said "delete"), then again with the token that died with it (401).
echo "== schemathesis on /api/v1/me/erase, as a throwaway resident"
.venv/bin/schemathesis run "$SCHEMA" "${ERASE[@]}" || failed+=("erase (alive)")
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/me/erase" \
  -H "Authorization: Bearer $ERASE_TOKEN" -H 'Content-Type: application/json' -d '{"confirm": "delete"}')
if [ "$STATUS" != 204 ] && [ "$STATUS" != 401 ]; then failed+=("me/erase answered $STATUS, not 204 or 401"); fi
.venv/bin/schemathesis run "$SCHEMA" "${ERASE[@]}" || failed+=("erase (erased)")
if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis failed (a 5xx, or its own error: see above) as: ${failed[*]}" >&2
  exit 1
fi
