#!/bin/sh
# Ranking end to end: the SSVC priority and due date of findings from the
# real CISA KEV catalog, an EPSS file in FIRST's layout, CVSS vectors in
# OSV records and host attributes; the policy file (days, EPSS threshold,
# KEV due dates, group overrides); a priority raised later; overdue; the
# order and columns of `findings`; `advisory show`; `host set --file`.
# The expected priorities are rows of CISA's deployer table (row numbers
# in the comments), the dates are the policy's arithmetic.
. tests/lib.sh
need_data kev/known_exploited_vulnerabilities.json
KEV=$DATA/kev/known_exploited_vulnerabilities.json

# One package, zip 3.0-13, on every host.
status() {
	printf 'Package: zip\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0-13\n\n' >"$1"
}
record() { # record ID CVE VECTOR|"" FIXED
	sev=""
	[ -n "$3" ] && sev="\"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"$3\"}],"
	cat >"$TMP/$1.json" <<JSON
{"id": "$1", "modified": "2026-01-01T00:00:00Z", "aliases": ["$2"], $sev
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "zip"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "$4"}]}]}]}
JSON
}
# CVE-2021-4034 (pkexec) is in KEV: added 2022-06-27, due 2022-07-18. Its
# vector is local (AV:L): not automatable.
record TEST-KEV CVE-2021-4034 "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H" 3.0-13+deb12u1
# Not in KEV, EPSS 0.00100: exploitation none; network, no privileges, no user.
record TEST-LOW CVE-2099-0001 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" 3.0-13+deb12u2
# Not in KEV, EPSS 0.5: public PoC at the default threshold 0.1; no vector.
record TEST-POC CVE-2099-0002 "" 3.0-13+deb12u3
printf '#model_version:v2025.03.14,score_date:2026-11-01T00:00:00+0000\ncve,epss,percentile\nCVE-2099-0001,0.00100,0.20000\nCVE-2099-0002,0.50000,0.99000\n' >"$TMP/epss.csv"

export HFX_NOW=2026-11-28T10:00:00Z
hfx init >/dev/null
hfx feed import "$KEV" "$TMP/epss.csv" "$TMP/TEST-KEV.json" "$TMP/TEST-LOW.json" \
	"$TMP/TEST-POC.json" >/dev/null || fail "import"
status "$TMP/status"
for h in crit iso internal; do
	hfx host import "$TMP/status" --name $h --os debian:12 >/dev/null || fail "import $h"
done
hfx host set crit exposure=internet criticality=critical >/dev/null || fail "host set crit"
printf 'name,exposure,criticality\niso,isolated,low\n"internal",internal,low\n' >"$TMP/hosts.csv"
hfx host set --file "$TMP/hosts.csv" >/dev/null || fail "host set --file"
hfx scan >/dev/null || fail "scan"

# rank HOST ADVISORY: "priority,due,overdue,cvss,kev,epss"
rank() { hfx findings --format csv --host "$1" | grep ",$2," | cut -d, -f12-17; }
check() { # check WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok "$1: $2"; else fail "$1: '$2', expected '$3'"; fi
}

# With the defaults the earlier KEV due date wins (and is long past).
check "KEV, AV:L, internet, critical (row 67)" "$(rank crit TEST-KEV)" \
	"immediate,2022-07-18,yes,7.8,CVE-2021-4034,"
check "KEV, AV:L, isolated, low (row 48)" "$(rank iso TEST-KEV)" \
	"scheduled,2022-07-18,yes,7.8,CVE-2021-4034,"
check "low EPSS, AV:N, internal, low (row 4)" "$(rank internal TEST-LOW)" \
	"defer,2027-02-26,no,9.8,,0.00100"
# No vector: automatable is assumed; public PoC, open, yes, very high (row 47).
check "EPSS 0.5, no vector, internet, critical (row 47)" "$(rank crit TEST-POC)" \
	"out-of-cycle,2026-12-05,no,,,0.50000"
# Exposure and criticality not set count as internet and medium:
# public PoC, open, yes, medium (row 45).
hfx host import "$TMP/status" --name bare --os debian:12 >/dev/null
hfx scan bare >/dev/null
check "host without attributes: internet, medium (row 45)" "$(rank bare TEST-POC)" \
	"scheduled,2026-12-28,no,,,0.50000"

# The policy: KEV due dates off, other days, a group override, a higher
# EPSS threshold. Stored ranks follow the changed policy.
cat >"$TMP/hfx.conf" <<'CONF'
[due]
immediate = 3
scheduled = 20
[assess]
kev-due-date-wins = no
epss-threshold = 0.6
[group "dmz-web"]
scheduled = 10
CONF
export HFX_CONFIG="$TMP/hfx.conf"
check "policy days, KEV date off" "$(rank crit TEST-KEV)" "immediate,2026-12-01,no,7.8,CVE-2021-4034,"
check "policy days (scheduled 20)" "$(rank iso TEST-KEV)" "scheduled,2026-12-18,no,7.8,CVE-2021-4034,"
check "EPSS 0.5 below threshold 0.6: none, open, yes, very high (row 23)" \
	"$(rank crit TEST-POC)" "out-of-cycle,2026-12-05,no,,,0.50000"
hfx host set iso group=dmz-web >/dev/null
check "group override (scheduled 10)" "$(rank iso TEST-KEV)" "scheduled,2026-12-08,no,7.8,CVE-2021-4034,"

# A priority raised later counts from that day, never past what it had:
# internal/low/defer (due 2027-02-26) becomes internet/critical on
# 2026-12-10: none, open, yes, very high (row 23) gives out-of-cycle, 7
# days from 2026-12-10.
export HFX_NOW=2026-12-10T08:00:00Z
hfx host set internal exposure=internet criticality=critical >/dev/null
check "raised priority counts from the raise" "$(rank internal TEST-LOW)" \
	"out-of-cycle,2026-12-17,no,9.8,,0.00100"
export HFX_NOW=2026-12-20T08:00:00Z
check "past its due date: overdue" "$(rank internal TEST-LOW)" \
	"out-of-cycle,2026-12-17,yes,9.8,,0.00100"

# Most urgent first; the CSV header.
first=$(hfx findings --format csv | sed -n 2p | cut -d, -f12)
check "sorted by priority" "$first" "immediate"
# Every row: priority never rises, and within a priority the due date
# never falls.
order=$(hfx findings --format csv | tail -n +2 | awk -F, '
	BEGIN { r["immediate"] = 3; r["out-of-cycle"] = 2; r["scheduled"] = 1; r["defer"] = 0 }
	NR > 1 && (r[$12] > p || (r[$12] == p && $13 < d)) { bad = 1 }
	{ p = r[$12]; d = $13 } END { print bad ? "unsorted" : "sorted" }')
check "sorted by priority then due date" "$order" "sorted"
check "CSV header" "$(hfx findings --format csv | head -1)" \
	"host,advisory,aliases,package,arch,installed_version,source,source_version,fixed_version,status,first_seen,priority,due,overdue,cvss,kev,epss,decision"

# --explain names every input and its source.
hfx findings --host crit --explain >"$TMP/explain"
for want in "exploitation active (CVE-2021-4034 in CISA KEV, added 2022-06-27, due 2022-07-18)" \
	"exposure open (host exposure internet)" \
	"automatable no (CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H" \
	"human impact very high (host criticality critical)" \
	"priority immediate" "due 2026-12-01 (3 days for immediate from 2026-11-28)" \
	"EPSS 0.50000 (percentile 0.99000, 2026-11-01" "automatable yes (no CVSS vector: assumed)"; do
	grep -qF "$want" "$TMP/explain" && ok "explain: $want" || fail "explain lacks: $want"
done

# advisory show, by alias.
hfx advisory show CVE-2021-4034 >"$TMP/show" || fail "advisory show"
for want in "TEST-KEV" "7.8 High (ranks the advisory)" "CVE-2021-4034 in CISA KEV, added 2022-06-27, due 2022-07-18" \
	"immediate    2026-12-01 crit"; do
	grep -qF "$want" "$TMP/show" && ok "advisory show: $want" || fail "advisory show lacks: $want"
done

# Bad input changes nothing.
before=$(db_fingerprint)
expect_exit 2 "unknown host attribute" -- hfx host set crit colour=red && expect_err "unknown host attribute 'colour'"
expect_exit 2 "bad exposure" -- hfx host set crit exposure=public && expect_err "exposure: 'public' is not one of internet|dmz|internal|isolated"
expect_exit 2 "unknown host" -- hfx host set nosuch exposure=dmz && expect_err "no host named 'nosuch'"
printf 'name,exposure\ncrit,dmz\niso,nowhere\n' >"$TMP/bad.csv"
expect_exit 2 "bad row in hosts.csv" -- hfx host set --file "$TMP/bad.csv" && expect_err "bad.csv: line 3: column 2: exposure: 'nowhere'"
printf 'name,exposure\ncrit,dmz\nghost,dmz\n' >"$TMP/ghost.csv"
expect_exit 2 "unknown host in hosts.csv" -- hfx host set --file "$TMP/ghost.csv" && expect_err "ghost.csv:3: no host named 'ghost'"
printf '[due]\nimmediate = soon\n' >"$TMP/bad.conf"
HFX_CONFIG="$TMP/bad.conf" expect_exit 2 "bad policy file" -- hfx findings && expect_err "bad.conf:2"
HFX_CONFIG="$TMP/bad.conf" expect_exit 2 "bad policy file stops a scan" -- hfx scan --full
[ "$(db_fingerprint)" = "$before" ] && ok "nothing changed" || fail "bad input changed the database"
finish
