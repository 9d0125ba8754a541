#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it via executable_path; nothing is downloaded
# by Playwright itself). Installs with apt when missing; needs root, as on these machines and CI.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "==> installing Debian chromium for browser tests" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "courtbot: /usr/bin/chromium is missing; run 'sudo apt-get install -y chromium'" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium fonts-noto-cjk >&2
