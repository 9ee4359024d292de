#!/bin/sh
# Builds, once per build tree, the Debian 12 root that the deployment tests
# patch: `debootstrap --variant=minbase bookworm` into
# ${HFX_DEPLOY_ROOT:-build/deploy/root} (relative paths are taken from the
# top of the source tree), then dpkg-repack installed inside it with the
# root's own apt-get. Tests never use this directory directly: they take a
# copy of it (tests/deploy/lib.sh, deploy_root).
#
# Usage: mkroot.sh [DIR]   (default as above). Prints how long it took.
#
# Reuse: the root is complete when DIR/.hfx-deploy-root holds the current
# FIXTURE version; anything else (an interrupted run, an older fixture) is
# thrown away and rebuilt. A lock (flock on DIR.lock) makes concurrent
# callers wait for one build; the debootstrap log is DIR.log.
#
# The archive: $DEBIAN_MIRROR, else the Debian archive this machine's apt
# uses (/etc/apt/sources.list*), else http://deb.debian.org/debian. Only an
# unreachable archive skips (exit 77); any other failure is exit 1.
#
# Nothing stays mounted: debootstrap and the chroot apt-get run in a private
# mount namespace (unshare -m), so the /proc, /sys or /dev mounts they make
# vanish with them, even when killed.
#
# The finished root is offline: the archive's source is moved to
# /etc/apt/sources.list.hfx-archive and the package lists and the .deb cache
# are deleted, so an `apt-get update` inside a copy only reads the local
# test repository (tests/deploy/mkrepo.sh). To use the archive again inside
# a copy: mv ROOT/etc/apt/sources.list.hfx-archive ROOT/etc/apt/sources.list
set -u
FIXTURE=2 # bump when the root built below changes: cached roots are rebuilt
cd "$(dirname "$0")/../.." || exit 1
DIR=${1:-${HFX_DEPLOY_ROOT:-build/deploy/root}}
case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
DIR=${DIR%/}
MARK=$DIR/.hfx-deploy-root

root_complete() { [ -x "$DIR/usr/bin/dpkg-repack" ] && [ "$(sed -n 's/^fixture=//p' "$MARK" 2>/dev/null)" = "$FIXTURE" ]; }

# Mount points at or below $1 in this mount namespace.
mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: building the deployment root needs root (debootstrap, chroot)"
	exit 77
fi
for tool in debootstrap flock unshare wget; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is missing (scripts/install-deps.sh installs debootstrap)"
		exit 77
	fi
done

mkdir -p "$(dirname "$DIR")" || exit 1
exec 9>"$DIR.lock"
# Fast path: a complete root only needs a shared lock (a builder holds it
# exclusively), so tests that merely reuse it never wait for each other.
flock -s 9
if root_complete; then
	echo "mkroot: reusing $DIR ($(sed -n 's/^built=//p' "$MARK"))"
	exit 0
fi
flock -u 9
if ! flock -x -w 1800 9; then
	echo "mkroot: waited 30 min for the lock on $DIR.lock (held by a running deployment test?)" >&2
	exit 1
fi
if root_complete; then # built by someone else while we waited
	echo "mkroot: reusing $DIR ($(sed -n 's/^built=//p' "$MARK"))"
	exit 0
fi

# The archive: the first enabled source of this machine that is a Debian
# archive (a URI ending in /debian), in one-line or deb822 form.
host_mirror() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		case $f in
		*.sources) sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' \t' '\n\n' ;;
		*) sed -n 's/^[[:space:]]*deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f" ;;
		esac
	done | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n 1
}
MIRROR=${DEBIAN_MIRROR:-$(host_mirror)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
MIRROR=${MIRROR%/}

if ! wget -q -T 20 -t 2 -O /dev/null "$MIRROR/dists/bookworm/Release"; then
	echo "SKIP: cannot debootstrap (no archive?): $MIRROR/dists/bookworm/Release is unreachable"
	exit 77
fi

# Throw away what an interrupted run left, but never through a mount point
# (debootstrap may have bound /dev or /proc into it before it was killed).
left=$(mounts_under "$DIR")
if [ -n "$left" ]; then
	echo "mkroot: refusing to delete $DIR, mounted below it:" >&2
	echo "$left" | sed 's/^/  /' >&2
	exit 1
fi
rm -rf --one-file-system "$DIR" || exit 1

LOG=$DIR.log
echo "mkroot: debootstrap bookworm from $MIRROR into $DIR (log: $LOG)"
start=$(date +%s)
if ! unshare -m --propagation private \
	debootstrap --variant=minbase bookworm "$DIR" "$MIRROR" >"$LOG" 2>&1; then
	tail -n 15 "$LOG" | sed 's/^/  | /'
	if grep -qE "Couldn't download|Failed getting release file|Failed getting|Could not resolve|Connection refused|Network is unreachable" "$LOG"; then
		echo "SKIP: cannot debootstrap (no archive?): downloading from $MIRROR failed"
		exit 77
	fi
	echo "mkroot: debootstrap failed (log: $LOG)" >&2
	exit 1
fi
boot=$(date +%s)

# Inside: no service may start from a maintainer script; dpkg-repack
# installed by the root's own apt. /dev/null etc. are real nodes made by
# debootstrap; apt and dpkg need nothing else mounted, but /proc is mounted
# here (privately) so that perl's and apt's own checks see a normal system.
cat >"$DIR/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# hfx deployment tests: never start services inside this root.
exit 101
EOF
chmod 755 "$DIR/usr/sbin/policy-rc.d"
# apt logs the dpkg run through a pty; without /dev/pts mounted it prints
# "E: Can not write log (Is /dev/pts mounted?)" (and carries on).
cat >"$DIR/etc/apt/apt.conf.d/90hfx-tests" <<'EOF'
// hfx deployment tests: no /dev/pts in the chroot, so no pty for dpkg.
Dpkg::Use-Pty "0";
EOF
if ! unshare -m --propagation private sh -c '
	mount -t proc proc "$1/proc" || exit 1
	chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive sh -c "
		apt-get update -q &&
		apt-get install -y -q --no-install-recommends dpkg-repack &&
		apt-get clean"' sh "$DIR" >>"$LOG" 2>&1; then
	tail -n 15 "$LOG" | sed 's/^/  | /'
	if grep -qE "Failed to fetch|Could not resolve|Temporary failure resolving|Unable to connect" "$LOG"; then
		echo "SKIP: cannot debootstrap (no archive?): apt-get inside the root could not download from $MIRROR"
		exit 77
	fi
	echo "mkroot: installing dpkg-repack in the root failed (log: $LOG)" >&2
	exit 1
fi

# Offline and small: no archive source, no lists, no .deb cache, no logs.
mv "$DIR/etc/apt/sources.list" "$DIR/etc/apt/sources.list.hfx-archive"
: >"$DIR/etc/apt/sources.list"
rm -rf "$DIR"/var/lib/apt/lists/* "$DIR"/var/cache/apt/*.bin \
	"$DIR"/var/cache/apt/archives/*.deb "$DIR"/var/cache/apt/archives/partial/*
mkdir -p "$DIR/var/lib/apt/lists/partial"
: >"$DIR/var/log/dpkg.log"
rm -f "$DIR"/var/log/apt/*.log

end=$(date +%s)
size=$(du -sxm "$DIR" | cut -f1)
printf 'fixture=%s\nmirror=%s\nbuilt=%s in %ss (debootstrap %ss, dpkg-repack %ss), %s MB\n' \
	"$FIXTURE" "$MIRROR" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" $((end - start)) $((boot - start)) \
	$((end - boot)) "$size" >"$MARK"
echo "mkroot: built $DIR in $((end - start))s (debootstrap $((boot - start))s, dpkg-repack $((end - boot))s), $size MB"
