#!/bin/sh
# hfx host collect --ssh against a real OpenSSH server that the test starts
# on a loopback port with its own host and user keys: the inventory equals
# what dpkg says locally; an unknown host key, a wrong key and a hostile
# target are refused.
. tests/lib.sh
SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null || ! grep -q '^ID=debian' /etc/os-release; then
	echo "SKIP: needs sshd and ssh (scripts/install-deps.sh installs them) on a Debian machine"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the test sshd logs in as root"
	exit 77
fi

# The server: its own host key, the client's key authorized, loopback only.
ssh-keygen -q -t ed25519 -N '' -f "$TMP/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/user_key"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/other_key"
cp "$TMP/user_key.pub" "$TMP/authorized_keys"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$TMP/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $TMP/host_key
AuthorizedKeysFile $TMP/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $TMP/sshd.pid
CFG
mkdir -p /run/sshd
"$SSHD" -D -e -f "$TMP/sshd_config" 2>"$TMP/sshd.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do
	/usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
	sleep 0.1
done
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$TMP/host_key.pub")" >"$TMP/known_hosts"
: >"$TMP/empty_known_hosts"

hfx init >/dev/null
expect_exit 0 "collect over ssh" -- hfx host collect --ssh "root@127.0.0.1:$port" \
	--identity "$TMP/user_key" --known-hosts "$TMP/known_hosts" --name remote
want=$(dpkg-query -W -f '${db:Status-Status}\n' | grep -cE '^(installed|triggers-pending|triggers-awaited)$')
got=$(hfx host show remote | sed -n 's/^packages: *//p')
[ "$want" = "$got" ] && ok "over ssh: the $got packages dpkg reports" || fail "ssh: $got packages, dpkg $want"
hfx host show remote | grep -q "kernel:     $(uname -r)" && ok "kernel read over ssh" || fail "kernel"
hfx host show remote | grep -q "arch:       $(uname -m)" && ok "architecture read over ssh" || fail "arch"
hfx host show remote | grep -q "collected over ssh from root@127.0.0.1:$port" && ok "source recorded" ||
	fail "source"

expect_exit 1 "an unknown host key is refused" -- hfx host collect --ssh "root@127.0.0.1:$port" \
	--identity "$TMP/user_key" --known-hosts "$TMP/empty_known_hosts" --name x
expect_err "host key"
expect_exit 1 "a key the server does not know is refused" -- hfx host collect --ssh "root@127.0.0.1:$port" \
	--identity "$TMP/other_key" --known-hosts "$TMP/known_hosts" --name x
expect_err "Permission denied"
expect_exit 2 "a target that would be an ssh option" -- hfx host collect --ssh "-oProxyCommand=touch $TMP/pwned" --name x
[ ! -e "$TMP/pwned" ] && ok "no option injection" || fail "option injection ran a command"
expect_exit 2 "a target with a shell metacharacter" -- hfx host collect --ssh 'root@h;touch x' --name x
expect_exit 2 "a bad port" -- hfx host collect --ssh "root@127.0.0.1:99999" --name x
[ "$(sqlite3 "$HFX_DB" "SELECT count(*) FROM host WHERE name = 'x'")" = 0 ] && ok "nothing stored on failure" ||
	fail "a host was stored"
ls -d /tmp/hfx-ssh.* 2>/dev/null | grep -q . && fail "control directory left behind" || ok "no control directory left"
finish
