#!/bin/sh
# Every host inventory among other scanners' test fixtures imports with the
# package count its file holds. The expected counts are computed here from
# the files with grep and Python, not with hfx. Fixtures that are not one
# valid host inventory are checked to be refused with a clear message.
. tests/lib.sh
F=fixtures
G=golden/osv-scanner-offline
need_data $F/claircore/dpkg/testdata/postgresql.status $G/postgres-stretch.cdx.xml
hfx init >/dev/null
n=0

# expect_count FILE WANT [--os ID:VER]: imports FILE and checks its count.
expect_count() {
	file=$1 want=$2; shift 2
	n=$((n + 1))
	if ! hfx host import "$DATA/$file" --name "f$n" "$@" >"$TMP/out" 2>"$TMP/err"; then
		fail "$file: $(cat "$TMP/err")"
		return
	fi
	got=$(sqlite3 "$HFX_DB" "SELECT count(*) FROM host_package p JOIN host h ON h.id = p.host_id WHERE h.name = 'f$n'")
	[ "$got" = "$want" ] && ok "$file: $got packages" || fail "$file: $got packages, the file holds $want"
}

# dpkg: stanzas whose status word is installed (or triggers-pending/awaited).
dpkg_count() { grep -cE '^Status: .* (installed|triggers-pending|triggers-awaited)$' "$DATA/$1"; }
# apk: one P: line per package.
apk_count() { grep -c '^P:' "$DATA/$1"; }
# SBOMs: distinct OS package purls, source packages left out.
# (XML SBOMs also repeat the purl as each component's bom-ref: only <purl>
# elements count there.)
purl_count() {
	case $1 in
	*.xml) grep -oE '<purl>pkg:(deb|rpm|apk)/[^<]+' "$DATA/$1" | sed 's/^<purl>//' ;;
	*) grep -oE 'pkg:(deb|rpm|apk)/[^"<[:space:]]+' "$DATA/$1" ;;
	esac | grep -vE '[?&]arch=(src|source|nosrc)([&#]|$)' | grep -v '/gpg-pubkey@' |
		sed 's/&amp;/\&/g' | sort -u | wc -l
}

for f in $F/claircore/dpkg/testdata/texlive.status $F/claircore/dpkg/testdata/debian-only.status \
	$F/claircore/dpkg/testdata/postgresql.status $F/osv-scalibr/extractor/filesystem/os/dpkg/testdata/dpkg/valid \
	$G/dpkg-status; do
	expect_count "$f" "$(dpkg_count "$f")" --os debian:12
done
for f in $F/syft/syft/pkg/cataloger/alpine/testdata/multiple-2/lib/apk/db/installed \
	$F/osv-scalibr/extractor/filesystem/os/apk/testdata/installed $G/apk-installed; do
	expect_count "$f" "$(apk_count "$f")" --os alpine:3.19
done
for f in $F/trivy/pkg/sbom/spdx/testdata/happy/bom.json $F/trivy/pkg/sbom/cyclonedx/testdata/happy/bom.json \
	$F/trivy/pkg/fanal/artifact/sbom/testdata/bom.json $F/trivy/pkg/fanal/artifact/sbom/testdata/bom-missing-refs.json \
	$F/trivy/pkg/fanal/artifact/sbom/testdata/os-only-bom.json $G/postgres-stretch.cdx.xml $G/alpine.cdx.xml \
	$G/alpine-3.17.2.cdx.xml $G/alpine-zlib-16.cdx.json $G/only-unimportant.spdx.json $G/with-duplicates.cdx.xml; do
	expect_count "$f" "$(purl_count "$f")"
done

# txtar archives: the dpkg status or apk database inside, or every rpm
# manifest inside (one per architecture of a multi-arch image: the same
# noarch package in each is one package).
txtar_member() { # ARCHIVE MEMBER-SUFFIX: the member's text
	/usr/bin/python3 -c '
import sys
out, on = [], False
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("-- ") and line.rstrip().endswith(" --"):
        on = line.rstrip()[3:-3].endswith(sys.argv[2])
        continue
    if on:
        out.append(line)
sys.stdout.write("".join(out))' "$DATA/$1" "$2"
}
manifest_count() {
	txtar_member "$1" rpm-manifest | /usr/bin/python3 -c '
import json, sys
seen = set()
for line in sys.stdin:
    if line.strip():
        for r in json.loads(line)["rpms"]:
            if r["name"] != "gpg-pubkey":
                seen.add((r["name"], r["architecture"]))
print(len(seen))'
}
f=$F/trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/valid.txtar
expect_count "$f" "$(txtar_member "$f" var/lib/dpkg/status | grep -cE '^Status: .* installed$')" --os debian:12
f=$F/osv-scalibr/annotator/osduplicate/apk/testdata/cache
expect_count "$f" "$(txtar_member "$f" lib/apk/db/installed | grep -c '^P:')" --os alpine:3.19
for f in $F/claircore/rpm/testdata/package/ubi8_ubi.txtar $F/claircore/rpm/testdata/package/ubi9_ubi.txtar \
	$F/claircore/rhel/testdata/package/ubi9_httpd-24.txtar; do
	expect_count "$f" "$(manifest_count "$f")" --os rhel:9
done

# Not one valid host inventory: refused, naming the file and what is wrong.
refused() { # FILE TEXT [options]: exit 2 and TEXT in the message
	file=$1 text=$2; shift 2
	expect_exit 2 "$file is refused" -- hfx host import "$DATA/$file" --name bad "$@"
	expect_err "$text"
}
refused $F/syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/multiple "empty package name" --os debian:12
refused $F/trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk "field 'V'" --os alpine:3.19
refused $G/bad-purls.cdx.xml "invalid purl"
refused $F/trivy/pkg/fanal/artifact/sbom/testdata/sbom.cdx.intoto.jsonl "unknown inventory format"
refused $F/claircore/datastore/postgres/testdata/docker.io-library-debian-10.index.json "unknown inventory format"
refused $F/claircore/purl/testdata/ubi_latest_spdx.json "listed twice, with different versions"
[ "$(sqlite3 "$HFX_DB" "SELECT count(*) FROM host WHERE name = 'bad'")" = 0 ] && ok "nothing stored for refused files" ||
	fail "a refused file stored a host"
finish
