#!/bin/sh
# Red Hat advisories are per product stream: a RHEL 9 host (a real Vuls
# scan) is matched against "Red Hat:enterprise_linux:9::<stream>" entries,
# one finding per advisory even when it names the package in two streams,
# and never against extended-support streams or another major release.
. tests/lib.sh
need_data inventories/vuls/rhel_90.json
hfx init >/dev/null
hfx host import "$DATA/inventories/vuls/rhel_90.json" --name rhel9 >/dev/null || fail "import"
rec() { # ID FIXED ECOSYSTEM...
	id=$1 fixed=$2; shift 2
	aff=""
	for eco in "$@"; do
		aff="$aff${aff:+,}{\"package\":{\"ecosystem\":\"$eco\",\"name\":\"NetworkManager\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"$fixed\"}]}]}"
	done
	printf '{"id":"%s","modified":"2099-01-01T00:00:00Z","affected":[%s]}\n' "$id" "$aff" >"$TMP/$id.json"
}
rec RHSA-T-1 1:1.36.0-5.el9_0 "Red Hat:enterprise_linux:9::appstream" "Red Hat:enterprise_linux:9::baseos"
rec RHSA-T-2 1:1.36.0-6.el9_0 "Red Hat:rhel_eus:9.0::baseos"
rec RHSA-T-3 1:1.36.0-6.el8 "Red Hat:enterprise_linux:8::baseos"
rec RHSA-T-4 1:1.36.0-4.el9_0 "Red Hat:enterprise_linux:9::baseos"
hfx feed import "$TMP"/RHSA-T-*.json >/dev/null || fail "feed import"
expect_exit 0 "scan" -- hfx scan
[ "$(hfx findings --format csv | tail -n +2 | cut -d, -f2,4,6,9 | sort)" = "RHSA-T-1,NetworkManager,1:1.36.0-4.el9_0,1:1.36.0-5.el9_0" ] &&
	ok "one finding, from the standard streams only; the installed fix matches nothing" ||
	fail "findings: $(hfx findings --format csv)"
finish
