#!/bin/sh
# Installs the Debian packages hfx needs to build, test, fuzz and benchmark,
# but only those that are missing (so a ready machine pays nothing).
set -eu
pkgs="build-essential pkg-config clang libclang-rt-14-dev
libsqlite3-dev libjansson-dev libcurl4-openssl-dev libarchive-dev libssl-dev
libcmocka-dev python3-apt sqlite3 zip rpm libxml2-dev python3-rpm
openssh-client openssh-server python3-icalendar
debootstrap dpkg-dev" # tests/deploy: the Debian root, the test apt repository
pkgs="$pkgs chromium" # tests/report: renders the HTML report headless
pkgs="$pkgs python3-aiosmtpd" # tests/notify: the SMTP server on loopback
command -v node >/dev/null && command -v npm >/dev/null || pkgs="$pkgs nodejs npm" # tests/vex
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root or install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
