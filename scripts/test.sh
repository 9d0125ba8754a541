#!/usr/bin/env bash
# `make test`: lint, unit, action and integration tests, the NLU components inside the Rasa env, and
# end-to-end tests against the real stack (Rasa, action server, gateway, browser).
# With DATABASE_URL / REDIS_URL set, the database tests and the stack use those servers.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
app=$(scripts/envs.sh app)
export PYTHONPATH="$repo"

echo "==> ruff"
"$app/bin/ruff" check .
[ "${1:-}" = "--lint-only" ] && exit 0

echo "==> backends: database=${DATABASE_URL:-embedded SQLite} redis=${REDIS_URL:-embedded (none)}"
scripts/ensure-chromium.sh
rasa=$(scripts/envs.sh rasa)
./courtbot train

echo "==> NLU components inside the Rasa env"
RASA_TELEMETRY_ENABLED=false "$rasa/bin/python" -m pytest -q -p no:cacheprovider tests/rasa

echo "==> app tests (unit, actions, gateway, integration, end-to-end)"
"$app/bin/python" -m pytest -q -p no:cacheprovider --ignore=tests/rasa "$@"
