#!/bin/sh
# hfx vex export end to end: a fleet with every VEX status (a not-affected
# decision with its justification, a mitigation, an accepted risk, an
# approval with and without a fixed version, an auto-approval rule, an
# undecided finding, a host upgraded and rescanned so that its finding is
# fixed, two advisories naming one CVE), exported as OpenVEX and CSAF.
# The statuses are checked with python; then both documents are
# validated by others' code: the CSAF one with the BSI's
# @secvisogram/csaf-validator-lib (the CSAF 2.0 strict schema and every
# mandatory test, the VEX profile's included), the OpenVEX one with ajv
# against the OpenVEX JSON schema (tests/vex/openvex_json_schema.json,
# transcribed from the spec: see tests/vex/openvex_json_schema.md). The
# npm packages are installed once into $HFX_NPM_CACHE (default
# build/npm); without network the test is skipped (exit 77), saying so.
. tests/lib.sh

export HFX_NOW=2026-11-28T10:00:00Z HFX_USER=alice

# OSV records: ID ALIASES(JSON list) SOURCE-PACKAGE FIXED (empty: no fix).
record() {
	if [ -n "$4" ]; then events="{\"introduced\": \"0\"}, {\"fixed\": \"$4\"}"
	else events='{"introduced": "0"}'; fi
	cat >"$TMP/$1.json" <<JSON
{"id": "$1", "modified": "2026-01-01T00:00:00Z", "aliases": $2,
 "summary": "test advisory $1",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "$3"},
   "ranges": [{"type": "ECOSYSTEM", "events": [$events]}]}]}
JSON
}
record ADV-ZIP '["CVE-2099-1001", "CVE-2099-1002"]' zip 3.0-13+deb12u1
record ADV-ZIP2 '["CVE-2099-1002"]' zip 3.0-13+deb12u1
record ADV-TAR '["CVE-2099-1003"]' tar ""
record ADV-SSL '["CVE-2099-2001"]' openssl 3.0.15-1~deb12u1
record ADV-NOCVE '[]' unzip 1:6.0-28+deb12u1

# A dpkg status: zip, tar, unzip (with an epoch), and the binaries of source
# openssl, libssl3 for two architectures.
status() { # status FILE ZIP-VERSION
	cat >"$1" <<STATUS
Package: zip
Status: install ok installed
Architecture: amd64
Version: $2

Package: tar
Status: install ok installed
Architecture: amd64
Version: 1.34+dfsg-1.2+deb12u1

Package: unzip
Status: install ok installed
Architecture: amd64
Version: 1:6.0-28

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.14-1~deb12u2

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.14-1~deb12u2

Package: libssl3
Status: install ok installed
Architecture: i386
Multi-Arch: same
Source: openssl
Version: 3.0.14-1~deb12u2

STATUS
}
status "$TMP/status" 3.0-13
status "$TMP/status-upgraded" 3.0-13+deb12u1
cat >"$TMP/hfx.conf" <<'CONF'
[auto-approve "test-ring"]
priority = immediate, out-of-cycle, scheduled, defer
ring = test
CONF
export HFX_CONFIG="$TMP/hfx.conf"

hfx init >/dev/null || fail "init"
expect_exit 1 "nothing to export before a scan" -- hfx vex export --format csaf &&
	expect_err "nothing to export: no open or fixed findings"
hfx feed import "$TMP"/ADV-*.json >/dev/null || fail "import"
for h in app1 db1 test1 web1; do
	hfx host import "$TMP/status" --name $h --os debian:12 >/dev/null || fail "host import $h"
done
hfx host set db1 tags=pci >/dev/null && hfx host set test1 ring=test >/dev/null || fail "host set"
hfx scan >/dev/null || fail "scan"
# app1 upgrades zip: its ADV-ZIP and ADV-ZIP2 findings are resolved.
hfx host import "$TMP/status-upgraded" --name app1 --os debian:12 >/dev/null &&
	hfx scan >/dev/null || fail "rescan"
hfx role grant bob approver >/dev/null || fail "role grant"
hfx --as bob decide ADV-ZIP not-affected --scope tag:pci \
	--justification vulnerable_code_not_in_execute_path >/dev/null || fail "not-affected"
hfx --as bob decide CVE-2099-1003 mitigated --scope host:web1 \
	--reason "tar only unpacks signed archives here" >/dev/null || fail "mitigated"
hfx --as bob decide CVE-2099-1003 accept-risk --scope host:db1 --until 2026-12-05 \
	--reason "db1 is retired in December" >/dev/null || fail "accept-risk"
hfx --as bob decide ADV-SSL approve >/dev/null || fail "approve"
hfx --as bob decide ADV-SSL expedite --scope host:web1 >/dev/null || fail "expedite"

expect_exit 2 "--format is required" -- hfx vex export && expect_err "--format: expected openvex or csaf"
expect_exit 2 "an unknown format" -- hfx vex export --format spdx
expect_exit 2 "a namespace that is no URL" -- hfx vex export --format csaf --namespace "not a url" &&
	expect_err "expected an absolute URL"
expect_exit 0 "a viewer may export" -- hfx --as carol vex export --format openvex
hfx vex export --format openvex --author "Fleet Security" >"$TMP/openvex.json" || fail "openvex export"
hfx vex export --format csaf --author "Fleet Security" --namespace https://security.example.com/ \
	--output "$TMP/csaf.json" >"$TMP/out" || fail "csaf export"
grep -q "statements on .* products of 4 hosts written to" "$TMP/out" && ok "--output reports" ||
	fail "--output: $(cat "$TMP/out")"
hfx vex export --format openvex --author "Fleet Security" >"$TMP/openvex2.json"
cmp -s "$TMP/openvex.json" "$TMP/openvex2.json" && ok "the export is deterministic" ||
	fail "two exports of one fleet differ"

# What each document says, as "VULN HOST PACKAGE STATUS DETAIL" lines.
python3 - "$TMP/openvex.json" "$TMP/csaf.json" >"$TMP/statuses" <<'PY' || fail "reading the documents"
import json, sys
ov = json.load(open(sys.argv[1]))
cs = json.load(open(sys.argv[2]))
seen = set()
for s in ov["statements"]:
    (prod,) = s["products"]
    host = prod["@id"].removeprefix("urn:hfx:host:")
    (sub,) = prod["subcomponents"]
    assert sub["@id"] == sub["identifiers"]["purl"]
    pkg = sub["@id"].split("/")[2].split("@")[0] + ":" + sub["@id"].split("arch=")[1].split("&")[0]
    key = (s["vulnerability"]["name"], host, pkg)
    assert key not in seen, key
    seen.add(key)
    detail = s.get("justification") or s.get("action_statement") or ""
    print("openvex", *key, s["status"], detail)
names = {}
def walk(branches, path):
    for b in branches:
        if "product" in b:
            host, vendor, name, version, arch = path + [b["name"]]
            assert vendor == "debian", vendor
            assert b["category"] == "architecture"
            names[b["product"]["product_id"]] = (host, name + ":" + arch)
        walk(b.get("branches", []), path + [b["name"]])
walk(cs["product_tree"]["branches"], [])
status_of = {"known_affected": "affected", "known_not_affected": "not_affected",
             "fixed": "fixed", "under_investigation": "under_investigation"}
for v in cs["vulnerabilities"]:
    name = v.get("cve") or v["ids"][0]["text"]
    detail = {}
    for f in v.get("flags", []):
        for p in f["product_ids"]:
            detail[p] = f["label"]
    for r in v.get("remediations", []):
        for p in r["product_ids"]:
            detail[p] = r["category"] + ": " + r["details"]
    for k, ids in v["product_status"].items():
        for p in ids:
            print("csaf", name, *names[p], status_of[k], detail.get(p, ""))
PY
want() { # want FORMAT VULN HOST PACKAGE STATUS [DETAIL-PREFIX]
	line=$(grep "^$1 $2 $3 $4 " "$TMP/statuses")
	case "$line" in
	"$1 $2 $3 $4 $5 ${6-}"*) ok "$1: $2 on $3 $4 is $5${6:+ ($6)}" ;;
	"") fail "$1: no statement for $2 on $3 $4" ;;
	*) fail "$1: $2 on $3 $4: '$line', expected $5 ${6-}" ;;
	esac
}
for fmt in openvex csaf; do
	want $fmt CVE-2099-1001 db1 zip:amd64 not_affected vulnerable_code_not_in_execute_path
	# ADV-ZIP2 names CVE-2099-1002 too, undecided on db1: the CVE is still open.
	want $fmt CVE-2099-1002 db1 zip:amd64 under_investigation
	want $fmt CVE-2099-1001 web1 zip:amd64 under_investigation
	want $fmt CVE-2099-1001 app1 zip:amd64 fixed
	want $fmt CVE-2099-1002 app1 zip:amd64 fixed
	want $fmt CVE-2099-1001 test1 zip:amd64 affected
	want $fmt ADV-NOCVE web1 unzip:amd64 under_investigation
	want $fmt ADV-NOCVE test1 unzip:amd64 affected
	want $fmt CVE-2099-2001 web1 libssl3:amd64 affected
	want $fmt CVE-2099-2001 web1 openssl:amd64 affected
	want $fmt CVE-2099-2001 db1 libssl3:amd64 affected
	want $fmt CVE-2099-2001 db1 libssl3:i386 affected
	want $fmt CVE-2099-2001 test1 libssl3:amd64 affected
	want $fmt CVE-2099-1003 app1 tar:amd64 under_investigation
done
want openvex CVE-2099-1003 web1 tar:amd64 affected "Mitigated (by bob): tar only unpacks signed archives here"
want openvex CVE-2099-1003 db1 tar:amd64 affected "No fix planned: risk accepted until 2026-12-05 by bob: db1 is retired in December"
want openvex CVE-2099-1003 test1 tar:amd64 affected "No fixed version of tar is available yet"
want openvex CVE-2099-2001 web1 openssl:amd64 affected "Upgrade openssl to 3.0.15-1~deb12u1 or later, out of cycle (expedite by bob)"
want openvex CVE-2099-2001 db1 openssl:amd64 affected "Upgrade openssl to 3.0.15-1~deb12u1 or later (approve by bob)"
want openvex CVE-2099-2001 test1 openssl:amd64 affected "Upgrade openssl to 3.0.15-1~deb12u1 or later (approve by bob)"
want openvex CVE-2099-1001 test1 zip:amd64 affected "Upgrade zip to 3.0-13+deb12u1 or later (auto-approved by policy rule test-ring)"
want csaf CVE-2099-1003 web1 tar:amd64 affected "mitigation: Mitigated (by bob)"
want csaf CVE-2099-1003 db1 tar:amd64 affected "no_fix_planned: No fix planned: risk accepted until 2026-12-05"
want csaf CVE-2099-1003 test1 tar:amd64 affected "none_available: No fixed version of tar"
want csaf CVE-2099-2001 db1 libssl3:amd64 affected "vendor_fix: Upgrade openssl to 3.0.15-1~deb12u1 or later"
want csaf CVE-2099-2001 db1 libssl3:i386 affected "vendor_fix: Upgrade openssl to 3.0.15-1~deb12u1 or later"
want csaf CVE-2099-1001 test1 zip:amd64 affected "vendor_fix: Upgrade zip to 3.0-13+deb12u1 or later (auto-approved"
check "one statement per vulnerability and product, in both" \
	"$(grep -c '^openvex' "$TMP/statuses")" "$(grep -c '^csaf' "$TMP/statuses")"
# 4 hosts: zip x 2 CVEs, tar, unzip, openssl and libssl3 (2 architectures) x 1.
check "statement count" "$(grep -c '^openvex' "$TMP/statuses")" 28
python3 - "$TMP/openvex.json" "$TMP/csaf.json" >"$TMP/ids" <<'PY'
import json, sys
ov = json.load(open(sys.argv[1])); cs = json.load(open(sys.argv[2]))
print(ov["@id"].removeprefix("urn:hfx:vex:") == cs["document"]["tracking"]["id"].removeprefix("hfx-vex-"))
print(ov["author"], "|", cs["document"]["publisher"]["name"], "|", cs["document"]["publisher"]["namespace"])
purls = [s["products"][0]["subcomponents"][0]["@id"] for s in ov["statements"]]
print([p for p in purls if "/libssl3@" in p][0])
print([p for p in purls if "/unzip@" in p][0])
PY
check "both documents have one id" "$(sed -n 1p "$TMP/ids")" True
check "author and publisher" "$(sed -n 2p "$TMP/ids")" "Fleet Security | Fleet Security | https://security.example.com/"
check "purl" "$(sed -n 3p "$TMP/ids")" "pkg:deb/debian/libssl3@3.0.14-1~deb12u2?arch=amd64&distro=debian-12"
check "purl with an epoch" "$(sed -n 4p "$TMP/ids")" "pkg:deb/debian/unzip@1:6.0-28?arch=amd64&distro=debian-12"

# Validation by the reference implementations, installed with npm.
NPM_DIR=${HFX_NPM_CACHE:-$ROOT/build/npm}
PKGS="@secvisogram/csaf-validator-lib@2.0.10 ajv@8.17.1 ajv-formats@3.0.1"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	fail "node and npm are needed to validate the documents (make deps installs them)"
	finish
fi
if [ "$(cat "$NPM_DIR/.hfx-packages" 2>/dev/null)" != "$PKGS" ]; then
	mkdir -p "$NPM_DIR"
	# shellcheck disable=SC2086
	if ! npm install --prefix "$NPM_DIR" --no-audit --no-fund --no-save $PKGS >"$TMP/npm.log" 2>&1; then
		if ! npm ping >/dev/null 2>&1; then
			[ "$failures" -eq 0 ] || finish
			echo "SKIP: cannot reach the npm registry to install $PKGS; the documents were not validated"
			exit 77
		fi
		fail "npm install $PKGS:"; tail -5 "$TMP/npm.log" | sed 's/^/  | /'
		finish
	fi
	echo "$PKGS" >"$NPM_DIR/.hfx-packages"
fi
node tests/vex/validate_csaf.mjs "$NPM_DIR" "$TMP/csaf.json" >"$TMP/csaf.out" 2>&1 &&
	ok "CSAF: valid (strict schema and every mandatory test: $(tail -1 "$TMP/csaf.out"))" ||
	{ fail "CSAF validator:"; sed 's/^/  | /' "$TMP/csaf.out" | head -20; }
node tests/vex/validate_openvex.mjs "$NPM_DIR" tests/vex/openvex_json_schema.json "$TMP/openvex.json" \
	>"$TMP/openvex.out" 2>&1 && ok "OpenVEX: valid against the OpenVEX JSON schema" ||
	{ fail "OpenVEX schema:"; sed 's/^/  | /' "$TMP/openvex.out" | head -20; }

# The validators catch what they should: an affected product without its
# remediation, an affected statement without its action statement.
python3 - "$TMP/csaf.json" "$TMP/openvex.json" "$TMP" <<'PY'
import json, sys
cs = json.load(open(sys.argv[1]))
for v in cs["vulnerabilities"]:
    if "remediations" in v:
        del v["remediations"]
        break
json.dump(cs, open(sys.argv[3] + "/csaf-bad.json", "w"))
ov = json.load(open(sys.argv[2]))
for s in ov["statements"]:
    if s["status"] == "affected":
        del s["action_statement"]
        break
json.dump(ov, open(sys.argv[3] + "/openvex-bad.json", "w"))
PY
node tests/vex/validate_csaf.mjs "$NPM_DIR" "$TMP/csaf-bad.json" >"$TMP/out" 2>&1
grep -q "mandatoryTest_6_1_27_10" "$TMP/out" && ok "the CSAF validator rejects a missing remediation" ||
	fail "the CSAF validator accepted a missing remediation: $(cat "$TMP/out")"
node tests/vex/validate_openvex.mjs "$NPM_DIR" tests/vex/openvex_json_schema.json "$TMP/openvex-bad.json" \
	>"$TMP/out" 2>&1
grep -q "must have required property 'action_statement'" "$TMP/out" &&
	ok "the OpenVEX schema rejects an affected statement without action" ||
	fail "the OpenVEX schema accepted an affected statement without action: $(cat "$TMP/out")"
finish
