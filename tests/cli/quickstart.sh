#!/bin/sh
# The main job: quickstart on this machine with the shared mirror, and its
# clear failure naming HFX_MIRROR when the feeds cannot be downloaded. Also
# `host collect` of this machine against dpkg's own view of it.
. tests/lib.sh
need_data mirror/osv/Debian/all.zip
MIRROR=$(cd "$DATA/mirror" && pwd)

if [ ! -r /var/lib/dpkg/status ] || ! grep -q '^ID=debian' /etc/os-release; then
	echo "SKIP: this machine is not Debian"
	exit 77
fi

expect_exit 0 "quickstart with a mirror" -- env HFX_MIRROR="file://$MIRROR" "$HFX" quickstart --name self
grep -q "osv/Debian/all.zip (osv-zip): 6056 new" "$TMP/out" && grep -q "^scanned 1 host" "$TMP/out" &&
	ok "quickstart synced and scanned" || fail "quickstart output: $(head -20 "$TMP/out")"
expect_exit 0 "quickstart again" -- env HFX_MIRROR="file://$MIRROR" "$HFX" quickstart --name self
grep -q "not modified since the last sync" "$TMP/out" && ok "second run downloads nothing" ||
	fail "second run: $(head -20 "$TMP/out")"

# This machine's installed packages, as dpkg itself counts them.
want=$(dpkg-query -W -f '${db:Status-Status}\n' | grep -cE '^(installed|triggers-pending|triggers-awaited)$')
got=$(hfx host show self | sed -n 's/^packages: *//p')
[ "$want" = "$got" ] && ok "collect found the $got packages dpkg reports" ||
	fail "collect found $got packages, dpkg-query $want"
hfx host show self | grep -q "kernel:     $(uname -r)" && ok "running kernel recorded" ||
	fail "kernel not recorded"

# No network: a proxy on a closed loopback port makes every download fail.
export HFX_DB="$TMP/offline.db"
expect_exit 1 "quickstart without network" -- env -u HFX_MIRROR https_proxy=http://127.0.0.1:9 \
	http_proxy=http://127.0.0.1:9 "$HFX" quickstart --name self
expect_err "HFX_MIRROR"
finish
