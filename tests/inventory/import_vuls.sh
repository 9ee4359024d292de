#!/bin/sh
# Every Vuls scan result in ../shared/data/inventories/vuls imports, with
# the package count its file holds (counted here with Python's json module,
# not hfx: rpm's gpg-pubkey signing-key entries are not software and are
# not stored) and, for Windows hosts, its installed updates.
. tests/lib.sh
need_data inventories/vuls/alma_9.json
hfx init >/dev/null
n=0
for f in "$DATA"/inventories/vuls/*.json; do
	name=$(basename "$f" .json | tr '_' '-')
	if ! hfx host import "$f" --name "$name" >"$TMP/out" 2>"$TMP/err"; then
		fail "$name: $(cat "$TMP/err")"
		continue
	fi
	want=$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = d.get("packages") or {}
kb = (d.get("windowsKB") or {}).get("applied") or []
print(len([k for k in p if k != "gpg-pubkey"]), len(set(kb)))' "$f")
	got=$(sqlite3 "$HFX_DB" "SELECT (SELECT count(*) FROM host_package WHERE host_id = h.id) || ' ' || (SELECT count(*) FROM host_kb WHERE host_id = h.id) FROM host h WHERE name = '$name'")
	[ "$want" = "$got" ] || fail "$name: packages and updates $got, the file holds $want"
	n=$((n + 1))
done
[ "$n" -eq 60 ] && ok "all 60 Vuls results imported with their package and update counts" ||
	fail "imported $n of 60"
hfx host show windows-11-24h2 | grep -q '^updates:    KB' && ok "host show lists a Windows host's updates" ||
	fail "host show: no updates"
hfx host list | grep -q '^alma-9 .*AlmaLinux:9' && ok "an AlmaLinux host gets its ecosystem" || fail "alma-9 ecosystem"
hfx host list | grep -q '^rhel-90 .*Red Hat:enterprise_linux:9' && ok "a RHEL host gets its product" ||
	fail "rhel-90 listing"
hfx host list | grep -q '^centos-7 .* - ' && ok "a CentOS host is stored without a feed" || fail "centos-7 listing"
finish
