#!/bin/sh
# Notifications end to end, against a webhook receiver (webhook_server.py)
# and a real SMTP server (aiosmtpd, with smtp_sink.py) on loopback: the
# real Debian 12 host and advisories give the first digest (new advisories
# that affect hosts, and only those); nothing is sent twice; a KEV entry
# raises one advisory's priority; a receiver answering 500 fails the run
# and the next run delivers; overdue, reissued and regressed findings; a
# server without STARTTLS is refused when starttls is asked; bad [notify]
# values are rejected; tokens in webhook URLs stay out of messages and
# the audit log.
. tests/lib.sh
need_data osv/debian12 inventories/debian12-host/dpkg-status \
	osv/debian12/DEBIAN-CVE-2018-13410.json kev/known_exploited_vulnerabilities.json
PY=/usr/bin/python3
if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
	echo "SKIP: python3-aiosmtpd is not installed (scripts/install-deps.sh)"
	exit 77
fi
STATUS=$DATA/inventories/debian12-host/dpkg-status
REC=$DATA/osv/debian12/DEBIAN-CVE-2018-13410.json
ID=DEBIAN-CVE-2018-13410
export HFX_NOW=2026-11-28T10:00:00Z HFX_USER=alice

# The receivers, killed on exit.
HOOK=$TMP/hook MAIL=$TMP/mail
mkdir -p "$HOOK" "$MAIL"
$PY "$ROOT/tests/notify/webhook_server.py" "$HOOK" &
HOOK_PID=$!
SMTP_PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PYTHONPATH=$ROOT/tests/notify $PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c smtp_sink.Sink "$MAIL" \
	>"$TMP/smtp.log" 2>&1 &
SMTP_PID=$!
trap 'kill $HOOK_PID $SMTP_PID 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
for _ in $(seq 100); do
	[ -f "$HOOK/port" ] && $PY -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" \
		2>/dev/null && break
	sleep 0.1
done
[ -f "$HOOK/port" ] || { echo "FAIL: the webhook receiver did not start"; exit 1; }
HOOK_PORT=$(cat "$HOOK/port")

conf() { # conf TLS [MORE-LINES]: the [notify] section, written to $TMP/hfx.conf
	cat >"$TMP/hfx.conf" <<CONF
[notify]
webhook = http://127.0.0.1:$HOOK_PORT/hook/SECRET-TOKEN-1, http://127.0.0.1:$HOOK_PORT/second
smtp-server = 127.0.0.1
smtp-port = $SMTP_PORT
smtp-tls = $1
from = hfx@example.test
to = ops@example.test, sec@example.test
max-lines = 5
${2:-}
CONF
}
conf none
export HFX_CONFIG="$TMP/hfx.conf"
bodies() { find "$HOOK" -name '*.json' | wc -l; }
mails() { find "$MAIL" -name '*.eml' | wc -l; }
sent() { sqlite3 "$HFX_DB" 'SELECT count(*) FROM notify_sent'; }
last_body() { ls "$HOOK"/*.json | tail -1; }
last_mail() { ls "$MAIL"/*.eml | tail -1; }
# digest CHECK-PYTHON: runs Python with b (the last webhook body, parsed)
# and m (the last e-mail, an email.message.Message) and raw (its bytes).
digest() {
	$PY - "$(last_body)" "$(last_mail)" <<PYTHON
import email, email.policy, json, sys
b = json.load(open(sys.argv[1]))
raw = open(sys.argv[2], 'rb').read()
m = email.message_from_bytes(raw, policy=email.policy.default)
kinds = lambda k: [e for e in b["events"] if e["kind"] == k]
$1
PYTHON
}

# A fleet: the real host, and a copy that has zip's fix 3.0-13+deb12u1.
hfx init >/dev/null
hfx feed import "$DATA/osv/debian12" >/dev/null || fail "import the advisories"
hfx host import "$STATUS" --name web1 >/dev/null || fail "import web1"
sed 's/^Version: 3.0-13$/Version: 3.0-13+deb12u1/' "$STATUS" >"$TMP/status-fixed"
cp "$DATA/inventories/debian12-host/os-release" "$TMP/os-release"
hfx host import "$TMP/status-fixed" --name web2 >/dev/null || fail "import web2"
hfx scan >/dev/null || fail "scan"
OPEN=$(sqlite3 "$HFX_DB" 'SELECT count(DISTINCT advisory_id) FROM finding WHERE resolved_at IS NULL')
ALL=$(sqlite3 "$HFX_DB" 'SELECT count(*) FROM advisory')
[ "$OPEN" -gt 200 ] && [ "$ALL" -gt "$OPEN" ] && ok "$OPEN of $ALL advisories affect a host" ||
	fail "open advisories: $OPEN of $ALL"

# Roles: notifying is an operator's.
expect_exit 3 "a viewer may not notify" -- hfx --as bob notify

# A dry run prints the digest and sends and records nothing.
expect_exit 0 "dry run" -- hfx notify --dry-run
grep -q "^New advisories affecting hosts ($OPEN):" "$TMP/out" && grep -q "^- and $((OPEN - 5)) more" "$TMP/out" &&
	grep -q "dry run: nothing sent" "$TMP/out" && ok "the dry run prints the bounded digest" ||
	fail "dry run: $(head -5 "$TMP/out")"
check "the dry run sent nothing" "$(bodies) $(mails) $(sent)" "0 0 0"

# The first digest: every advisory with an open finding, once.
expect_exit 0 "first notify" -- hfx notify
grep -q "sent $OPEN events to 2 webhooks and by e-mail to ops@example.test, sec@example.test" "$TMP/out" &&
	ok "the command says what it sent" || fail "notify: $(cat "$TMP/out")"
check "one body per webhook, one e-mail" "$(bodies) $(mails)" "2 1"
grep -q "^POST /hook/SECRET-TOKEN-1" "$HOOK/001.headers" && grep -q "^POST /second" "$HOOK/002.headers" &&
	grep -qi "^Content-Type: application/json" "$HOOK/001.headers" && ok "both webhooks got a JSON POST" ||
	fail "webhook requests: $(head -3 "$HOOK"/*.headers)"
sqlite3 "$HFX_DB" 'SELECT a.name FROM finding f JOIN advisory a ON a.id = f.advisory_id
	WHERE f.resolved_at IS NULL' | sort -u >"$TMP/open-advisories"
digest "
want = set(open('$TMP/open-advisories').read().split())
assert b['counts'] == {'new': $OPEN, 'priority': 0, 'overdue': 0, 'reissued': 0, 'regressed': 0,
                       'deploy': 0, 'halt': 0}, b['counts']
new = kinds('new')
assert len(new) == 200 and b['omitted']['new'] == $OPEN - 200, (len(new), b['omitted'])
assert {e['advisory'] for e in new} <= want and len({e['key'] for e in new}) == 200
e = new[0]
assert e['key'] == 'new:' + e['advisory'] and e['priority'] == 'scheduled' and e['kev'] is False, e
assert e['hosts'] >= 1 and set(e['host_names']) <= {'web1', 'web2'}, e
assert e['due'] == '2026-12-28' and e['cve'].startswith('CVE-'), e
assert b['text'].startswith('hfx: $OPEN new advisories (2026-11-28T10:00:00Z)'), b['text'][:80]
assert 'and $((OPEN - 5)) more' in b['text'] and b['truncated'] is False
" && ok "webhook JSON: counts, bounded events of advisories with open findings only, text" ||
	fail "webhook JSON"
digest "
assert m['From'] == 'hfx@example.test' and m['To'] == 'ops@example.test, sec@example.test', m['To']
assert m['Subject'] == 'hfx: $OPEN new advisories', m['Subject']
assert m['Date'].datetime.isoformat() == '2026-11-28T10:00:00+00:00', m['Date']
assert m['Message-ID'].startswith('<hfx.') and m['Message-ID'].endswith('@example.test>')
assert m['MIME-Version'] == '1.0' and m.get_content_type() == 'text/plain'
assert m.get_content_charset() == 'utf-8' and m['Auto-Submitted'] == 'auto-generated'
body = m.get_content()
assert 'New advisories affecting hosts ($OPEN):' in body and 'and $((OPEN - 5)) more' in body, body[:300]
lines = raw.split(b'\r\n')
assert lines[-1] == b'' and all(b'\n' not in l and b'\r' not in l and len(l) <= 998 for l in lines)
" && ok "e-mail: RFC 5322 headers, text/plain utf-8, CRLF lines" || fail "e-mail"
grep -q "RCPT TO ops@example.test" "$MAIL/001.env" && grep -q "RCPT TO sec@example.test" "$MAIL/001.env" &&
	grep -q "MAIL FROM hfx@example.test" "$MAIL/001.env" && ok "SMTP envelope: sender and both recipients" ||
	fail "envelope: $(cat "$MAIL/001.env")"
check "every advisory and its priority recorded as sent" "$(sent)" "$((OPEN * 2))"
hfx audit log >"$TMP/audit"
grep -q "alice  *notify.send  *notify" "$TMP/audit" && ok "audit: notify.send" || fail "no notify.send in the audit log"
sqlite3 "$HFX_DB" .dump | grep -q SECRET-TOKEN && fail "the webhook token reached the database" ||
	ok "the webhook token is not in the database"

# Nothing twice.
expect_exit 0 "second notify" -- hfx notify
grep -q "nothing new to notify" "$TMP/out" && check "nothing sent again" "$(bodies) $(mails)" "2 1" ||
	fail "second run: $(cat "$TMP/out")"

# CISA adds zip's CVE to KEV: only that advisory's raised priority is news.
$PY - "$DATA/kev/known_exploited_vulnerabilities.json" "$TMP/kev.json" <<'PYTHON'
import json, sys
kev = json.load(open(sys.argv[1]))
e = dict(kev["vulnerabilities"][0])
e.update(cveID="CVE-2018-13410", vendorProject="Info-ZIP", product="zip",
         dateAdded="2026-11-27", dueDate="2026-12-18")
kev["vulnerabilities"].append(e)
kev["count"] = len(kev["vulnerabilities"])
json.dump(kev, open(sys.argv[2], "w"))
PYTHON
hfx feed import "$TMP/kev.json" >/dev/null || fail "import KEV"
expect_exit 0 "notify after the KEV import" -- hfx notify
check "one more body per webhook, one more e-mail" "$(bodies) $(mails)" "4 2"
digest "
assert b['counts']['priority'] == 1 and sum(b['counts'].values()) == 1, b['counts']
e = b['events'][0]
assert e['kind'] == 'priority' and e['advisory'] == '$ID' and e['kev'] is True, e
assert e['previous_priority'] == 'scheduled' and e['priority'] in ('out-of-cycle', 'immediate'), e
assert e['key'] == 'priority:$ID:' + str(['defer', 'scheduled', 'out-of-cycle', 'immediate'].index(e['priority']))
assert e['host_names'] == ['web1'] and e['due'] == '2026-12-05', e
assert m['Subject'] == 'hfx: 1 priority raised' and '$ID (CVE-2018-13410): scheduled -> ' in m.get_content()
" && ok "the raised priority, and only it, is delivered" || fail "priority raised"

# Weeks later everything is overdue, but the receiver fails: exit 1,
# nothing recorded; the next run delivers it all.
export HFX_NOW=2027-02-01T09:00:00Z
OVERDUE=$(sqlite3 "$HFX_DB" "SELECT count(*) FROM finding WHERE resolved_at IS NULL AND due < '2027-02-01'")
before=$(sent)
echo 500 >"$HOOK/status"
expect_exit 1 "a webhook answering 500 fails the run" -- hfx notify &&
	expect_err "webhook http://127.0.0.1:$HOOK_PORT/...: HTTP 500: receiver says no"
grep -q SECRET-TOKEN "$TMP/err" && fail "the token is in the message" || ok "the message hides the URL's path"
check "nothing recorded, no e-mail" "$(sent) $(mails)" "$before 2"
rm "$HOOK/status"
expect_exit 0 "the next run delivers" -- hfx notify
digest "
assert b['counts']['overdue'] == $OVERDUE and sum(b['counts'].values()) == $OVERDUE, b['counts']
od = kinds('overdue')
assert len(od) == 200 and b['omitted']['overdue'] == $OVERDUE - 200
assert od[0]['advisory'] == '$ID' and od[0]['due'] == '2026-12-05', od[0]
assert all(e['key'] == 'overdue:%d' % e['finding'] and e['host'] and e['package'] for e in od)
assert 'Overdue findings ($OVERDUE):' in b['text'] and m['Subject'] == 'hfx: $OVERDUE overdue'
" && ok "overdue findings delivered after the failure, bounded" || fail "overdue"
check "each overdue finding recorded" "$(sent)" "$((before + OVERDUE))"

# zip's fix is reissued (3.0-13+deb12u2): web2, which had the first fix,
# gets its finding back as reissued, and overdue at once (KEV's due date).
$PY -c "import json
r = json.load(open('$REC'))
r['modified'] = '2027-01-15T00:00:00Z'
r['affected'][0]['ranges'][0]['events'][1]['fixed'] = '3.0-13+deb12u2'
json.dump(r, open('$TMP/reissued.json', 'w'))"
hfx feed import "$TMP/reissued.json" >/dev/null && hfx scan >/dev/null || fail "reissue and scan"
expect_exit 0 "notify after the reissue" -- hfx notify
digest "
assert b['counts']['reissued'] == 1 and b['counts']['overdue'] == 1, b['counts']
assert sum(b['counts'].values()) == 2, b['counts']
assert kinds('overdue')[0]['host'] == 'web2'
e = kinds('reissued')[0]
assert e['host'] == 'web2' and e['advisory'] == '$ID' and e['reason'], e
assert e['key'].startswith('reissued:%d:' % e['finding'])
" && ok "the reissued finding is delivered" || fail "reissued"

# web2 installs the new fix, then loses it: regressed. A server without
# STARTTLS is refused first when starttls is asked.
sed 's/^Version: 3.0-13$/Version: 3.0-13+deb12u2/' "$STATUS" >"$TMP/status-fixed"
hfx host import "$TMP/status-fixed" --name web2 >/dev/null && hfx scan >/dev/null || fail "web2 fixed"
hfx host import "$STATUS" --name web2 >/dev/null && hfx scan >/dev/null || fail "web2 downgraded"
conf starttls
before=$(sent)
expect_exit 1 "starttls with a server that cannot is refused" -- hfx notify &&
	expect_err "e-mail via smtp://127.0.0.1:$SMTP_PORT"
check "nothing mailed nor recorded" "$(mails) $(sent)" "4 $before"
conf none
# The committee recorded a workaround on web2: its finding being overdue
# is no news any more (a decision not to deploy stands); the regression is.
hfx decide "$ID" mitigated --scope host:web2 --reason "zip removed from PATH" >/dev/null ||
	fail "decide mitigated"
expect_exit 0 "notify after the regression" -- hfx notify
digest "
assert b['counts']['regressed'] == 1 and b['counts']['overdue'] == 0, b['counts']
assert sum(b['counts'].values()) == 1, b['counts']
e = kinds('regressed')[0]
assert e['host'] == 'web2' and e['advisory'] == '$ID' and e['reason'], e
assert 'Regressed fixes' in m.get_content()
" && ok "the regressed finding is delivered" || fail "regressed"
expect_exit 0 "and then nothing" -- hfx notify
grep -q "nothing new to notify" "$TMP/out" && ok "nothing new at the end" || fail "$(cat "$TMP/out")"
expect_exit 0 "the audit chain holds" -- hfx audit verify

# Bad [notify] values: a clear message naming the line and key.
bad() { # bad LINES MESSAGE
	printf '[notify]\n%b\n' "$1" >"$TMP/bad.conf"
	expect_exit 2 "refused: $(printf '%s' "$1" | sed 's/\\n/; /g')" -- \
		hfx --config "$TMP/bad.conf" notify --dry-run && expect_err "$2"
}
bad "webhook = ftp://example.com/x" "bad.conf:2: [notify] webhook: 'ftp://example.com/x' is not a list of URLs"
bad "webhook = https://" "is not a list of URLs"
bad "smtp-tls = maybe" "bad.conf:2: [notify] smtp-tls: 'maybe' is not a TLS mode (expected starttls, tls or none)"
bad "smtp-port = 0" "[notify] smtp-port: '0' is not a port (expected a TCP port, 1 to 65535)"
bad "smtp-server = mail.example.com\nfrom = hfx@example.com" \
	"bad.conf:2: [notify] smtp-server: needs to, the recipients"
bad "to = ops@example.com" "bad.conf:2: [notify] to: needs smtp-server"
bad "smtp-server = m\nfrom = a@b\nto = not-an-address" "[notify] to: 'not-an-address' is not a list of e-mail addresses"
bad "smtp-server = m\nfrom = a@b\nto = c@d\nsmtp-tls = none\nsmtp-user = u\nsmtp-password-file = /etc/pw" \
	"bad.conf:6: [notify] smtp-user: refused with smtp-tls none"
bad "smtp-server = m\nfrom = a@b\nto = c@d\nsmtp-user = u" "[notify] smtp-user: needs smtp-password-file"
bad "smtp-password-file = relative/pw" "is not a file name (expected empty, or an absolute file name)"
bad "min-priority = urgent" "[notify] min-priority: 'urgent' is not a priority"
printf '[notify]\n' >"$TMP/empty.conf"
expect_exit 2 "no channel" -- hfx --config "$TMP/empty.conf" notify && expect_err "no notification channel"
finish
