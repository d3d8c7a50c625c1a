#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver for the UI's end-to-end tests, only when missing.
# Called by ./spoor test before `mvn verify`; needs root (apt-get) the first time only.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ui/install-browser.sh: chromium is missing; run as root or: apt-get install chromium chromium-driver" >&2
  exit 1
fi
echo "ui/install-browser.sh: installing chromium and chromium-driver with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
