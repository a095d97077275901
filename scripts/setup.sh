#!/usr/bin/env bash
# Installs the Debian packages chiptoll needs to build and test, if any
# are missing. Safe to run again: it does nothing when all are present.
set -euo pipefail

packages=(build-essential meson ninja-build pkg-config sqlite3 libsqlite3-dev
          libjansson-dev libsodium-dev libcriterion-dev libmicrohttpd-dev)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
# The API tests run on Node.js (its built-in test runner); any node will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "chiptoll setup: missing Debian packages: ${missing[*]}" >&2
	echo "Install them as root:  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "chiptoll setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
