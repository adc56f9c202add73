#!/usr/bin/env bash
# The browser the browser tests drive: Debian's chromium, installed with apt-get when no
# Chromium or Chrome is on the machine (never downloaded by the tests themselves). Prints
# the path found. Needs root or password-less sudo only when it has to install.
set -euo pipefail

for candidate in "${E2E_CHROMIUM:-}" /usr/bin/chromium /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "browser: $candidate"
    exit 0
  fi
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo -n"
fi
echo "browser: none found; installing Debian's chromium with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
echo "browser: /usr/bin/chromium"
