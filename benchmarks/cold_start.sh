#!/usr/bin/env bash
# Cold set-up: a fresh clone of the committed HEAD with no virtualenvs and no model cache, timed until
# "courtbot ready"; then a warm second start of the same clone. Writes section `cold_start` of
# benchmarks/RESULTS.md. Uses its own ports (28000/25005/25055) and folders under /tmp/cold, so a
# running stack is safe. pip's own wheel cache is whatever the machine has (say so when publishing).
#   bash benchmarks/cold_start.sh
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
rm -rf /tmp/cold && mkdir -p /tmp/cold && git clone -q "$repo" /tmp/cold/repo
export COURTBOT_VENV_ROOT=/tmp/cold/venvs COURTBOT_CACHE=/tmp/cold/cache COURTBOT_DATA_DIR=/tmp/cold/var
export COURTBOT_GATEWAY_PORT=28000 COURTBOT_RASA_PORT=25005 COURTBOT_ACTIONS_PORT=25055
unset DATABASE_URL REDIS_URL COURTBOT_RASA_TOKEN
cd /tmp/cold/repo
commit=$(git rev-parse --short HEAD)

# Seconds until `make run` prints its ready line (log in $1); the stack is stopped afterwards.
time_to_ready() {
  local log=$1 start pid
  start=$(date +%s)
  make run > "$log" 2>&1 &
  pid=$!
  while ! grep -q "courtbot ready" "$log"; do
    sleep 1
    if ! kill -0 $pid 2>/dev/null; then echo "make run died, see $log" >&2; exit 1; fi
  done
  echo $(( $(date +%s) - start ))
  pkill -TERM -P $pid; wait $pid  # make's child is the CLI (./courtbot execs it); it stops the stack
}

cold=$(time_to_ready /tmp/cold/run.log) || exit 1
echo "cold ready after $cold s"
trained=$(grep -o "trained in [0-9]* s" /tmp/cold/run.log | head -1)
warm=$(time_to_ready /tmp/cold/run2.log) || exit 1
echo "warm ready after $warm s"

cd "$repo"
PYTHONPATH="$repo" "$(COURTBOT_VENV_ROOT=/tmp/cold/venvs scripts/envs.sh app)/bin/python" - "$cold" "$warm" "$trained" "$commit" <<'EOF'
import sys
from benchmarks.results import write_section
cold, warm, trained, commit = sys.argv[1:5]
write_section(
    "cold_start", "Cold set-up and second start (fresh clone)",
    f"A fresh clone of commit {commit}: empty virtualenv root and model cache, pip's wheel cache as the "
    "machine had it; `make run` timed to its \"courtbot ready\" line (virtualenvs, training, migration, "
    "seeding, start), then `make run` again on the same clone.\n\n"
    "| what | result |\n|---|---|\n"
    f"| cold set-up to ready | {cold} s ({trained or 'training time not logged'}) |\n"
    f"| second start, nothing changed | {warm} s |",
    command="bash benchmarks/cold_start.sh",
)
EOF
