#!/usr/bin/env bash
# Installs the browsers the UI's end-to-end tests drive, only when missing: Debian's Chromium with its WebDriver
# (chromium, chromium-driver) and Debian's Firefox ESR (firefox-esr, driven over WebDriver BiDi, which Firefox serves
# itself: no geckodriver needed). Called by ./spoor test before `mvn verify`; needs root (apt-get) the first time only.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ui/install-browser.sh: ${missing[*]} missing; run as root or: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "ui/install-browser.sh: installing ${missing[*]} with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
