#!/bin/sh
# The whole path on a real package from the Debian archive: a Debian 12
# root (debootstrap) with zip 3.0-13 from bookworm, whose fix 3.0-13+deb12u1
# is in bookworm-security; an sshd running inside that root on loopback.
# collect over SSH, scan with the shared Debian feed, decide, plan, deploy
# over SSH, verify; a broken health check rolled back by itself; deploy
# again; roll back by hand; audit verify. Then, through the chroot
# transport, `kill -9` of hfx deploy run in the middle of the install step
# and a rerun that finishes the job.
. tests/lib.sh
. tests/deploy/lib.sh
need_data mirror/osv/Debian/all.zip

export HFX_USER=alice HFX_NOW=2026-11-28T10:00:00Z
deploy_root e2e
R=$DEPLOY_ROOT
zipv() { deploy_version "$R" zip; }

# The archive: bookworm and bookworm-security.
cp "$R/etc/apt/sources.list.hfx-archive" "$R/etc/apt/sources.list"
echo "deb http://deb.debian.org/debian-security bookworm-security main" >>"$R/etc/apt/sources.list"
if ! deploy_chroot "$R" apt-get update -q >"$TMP/update" 2>&1; then
	echo "SKIP: the Debian archive is unreachable"; tail -3 "$TMP/update"; exit 77
fi
deploy_chroot "$R" apt-get install -y -q --no-install-recommends zip=3.0-13 openssh-server \
	>"$TMP/install" 2>&1 || { fail "install zip 3.0-13 and sshd"; tail "$TMP/install"; finish; }
check "zip from bookworm" "$(zipv)" "3.0-13"

# sshd inside the root, on a free loopback port, with a key of our own.
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
deploy_chroot "$R" ssh-keygen -A >/dev/null
mkdir -p "$R/run/sshd" "$R/root/.ssh"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/key"
cp "$TMP/key.pub" "$R/root/.ssh/authorized_keys"
timeout 900 chroot "$R" /usr/sbin/sshd -D -e -p "$PORT" -o ListenAddress=127.0.0.1 \
	-o PermitRootLogin=prohibit-password -o UsePAM=no 2>"$TMP/sshd.log" &
SSHD=$!
for i in 1 2 3 4 5 6 7 8 9 10; do ssh-keyscan -p "$PORT" 127.0.0.1 >"$TMP/kh" 2>/dev/null && [ -s "$TMP/kh" ] && break; sleep 0.5; done
SSH="--identity $TMP/key --known-hosts $TMP/kh"
T="root@127.0.0.1:$PORT"

hfx init >/dev/null
hfx feed import "$DATA/mirror/osv/Debian/all.zip" >/dev/null
# shellcheck disable=SC2086
hfx host collect --ssh "$T" $SSH --name e2e >/dev/null || fail "collect over SSH"
hfx host set e2e "transport=ssh:$T" "window=daily 00:00-24:00" group=e2e >/dev/null
hfx scan e2e >/dev/null
hfx findings --host e2e --format csv | grep -q "^e2e,DEBIAN-CVE-2018-13410,.*,zip,amd64,3.0-13,zip,3.0-13,3.0-13+deb12u1," &&
	ok "the finding: zip 3.0-13, fixed in 3.0-13+deb12u1" || fail "no zip finding"
hfx decide DEBIAN-CVE-2018-13410 approve >/dev/null
plan() { n=$(hfx plan create --only DEBIAN-CVE-2018-13410 | sed -n 's/^plan \([0-9]*\):.*/\1/p'); hfx plan approve "$n" >/dev/null; echo "$n"; }

# A health check that fails: rolled back by itself to 3.0-13.
printf '[group "e2e"]\nhealth-check = test -e /etc/hfx-healthy\nhook-seconds = 20\n' >"$TMP/hfx.conf"
export HFX_CONFIG="$TMP/hfx.conf"
P=$(plan)
# shellcheck disable=SC2086
expect_exit 1 "a broken health check fails the job" -- hfx deploy run "$P" --now $SSH
check "rolled back to the old version" "$(zipv)" "3.0-13"
hfx deploy status "$P" | grep -q "health  *failed" && ok "the health check's failure is journaled" || fail "health"

# Healthy: deployed over SSH and verified.
touch "$R/etc/hfx-healthy"
P=$(plan)
# shellcheck disable=SC2086
hfx deploy run "$P" --now $SSH >"$TMP/run" || { fail "deploy over SSH"; cat "$TMP/run"; }
check "the fixed version from bookworm-security" "$(zipv)" "3.0-13+deb12u1"
hfx host collect --ssh "$T" $SSH --name e2e >/dev/null && hfx scan e2e >/dev/null
check "the finding is resolved" "$(hfx findings --host e2e --format csv | grep -c ',DEBIAN-CVE-2018-13410,')" "0"

# By hand: back to 3.0-13, verified.
# shellcheck disable=SC2086
hfx rollback e2e $SSH >/dev/null || fail "rollback over SSH"
check "rolled back by hand" "$(zipv)" "3.0-13"
# shellcheck disable=SC2086
hfx host collect --ssh "$T" $SSH --name e2e >/dev/null && hfx scan e2e >/dev/null
hfx findings --host e2e --format csv | grep -q ",DEBIAN-CVE-2018-13410,.*,regressed," &&
	ok "the fix rolled back by hand shows as regressed" || fail "no regressed finding"

# A reboot: the host says it needs one (/run/reboot-required, as a
# package's postinst writes it); hfx reboots it over SSH, once, and waits
# for it to answer with a new boot id. A chroot cannot boot, so reboot(8)
# in the root is a stand-in that asks the supervisor below to do to hfx
# what a reboot does: every process of the host dies (SSH sessions drop),
# the host is unreachable for a while, then answers with a new boot id
# and an empty /run.
mkdir -p "$R/proc/sys/kernel/random" "$R/usr/local/sbin"
cat /proc/sys/kernel/random/uuid >"$R/proc/sys/kernel/random/boot_id"
printf '#!/bin/sh\n# hfx test stand-in: see tests/deploy/e2e_test.sh\ntouch /run/hfx-test-reboot\n' \
	>"$R/usr/local/sbin/reboot"
chmod +x "$R/usr/local/sbin/reboot"
touch "$R/run/reboot-required"
start_sshd() {
	timeout 900 chroot "$R" /usr/sbin/sshd -D -e -p "$PORT" -o ListenAddress=127.0.0.1 \
		-o PermitRootLogin=prohibit-password -o UsePAM=no 2>>"$TMP/sshd.log" &
	echo $! >"$TMP/sshd.pid"
}
(
	until [ -e "$R/run/hfx-test-reboot" ]; do sleep 0.2; done
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && kill -KILL "${p#/proc/}" 2>/dev/null
	done
	find "$R/run" -mindepth 1 -maxdepth 1 ! -name sshd -exec rm -rf {} +
	cat /proc/sys/kernel/random/uuid >"$R/proc/sys/kernel/random/boot_id"
	echo boot >>"$TMP/boots"
	sleep 3
	start_sshd
) &
P=$(plan)
# shellcheck disable=SC2086
hfx deploy run "$P" --now --reboot-timeout 120 $SSH >"$TMP/run" ||
	{ fail "deploy with a reboot"; cat "$TMP/run"; }
check "the fixed version after the reboot" "$(zipv)" "3.0-13+deb12u1"
check "exactly one reboot" "$(cat "$TMP/boots" 2>/dev/null)" "boot"
hfx deploy status "$P" | grep -q "reboot  *done  *.*rebooted (boot id .* back after" &&
	ok "the reboot and the wait are journaled" || { fail "reboot step"; hfx deploy status "$P"; }
# shellcheck disable=SC2086
hfx rollback e2e $SSH >/dev/null || fail "rollback after the reboot"
check "rolled back after the reboot" "$(zipv)" "3.0-13"
expect_exit 0 "the audit log is intact" -- hfx audit verify
kill "$SSHD" "$(cat "$TMP/sshd.pid" 2>/dev/null)" 2>/dev/null

# kill -9 in the middle of the install step, as when the machine running
# hfx dies: hfx and everything it started are killed at once (its own
# session). Through chroot, with dpkg made to wait 4 s before it runs, so
# the kill lands inside the step, deterministically before dpkg changes
# anything. Then a rerun that finishes the job from the journal.
hfx host collect --root "$R" --name e2e >/dev/null && hfx scan e2e >/dev/null
echo 'DPkg::Pre-Invoke { "sleep 4"; };' >"$R/etc/apt/apt.conf.d/99hfx-slow"
P=$(plan)
setsid "$HFX" deploy run "$P" --now --transport "chroot:$R" >"$TMP/killed" 2>&1 &
PID=$!
n=0
until [ "$(sqlite3 "$HFX_DB" "SELECT count(*) FROM deploy_step s JOIN deploy_job j ON j.id = s.job_id WHERE j.plan_id = $P AND s.step = 'install' AND s.state = 'started'" 2>/dev/null)" = 1 ]; do
	n=$((n + 1)); [ $n -gt 400 ] && break; sleep 0.05
done
kill -KILL "-$PID"; wait "$PID" 2>/dev/null
check "killed during the install step" "$(sqlite3 "$HFX_DB" "SELECT state FROM deploy_job WHERE plan_id = $P")" "running"
rm -f "$R/etc/apt/apt.conf.d/99hfx-slow"
n=0
until deploy_chroot "$R" apt-get -q check >/dev/null 2>&1; do n=$((n + 1)); [ $n -gt 120 ] && break; sleep 0.5; done
hfx deploy run "$P" --now --transport "chroot:$R" >"$TMP/rerun" 2>&1 || { fail "rerun"; cat "$TMP/rerun"; hfx deploy status "$P"; }
check "the rerun finished the job" "$(sqlite3 "$HFX_DB" "SELECT state FROM deploy_job WHERE plan_id = $P")" "done"
check "the fixed version" "$(zipv)" "3.0-13+deb12u1"
deploy_chroot "$R" dpkg --audit >"$TMP/audit" 2>&1
check "dpkg is consistent" "$(cat "$TMP/audit")" ""
expect_exit 0 "the audit log is still intact" -- hfx audit verify
finish
