#!/bin/sh
# The committee's workflow end to end: roles and refusals, decisions and
# their precedence, the quorum, expiry returning findings to the queue,
# an explicit decision beating an auto-approval rule, the review queue and
# the meeting agenda. Every fixture is written here: a KEV catalog in
# CISA's layout, OSV records, dpkg status files.
. tests/lib.sh

export HFX_NOW=2026-11-28T10:00:00Z HFX_USER=alice
status() { printf 'Package: zip\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0-13\n\n' >"$1"; }
record() { # record ID CVE VECTOR
	cat >"$TMP/$1.json" <<JSON
{"id": "$1", "modified": "2026-01-01T00:00:00Z", "aliases": ["$2"],
 "severity": [{"type": "CVSS_V3", "score": "$3"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "zip"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0-13+deb12u1"}]}]}]}
JSON
}
record TEST-KEV CVE-2099-9001 "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"
record TEST-NET CVE-2099-9002 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
cat >"$TMP/kev.json" <<'JSON'
{"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2026.11.01",
 "dateReleased": "2026-11-01T00:00:00.000Z", "count": 1, "vulnerabilities": [
 {"cveID": "CVE-2099-9001", "vendorProject": "Info-ZIP", "product": "zip",
  "vulnerabilityName": "test", "dateAdded": "2026-11-01", "shortDescription": "test",
  "requiredAction": "patch", "dueDate": "2026-12-24", "knownRansomwareCampaignUse": "Unknown",
  "notes": ""}]}
JSON
decision() { hfx findings --format csv --host "$1" | grep ",$2," | cut -d, -f18; }
queued() { hfx review --format json | grep -c "\"advisory\": \"$1\""; }

hfx init >"$TMP/out" || fail "init"
grep -q "alice is the admin" "$TMP/out" && ok "the first person to init is admin" || fail "no admin"
hfx feed import "$TMP/kev.json" "$TMP/TEST-KEV.json" "$TMP/TEST-NET.json" >/dev/null || fail "import"
status "$TMP/status"
for h in web1 db1 test1; do hfx host import "$TMP/status" --name $h --os debian:12 >/dev/null; done
hfx host set web1 exposure=internet criticality=critical group=web >/dev/null
hfx host set db1 exposure=internal criticality=low group=db tags=pci,role=db >/dev/null
hfx host set test1 ring=test >/dev/null
hfx scan >/dev/null || fail "scan"
check "web1 TEST-KEV is immediate" "$(hfx findings --format csv --host web1 | grep TEST-KEV | cut -d, -f12)" immediate
check "test1 TEST-NET is scheduled" "$(hfx findings --format csv --host test1 | grep TEST-NET | cut -d, -f12)" scheduled

# Roles: nobody but alice holds one yet.
expect_exit 3 "a viewer may not decide" -- hfx --as bob decide TEST-NET approve &&
	expect_err "'bob' may not run 'hfx decide': it needs the approver role, and bob has viewer"
expect_exit 3 "a viewer may not scan" -- hfx --as bob scan
expect_exit 0 "a viewer may list findings" -- hfx --as bob findings
hfx role grant bob approver >/dev/null && hfx role grant carol approver >/dev/null &&
	hfx role grant dave operator >/dev/null || fail "role grant"
expect_exit 3 "an operator may not decide" -- hfx --as dave decide TEST-NET approve
expect_exit 3 "an approver may not grant roles" -- hfx --as bob role grant eve admin &&
	expect_err "needs the admin role"
expect_exit 0 "an operator may scan" -- hfx --as dave scan
expect_exit 2 "the last admin cannot be revoked" -- hfx role revoke alice admin
hfx role list | grep -q "^bob  *approver" && ok "role list" || fail "role list"

# Precedence: the most specific scope wins; revoke falls back.
hfx --as bob decide TEST-NET defer --until 2026-12-20 --reason "next window" >/dev/null || fail "defer all"
hfx --as bob decide TEST-NET approve --scope host:web1 >/dev/null || fail "approve web1"
hfx --as bob decide TEST-NET expedite --scope group:db >/dev/null || fail "expedite db"
check "host scope beats all" "$(decision web1 TEST-NET)" "approve by bob"
check "group scope beats all" "$(decision db1 TEST-NET)" "expedite by bob"
check "scope all" "$(decision test1 TEST-NET)" "defer until 2026-12-20 by bob"
hfx --as carol decide TEST-NET revoke --scope host:web1 >/dev/null || fail "revoke"
check "after revoke, the broader decision stands" "$(decision web1 TEST-NET)" "defer until 2026-12-20 by bob"
check "TEST-NET decided everywhere: not queued" "$(queued TEST-NET)" 0

# Quorum: accepting the risk of an immediate finding needs two approvers.
expect_exit 2 "accept-risk needs a reason" -- hfx --as bob decide CVE-2099-9001 accept-risk --until 2026-12-01 &&
	expect_err "accept-risk needs --reason TEXT and --until DATE"
expect_exit 2 "accept-risk is capped by priority" -- hfx --as bob decide CVE-2099-9001 accept-risk --until 2027-01-01 --reason "vendor" --scope host:web1 &&
	expect_err "accept-risk of immediate findings may last at most 7 days"
hfx --as bob decide CVE-2099-9001 accept-risk --until 2026-12-03 --reason "vendor patch Monday" --scope host:web1 >"$TMP/out" || fail "accept-risk"
grep -q "1 of 2 approvers: pending" "$TMP/out" && ok "accept-risk on immediate is pending" || fail "not pending: $(cat "$TMP/out")"
check "pending shows in findings" "$(decision web1 TEST-KEV)" "pending accept-risk (1 of 2 approvers)"
check "pending stays in the queue" "$(queued TEST-KEV)" 1
expect_exit 2 "the same approver cannot count twice" -- hfx --as bob decide CVE-2099-9001 accept-risk --until 2026-12-03 --reason "again" --scope host:web1 &&
	expect_err "bob already agreed"
hfx --as carol decide CVE-2099-9001 accept-risk --until 2026-12-03 --reason "agreed" --scope host:web1 >"$TMP/out" || fail "second approver"
grep -q "2 of 2 approvers: stands" "$TMP/out" && ok "the second approver makes it stand" || fail "$(cat "$TMP/out")"
check "accept-risk stands" "$(decision web1 TEST-KEV)" "accept-risk until 2026-12-03 by bob"

# not-affected needs a VEX justification.
expect_exit 2 "not-affected needs a justification" -- hfx --as bob decide TEST-KEV not-affected --scope host:db1
expect_exit 2 "not-affected with an unknown justification" -- hfx --as bob decide TEST-KEV not-affected --scope host:db1 --justification because
hfx --as bob decide TEST-KEV not-affected --scope tag:pci --justification vulnerable_code_not_in_execute_path >/dev/null || fail "not-affected"
check "tag scope" "$(decision db1 TEST-KEV)" "not-affected by bob"
expect_exit 2 "mitigated needs the workaround" -- hfx --as bob decide TEST-KEV mitigated --scope host:test1
expect_exit 2 "unknown scope" -- hfx --as bob decide TEST-KEV approve --scope rack:4 && expect_err "expected all, group:NAME, host:NAME or tag:KEY=VALUE"
expect_exit 2 "unknown advisory" -- hfx --as bob decide CVE-2099-0000 approve && expect_err "no advisory 'CVE-2099-0000'"
expect_exit 2 "a date in the past" -- hfx --as bob decide TEST-KEV defer --until 2026-01-01

# Auto-approval: scheduled findings on ring test; an explicit decision wins.
cat >"$TMP/hfx.conf" <<'CONF'
[auto-approve "test-ring"]
priority = scheduled
ring = test
CONF
export HFX_CONFIG="$TMP/hfx.conf"
hfx --as bob decide TEST-NET revoke >/dev/null || fail "revoke all"
check "auto-approval rule" "$(decision test1 TEST-NET)" "auto-approve (rule test-ring)"
hfx --as bob decide TEST-NET defer --scope host:test1 --until 2026-12-10 --reason "freeze" >/dev/null
check "an explicit decision beats the rule" "$(decision test1 TEST-NET)" "defer until 2026-12-10 by bob"

# Defer until the host's next maintenance window: db1's Saturday window
# today (02:00-04:00) is over, so it lasts until 2026-12-05T02:00Z.
hfx host set db1 "window=sat 02:00-04:00" >/dev/null
hfx --as bob decide TEST-NET defer --scope host:db1 --until next-window >/dev/null || fail "defer next-window"
check "defer until the next window" "$(decision db1 TEST-NET)" "defer until next window by bob"
expect_exit 2 "next-window is for defer only" -- hfx --as bob decide TEST-NET approve --until next-window

# The agenda, then expiry: on 12-05 the accept-risk (until 12-03) expired.
hfx review agenda --format markdown >"$TMP/agenda" || fail "agenda"
for want in "# Security review agenda, 2026-11-28" "## New since the last agenda" "## Overdue (0)" \
	"## Decisions expiring by 2026-12-12" "| accept-risk | CVE-2099-9001 | host:web1 | 2026-12-03 | active |" \
	"## Decisions taken since the last agenda"; do
	grep -qF -- "$want" "$TMP/agenda" && ok "agenda: $want" || fail "agenda lacks: $want"
done
export HFX_NOW=2026-12-05T09:00:00Z
check "expired decision" "$(decision web1 TEST-KEV)" "expired accept-risk (until 2026-12-03)"
# The next window came: the host's defer expired, so the group's expedite
# (still standing) applies again.
check "the next window came: the defer expired" "$(decision db1 TEST-NET)" "expedite by bob"
check "expired: back in the queue" "$(queued TEST-KEV)" 1
# web1's accept-risk expired; test1 never had a decision on TEST-KEV.
hfx review >"$TMP/review" && grep -q "^immediate .*TEST-KEV  *2 yes  *web 1, (none) 1; expired accept-risk (until 2026-12-03)" "$TMP/review" &&
	ok "review table" || { fail "review table"; cat "$TMP/review"; }
hfx review --format markdown | grep -q "^| immediate | 2026-11-30 | TEST-KEV | CVE-2099-9001 | web 1, (none) 1 | yes |" &&
	ok "review markdown" || fail "review markdown"
hfx review agenda >"$TMP/agenda2"
grep -qF "## New since the last agenda (0)" "$TMP/agenda2" && ok "second agenda: nothing new" || fail "second agenda"
grep -qF "## Overdue (1)" "$TMP/agenda2" && ok "second agenda: overdue" || fail "second agenda overdue"

# Every change is in the audit log, and the chain is intact.
hfx audit log >"$TMP/audit"
# (columns: seq, time, actor, action, object, details)
for want in "alice role.grant alice" "alice role.grant bob" "alice feed.import" "alice host.import web1" \
	"alice host.set db1" "alice scan hosts" "bob decision.defer TEST-NET" "carol decision.revoke TEST-NET" \
	"bob decision.accept-risk CVE-2099-9001" "carol decision.agree CVE-2099-9001" \
	"alice policy.change policy" "alice review.agenda agenda"; do
	sed 's/^[0-9]*  [^ ]*  //; s/  / /g' "$TMP/audit" | grep -qF -- "$want" && ok "audit: $want" || fail "audit lacks: $want"
done
expect_exit 0 "audit verify" -- hfx audit verify

# Refusals change nothing.
before=$(db_fingerprint)
expect_exit 3 "refused decision" -- hfx --as mallory decide TEST-KEV approve
expect_exit 2 "invalid --as" -- hfx --as 'x;rm' findings
[ "$(db_fingerprint)" = "$before" ] && ok "refusals changed nothing" || fail "a refusal changed the database"
finish
