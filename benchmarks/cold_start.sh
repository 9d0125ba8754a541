#!/usr/bin/env bash
# Cold set-up: a fresh clone with no virtualenvs and no model cache, timed until "courtbot ready";
# then a warm second start. Uses its own ports and folders under /tmp/cold, so a running stack is safe.
#   bash benchmarks/cold_start.sh
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
rm -rf /tmp/cold && mkdir -p /tmp/cold && git clone -q "$repo" /tmp/cold/repo
export COURTBOT_VENV_ROOT=/tmp/cold/venvs COURTBOT_CACHE=/tmp/cold/cache COURTBOT_DATA_DIR=/tmp/cold/var
export COURTBOT_GATEWAY_PORT=28000 COURTBOT_RASA_PORT=25005 COURTBOT_ACTIONS_PORT=25055
cd /tmp/cold/repo
start=$(date +%s)
make run > /tmp/cold/run.log 2>&1 &
pid=$!
while ! grep -q "courtbot ready" /tmp/cold/run.log; do
  sleep 2
  if ! kill -0 $pid 2>/dev/null; then echo "make run died"; exit 1; fi
done
echo "cold ready after $(( $(date +%s) - start )) s" | tee /tmp/cold/result.txt
pkill -TERM -P $pid; wait $pid  # make's child is the CLI (./courtbot execs it); it stops the stack
# Warm: same clone again
start=$(date +%s)
make run > /tmp/cold/run2.log 2>&1 &
pid=$!
while ! grep -q "courtbot ready" /tmp/cold/run2.log; do sleep 1; done
echo "warm ready after $(( $(date +%s) - start )) s" | tee -a /tmp/cold/result.txt
pkill -TERM -P $pid; wait $pid  # make's child is the CLI (./courtbot execs it); it stops the stack
