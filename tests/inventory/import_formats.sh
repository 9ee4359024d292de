#!/bin/sh
# hfx host import for each inventory format: detected by content, the OS
# from --os / the file / an os-release beside it, packages stored with the
# versions their ecosystem compares; wrong combinations refused.
. tests/lib.sh
need_data fixtures/osv-scalibr/extractor/filesystem/os/apk/testdata/installed

hfx init >/dev/null

# An rpm listing, as `rpm -qa --qf '%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'` prints it.
printf 'openssl\t1\t3.0.7\t24.el9\tx86_64\topenssl-3.0.7-24.el9.src.rpm\nbash\t0\t5.1.8\t6.el9_1\tx86_64\tbash-5.1.8-6.el9_1.src.rpm\ngpg-pubkey\t0\tb86b3716\t61e69f29\t(none)\t(none)\ntzdata\t0\t2023c\t1.el9\tnoarch\ttzdata-2023c-1.el9.src.rpm\n' >"$TMP/rpm.txt"
expect_exit 2 "an rpm listing says nothing of its OS" -- hfx host import "$TMP/rpm.txt" --name alma1
expect_err "--os"
expect_exit 0 "rpm listing" -- hfx host import "$TMP/rpm.txt" --name alma1 --os almalinux:9
grep -q "alma1: almalinux 9 (AlmaLinux:9), 3 packages, arch x86_64" "$TMP/out" &&
	ok "rpm listing: 3 packages (the gpg key skipped)" || fail "rpm import: $(cat "$TMP/out")"
[ "$(sqlite3 "$HFX_DB" "SELECT version FROM host_package WHERE name = 'openssl'")" = "1:3.0.7-24.el9" ] &&
	ok "rpm version stored as epoch:version-release" || fail "rpm version"
expect_exit 2 "an rpm listing for a Debian host" -- hfx host import "$TMP/rpm.txt" --name x --os debian:12
expect_err "uses deb packages"

# Alpine's installed database.
expect_exit 0 "apk database" -- hfx host import "$DATA/fixtures/osv-scalibr/extractor/filesystem/os/apk/testdata/installed" --name alp --os alpine:3.19.1
grep -q "alp: alpine 3.19.1 (Alpine:v3.19), 15 packages" "$TMP/out" && ok "apk database: 15 packages" ||
	fail "apk import: $(cat "$TMP/out")"

# --format names the format; a wrong one fails on the content.
expect_exit 2 "a dpkg status read as an rpm listing" -- hfx host import "$TMP/rpm.txt" --name y --os almalinux:9 --format dpkg
expect_exit 2 "an unknown --format" -- hfx host import "$TMP/rpm.txt" --name y --os almalinux:9 --format nope
expect_err "unknown inventory format"
printf 'hello\n' >"$TMP/hello"
expect_exit 2 "an unknown inventory" -- hfx host import "$TMP/hello" --name y --os debian:12
expect_err "unknown inventory format"
[ "$(sqlite3 "$HFX_DB" "SELECT count(*) FROM host WHERE name = 'y'")" = 0 ] && ok "nothing stored for bad input" ||
	fail "a host was stored"
finish
