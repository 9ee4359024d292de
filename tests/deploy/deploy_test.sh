#!/bin/sh
# Deployment end to end on a real debootstrap'd Debian 12 root (chroot
# transport) with real apt-get and dpkg and a local repository of test
# packages (tests/deploy/mkrepo.sh): dry run, the full job (preflight, keep,
# install, verify) keeping a changed configuration file, hfx rollback, an
# upgrade whose package fails to configure rolled back by itself, a fix
# already installed by a later update skipped, a host changed behind the
# plan's back stopped before any change, and a run interrupted after the
# install resumed from the journal.
. tests/lib.sh
. tests/deploy/lib.sh

export HFX_USER=alice HFX_NOW=2026-11-28T10:00:00Z
deploy_root
deploy_repo "$TMP/repo"
deploy_add_repo "$DEPLOY_ROOT" "$DEPLOY_REPO"
R=$DEPLOY_ROOT
deploy_chroot "$R" apt-get install -y -q hfx-demo=1.0-1 hfx-demo-lib=1.0-1 hfx-daemon=1.0-1 >/dev/null ||
	{ fail "install the 1.0 packages"; finish; }
echo "# edited by the administrator" >>"$R/etc/hfx-daemon.conf"
ver() { deploy_version "$R" "$1"; }
# plan_for ADVISORY...: collect, scan, approve, plan, approve the plan; prints its number.
plan_for() {
	hfx host collect --root "$R" --name img >/dev/null && hfx scan img >/dev/null || return 1
	for a in "$@"; do hfx decide "$a" approve >/dev/null || return 1; done
	n=$(hfx plan create --only "$(echo "$@" | tr ' ' ,)" | sed -n 's/^plan \([0-9]*\):.*/\1/p')
	hfx plan approve "$n" >/dev/null && echo "$n"
}

hfx init >/dev/null
osv_record FIX-DEMO hfx-demo 1.1-1
osv_record FIX-DAEMON hfx-daemon 1.1-1
hfx feed import "$TMP/FIX-DEMO.json" "$TMP/FIX-DAEMON.json" >/dev/null
hfx host collect --root "$R" --name img >/dev/null || fail "collect"
hfx host set img "transport=chroot:$R" "window=daily 00:00-24:00" >/dev/null || fail "host set"
P=$(plan_for FIX-DEMO FIX-DAEMON) || fail "plan"

# A draft cannot run; a dry run prints the exact commands and changes nothing.
hfx plan create --only FIX-DEMO >/dev/null
expect_exit 2 "a draft plan does not run" -- hfx deploy run $((P + 1)) --now && expect_err "is a draft"
hfx deploy run "$P" --dry-run --now >"$TMP/dry" || fail "dry run"
grep -q "img  *install  *env DEBIAN_FRONTEND=noninteractive .*apt-get .*install .*hfx-demo:all=1.1-1" "$TMP/dry" &&
	grep -q "img  *keep  *env --chdir=/var/cache/hfx/rollback/" "$TMP/dry" &&
	ok "dry run shows the commands" || { fail "dry run"; cat "$TMP/dry"; }
check "dry run changed nothing" "$(ver hfx-demo) $(ver hfx-daemon)" "1.0-1 1.0-1"
expect_exit 0 "nothing journaled by a dry run" -- test -z "$(hfx deploy status)"

# An operator without --now waits for the window; --now needs an approver.
hfx role grant dave operator >/dev/null
expect_exit 3 "--now needs the approver role" -- hfx --as dave deploy run "$P" --now

# The real job.
hfx deploy run "$P" --now >"$TMP/run" || { fail "deploy run"; cat "$TMP/run"; }
check "upgraded to the planned versions" "$(ver hfx-demo) $(ver hfx-demo-lib) $(ver hfx-daemon)" "1.1-1 1.1-1 1.1-1"
grep -q "^# edited by the administrator" "$R/etc/hfx-daemon.conf" && ok "the changed configuration file was kept" ||
	fail "configuration file replaced"
hfx deploy status "$P" >"$TMP/status"
for s in "preflight  *done" "keep  *done" "install  *done" "verify  *done"; do
	grep -q "$s" "$TMP/status" && ok "journal: $s" || fail "journal lacks $s"
done
J=$(sed -n 's/^job \([0-9]*\) .*/\1/p' "$TMP/status" | head -1)
ls "$R/var/cache/hfx/rollback/$J/" | grep -q "^hfx-demo_1.0-1_all.deb$" && ok "old version kept on the host" ||
	fail "old version not kept: $(ls "$R/var/cache/hfx/rollback/$J/")"
hfx audit log | grep -q "deploy.done  img" && ok "audited" || fail "not audited"
hfx deploy run "$P" --now | grep -q "^0 jobs" && ok "a finished job does not run twice" || fail "ran twice"

# hfx rollback: back to the kept versions, verified.
hfx rollback "$J" >/dev/null || fail "rollback"
check "rolled back" "$(ver hfx-demo) $(ver hfx-demo-lib) $(ver hfx-daemon)" "1.0-1 1.0-1 1.0-1"
expect_exit 1 "a rolled-back job is not rolled back again" -- hfx rollback "$J"

# A fix whose package fails to configure: rolled back by itself.
osv_record BAD hfx-demo 1.2-1
hfx feed import "$TMP/BAD.json" >/dev/null
P2=$(plan_for BAD) || fail "plan 2"
expect_exit 1 "a failing upgrade fails the run" -- hfx deploy run "$P2" --now
check "automatic rollback to the kept version" "$(ver hfx-demo) $(ver hfx-demo-lib)" "1.0-1 1.0-1"
hfx deploy status "$P2" | grep -q "rolled-back" && ok "marked rolled back" || fail "not marked rolled back"
deploy_chroot "$R" dpkg --audit >"$TMP/audit" 2>&1
check "dpkg is consistent after the rollback" "$(cat "$TMP/audit")" ""

# Preflight: a fix installed meanwhile by a later update is skipped; a host
# changed behind the plan's back stops before any change.
osv_record FIX2 hfx-daemon 1.1-1
hfx feed import "$TMP/FIX2.json" >/dev/null
P3=$(plan_for FIX2) || fail "plan 3"
deploy_chroot "$R" apt-get install -y -q -o Dpkg::Options::=--force-confold hfx-daemon=1.1-1 >/dev/null
hfx deploy run "$P3" --now >"$TMP/run3"
hfx deploy status "$P3" | grep -q "skipped  .*fixed by a later update" && ok "already fixed: skipped" ||
	{ fail "not skipped"; hfx deploy status "$P3"; }
P4=$(plan_for FIX-DEMO) || fail "plan 4"
deploy_chroot "$R" apt-get install -y -q --allow-downgrades hfx-demo-lib=1.0-1 hfx-demo=1.0-1 >/dev/null
deploy_chroot "$R" dpkg --purge hfx-demo-lib >/dev/null
expect_exit 1 "a changed host stops" -- hfx deploy run "$P4" --now
hfx deploy status "$P4" | grep -q "the host changed: hfx-demo-lib all is not installed" &&
	ok "the reason names the change" || { fail "no reason"; hfx deploy status "$P4"; }
check "nothing changed on the host" "$(ver hfx-demo)" "1.0-1"

# Resume: a run killed right after the install. The journal says running;
# the next run verifies and completes the job instead of redoing it.
deploy_chroot "$R" apt-get install -y -q hfx-demo-lib=1.0-1 >/dev/null
P5=$(plan_for FIX-DEMO) || fail "plan 5"
hfx deploy run "$P5" --now >/dev/null || fail "run 5"
J5=$(hfx deploy status "$P5" | sed -n 's/^job \([0-9]*\) .*/\1/p')
sqlite3 "$HFX_DB" "UPDATE deploy_job SET state = 'running', step = 'install', ended_at = NULL WHERE id = $J5;
	DELETE FROM deploy_step WHERE job_id = $J5 AND step IN ('reboot', 'verify')"
hfx deploy run "$P5" --now >/dev/null || fail "resume"
check "resumed job completed" "$(hfx deploy status "$P5" | sed -n 's/^job [0-9]* .*  \(done\|running\|failed\) .*/\1/p')" "done"
check "versions after resume" "$(ver hfx-demo)" "1.1-1"

# Group hooks: a pre-hook before any change, a health check after the
# install (failing: rolled back), a post-hook after success.
cat >"$TMP/hfx.conf" <<'CONF'
[group "img"]
pre-hook = touch /var/tmp/hfx-pre-hook-ran
health-check = test -e /etc/hfx-healthy
post-hook = touch /var/tmp/hfx-post-hook-ran
hook-seconds = 30
CONF
export HFX_CONFIG="$TMP/hfx.conf"
hfx host set img group=img >/dev/null
deploy_chroot "$R" apt-get install -y -q --allow-downgrades hfx-demo=1.0-1 hfx-demo-lib=1.0-1 >/dev/null
P6=$(plan_for FIX-DEMO) || fail "plan 6"
expect_exit 1 "a failing health check fails the job" -- hfx deploy run "$P6" --now
test -e "$R/var/tmp/hfx-pre-hook-ran" && ok "the pre-hook ran" || fail "pre-hook did not run"
check "unhealthy: rolled back" "$(ver hfx-demo) $(ver hfx-demo-lib)" "1.0-1 1.0-1"
hfx deploy status "$P6" | grep -q "health  *failed .*health check 'test -e /etc/hfx-healthy' failed" &&
	ok "the health check's failure is journaled" || { fail "health not journaled"; hfx deploy status "$P6"; }
touch "$R/etc/hfx-healthy"
P7=$(plan_for FIX-DEMO) || fail "plan 7"
hfx deploy run "$P7" --now >/dev/null || fail "healthy run"
check "healthy: upgraded" "$(ver hfx-demo)" "1.1-1"
test -e "$R/var/tmp/hfx-post-hook-ran" && ok "the post-hook ran" || fail "post-hook did not run"

# hfx rollback HOST: the host's last finished job; --to-before PLAN: every
# finished job of that plan and later; then nothing is left to undo.
hfx rollback img >"$TMP/rb" || fail "rollback host"
check "rollback HOST undid the last job" "$(ver hfx-demo)" "1.0-1"
hfx rollback img --to-before 1 >"$TMP/rb2" || fail "rollback --to-before"
grep -q "rolled back and verified" "$TMP/rb2" && ok "rollback --to-before" || fail "rollback --to-before"
expect_exit 2 "nothing left to roll back" -- hfx rollback img && expect_err "no finished deploy job"
finish
