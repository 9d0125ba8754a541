#!/usr/bin/env bash
# Create (once) and print the path of a courtbot virtualenv.
#   scripts/envs.sh rasa   -> Python 3.10 env with Rasa 3.6 (requirements/rasa.lock.txt)
#   scripts/envs.sh app    -> Python 3.11 env for gateway, actions, CLI, tests (requirements/app.lock.txt)
#   scripts/envs.sh KIND --check  -> exit 0 if that env is ready, 1 if not (creates nothing)
# Envs live outside the repo under $COURTBOT_VENV_ROOT (default ~/.cache/courtbot/venvs), keyed by a
# hash of the lock file, so every clone with the same locks reuses them. Progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:?usage: envs.sh rasa|app}
root=${COURTBOT_VENV_ROOT:-$HOME/.cache/courtbot/venvs}

find_python() {  # $1 = wanted version like 3.10
  local want=$1 cand
  for cand in "$(command -v "python$want" 2>/dev/null || true)" \
              "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python"$want" \
              "$(pyenv prefix "$want" 2>/dev/null || true)/bin/python$want" \
              /usr/bin/python"$want" /usr/local/bin/python"$want"; do
    [ -n "$cand" ] && [ -x "$cand" ] || continue
    # pyenv shims exist for every version but fail when that version is not selected: run it to be sure.
    if "$cand" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$want'.split('.')))" 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  return 1
}

case "$kind" in
  rasa) pyver=3.10; lock="$here/requirements/rasa.lock.txt" ;;
  app)  pyver=3.11; lock="$here/requirements/app.lock.txt" ;;
  *) echo "envs.sh: unknown env '$kind' (rasa|app)" >&2; exit 2 ;;
esac

hash=$(sha256sum "$lock" | cut -c1-12)
venv="$root/$kind-py$pyver-$hash"
if [ -f "$venv/.complete" ]; then echo "$venv"; exit 0; fi
[ "${2:-}" = "--check" ] && exit 1  # only asked whether it exists

py=$(find_python "$pyver") || {
  echo "courtbot: Python $pyver not found. Install it (e.g. 'pyenv install $pyver.13') or put python$pyver on PATH." >&2
  exit 1
}
echo "==> creating $kind env (Python $pyver) at $venv — first time only, a few minutes" >&2
mkdir -p "$root"
# Built in place under a lock (venv paths are absolute, so no build-then-rename): a half-built
# env has no .complete marker and is rebuilt on the next call.
exec 9>"$venv.lock"
flock 9
if [ -f "$venv/.complete" ]; then echo "$venv"; exit 0; fi
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade "pip==24.3.1" >&2
"$venv/bin/python" -m pip install --progress-bar on -r "$lock" >&2
touch "$venv/.complete"
echo "==> $kind env ready" >&2
echo "$venv"
