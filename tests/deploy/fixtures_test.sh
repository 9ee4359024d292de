#!/bin/sh
# The deployment fixtures (tests/deploy/lib.sh) work as the deployment
# tests assume: a copy of the debootstrap'd Debian 12 root takes packages
# from the local test repository with its own apt-get; upgrade, dpkg-repack,
# downgrade and the rollback of a failed upgrade behave as on a real host;
# an edited conffile is kept with --force-confold; the master root is never
# touched. Needs no hfx binary.
. tests/lib.sh
. tests/deploy/lib.sh
exec </dev/null # no dpkg prompt may wait for a terminal

ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
deploy_root
t1=$(ms)
echo "root copy ($DEPLOY_COPY): $((t1 - t0)) ms"
deploy_repo "$TMP/repo"
deploy_add_repo "$DEPLOY_ROOT" "$DEPLOY_REPO"
echo "repository built and added: $(($(ms) - t1)) ms"
R=$DEPLOY_ROOT
in_root() { deploy_chroot "$R" "$@"; }
apt_get() { deploy_chroot "$R" apt-get -y -q "$@"; }
# status PACKAGE: "VERSION STATUS" as dpkg has it in the root.
status() { in_root dpkg-query -W -f '${Version} ${db:Status-Abbrev}\n' "$1" 2>/dev/null | sed 's/ *$//'; }
# check WHAT GOT WANT

n=$(in_root apt-cache madison hfx-demo hfx-demo-lib hfx-daemon | wc -l)
check "the repository offers 7 package versions" "$n" 7

expect_exit 0 "install hfx-demo 1.0-1 and hfx-daemon 1.0-1" -- \
	apt_get install hfx-demo=1.0-1 hfx-daemon=1.0-1 hfx-demo-lib=1.0-1
check "dpkg-query -W hfx-demo" "$(in_root dpkg-query -W hfx-demo)" "$(printf 'hfx-demo\t1.0-1')"
check "the installed program runs" "$(in_root hfx-demo)" "hfx-demo 1.0-1"
check "hfx-demo-lib comes from source hfx-demo" \
	"$(in_root dpkg-query -W -f '${source:Package} ${source:Version}' hfx-demo-lib)" "hfx-demo 1.0-1"
[ ! -e "$(deploy_base)/usr/bin/hfx-demo" ] && ok "the master root is untouched" ||
	fail "a package reached the master root"

expect_exit 0 "upgrade both binaries of source hfx-demo to the fix 1.1-1" -- \
	apt_get install hfx-demo=1.1-1 hfx-demo-lib=1.1-1
check "hfx-demo upgraded" "$(status hfx-demo)" "1.1-1 ii"
check "hfx-demo-lib upgraded" "$(status hfx-demo-lib)" "1.1-1 ii"
check "the fixed program runs" "$(in_root hfx-demo)" "hfx-demo 1.1-1"

expect_exit 0 "dpkg-repack rebuilds the installed hfx-demo" -- in_root sh -c 'cd /tmp && dpkg-repack hfx-demo'
deb=$R/tmp/hfx-demo_1.1-1_all.deb
if [ -f "$deb" ]; then
	check "the repacked .deb has the installed version" "$(dpkg-deb -f "$deb" Version)" 1.1-1
	dpkg-deb -c "$deb" | grep -q '\./usr/bin/hfx-demo$' && ok "the repacked .deb holds the program" ||
		fail "the repacked .deb lacks /usr/bin/hfx-demo"
else
	fail "no $deb"
fi

expect_exit 100 "apt-get -y refuses a downgrade without --allow-downgrades" -- apt_get install hfx-demo=1.0-1
expect_err "--allow-downgrades"
expect_exit 0 "downgrade with --allow-downgrades" -- apt_get install --allow-downgrades hfx-demo=1.0-1
check "hfx-demo downgraded" "$(status hfx-demo)" "1.0-1 ii"
expect_exit 0 "dpkg -i the repacked .deb restores 1.1-1" -- in_root dpkg -i /tmp/hfx-demo_1.1-1_all.deb
check "hfx-demo restored from the repack" "$(status hfx-demo)" "1.1-1 ii"

# An edited conffile, and a new one shipped by the upgrade.
echo "workers = 8 # edited by the admin" >>"$R/etc/hfx-daemon.conf"
expect_exit 0 "upgrade hfx-daemon with --force-confold" -- \
	apt_get -o Dpkg::Options::=--force-confold install hfx-daemon=1.1-1
check "hfx-daemon upgraded" "$(status hfx-daemon)" "1.1-1 ii"
grep -q 'edited by the admin' "$R/etc/hfx-daemon.conf" && ok "the edited conffile survives" ||
	fail "the edited conffile was replaced"
grep -q 'tls = required' "$R/etc/hfx-daemon.conf.dpkg-dist" 2>/dev/null &&
	ok "the shipped conffile is left as .dpkg-dist" || fail "no /etc/hfx-daemon.conf.dpkg-dist"

# The bad fix: its postinst fails, dpkg is left half-configured.
expect_exit 100 "upgrading to the bad fix 1.2-1 fails" -- apt_get install hfx-demo=1.2-1
expect_err "post-installation script subprocess returned error exit status 1"
check "hfx-demo is left half-configured" "$(status hfx-demo)" "1.2-1 iF"
in_root dpkg --audit | grep -q 'hfx-demo ' && ok "dpkg --audit lists hfx-demo" || fail "dpkg --audit is silent"
expect_exit 1 "dpkg --configure -a reports the failure" -- in_root dpkg --configure -a
expect_err "error processing package hfx-demo (--configure)"
expect_exit 0 "rolling back to 1.1-1 repairs it" -- apt_get install --allow-downgrades hfx-demo=1.1-1
check "hfx-demo rolled back" "$(status hfx-demo)" "1.1-1 ii"
check "dpkg --audit is clean again" "$(in_root dpkg --audit)" ""

# A second, independent copy: without a conffile policy, dpkg cannot ask and
# the upgrade fails with the package only unpacked.
deploy_root second
deploy_add_repo "$DEPLOY_ROOT" "$DEPLOY_REPO"
R=$DEPLOY_ROOT
check "the second copy starts clean" "$(status hfx-daemon)" ""
expect_exit 0 "install hfx-daemon 1.0-1 in the second copy" -- apt_get install hfx-daemon=1.0-1
echo "workers = 8 # edited by the admin" >>"$R/etc/hfx-daemon.conf"
expect_exit 100 "an upgrade with no conffile policy fails at the prompt" -- apt_get install hfx-daemon=1.1-1
expect_err "end of file on stdin at conffile prompt"
check "hfx-daemon is left unpacked" "$(status hfx-daemon)" "1.1-1 iU"
grep -q 'edited by the admin' "$R/etc/hfx-daemon.conf" && ok "the edited conffile is still there" ||
	fail "the edited conffile was replaced"

echo "total: $(($(ms) - t0)) ms"
finish
