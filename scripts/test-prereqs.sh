#!/usr/bin/env bash
# System packages the test suite needs that pip cannot provide. Installs them where they are
# missing and we are allowed to (root, or CI); otherwise says what is missing, and the tests
# that need it are skipped with that reason (under CI=true they fail instead).
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# The fault tests start and stop a Redis server of their own (never the shared one).
command -v redis-server >/dev/null || need+=(redis-server)
# The PDF tests read the exported documents back with poppler's pdftotext, pdffonts and pdftoppm.
command -v pdftotext >/dev/null || need+=(poppler-utils)
# WeasyPrint's system libraries (present on most Debian images).
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages for the tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]} (sudo apt-get install ${need[*]}). Tests needing them will be skipped."
fi
