# Helpers for the deployment tests (sourced right after tests/lib.sh, before
# anything else): a disposable Debian 12 root to patch and a local apt
# repository of test packages (tests/deploy/mkrepo.sh describes them).
#
#   . tests/lib.sh
#   . tests/deploy/lib.sh
#   deploy_root                       # DEPLOY_ROOT: a fresh copy of the root
#   deploy_repo "$TMP/repo"           # DEPLOY_REPO: the test repository
#   deploy_add_repo "$DEPLOY_ROOT" "$DEPLOY_REPO"
#   deploy_chroot "$DEPLOY_ROOT" apt-get install -y hfx-demo=1.0-1
#
# The setup functions (deploy_root, deploy_repo, deploy_add_repo) return
# only on success; otherwise they end the test: exit 77 (skip) when the root
# cannot be built because the Debian archive is unreachable or the test is
# not run as root, exit 1 on any other failure.
#
# Mounts: nothing needs mounting for dpkg, dpkg-query, apt-get or
# dpkg-repack in the chroot (debootstrap made real /dev/null, /dev/zero,
# /dev/urandom... nodes; /dev/fd and /dev/std* are dangling symlinks into
# /proc, which no apt/dpkg path here uses). Never bind-mount the host's /dev.
# A maintainer script that reads /proc needs deploy_mount_proc ROOT. Every
# mount a test makes must lie under $TMP: deploy_cleanup (run on exit)
# unmounts them all, deepest first, before $TMP is deleted.
#
# Isolation: when run as root, this file re-executes the test once in a
# private mount namespace (unshare -m), so its mounts are invisible to other
# processes and vanish with it even if it is killed. Hence: source it before
# doing anything the test must not do twice.

# shellcheck disable=SC2034 # the DEPLOY_* variables are for the sourcing test
true
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the deployment tests need root (chroot, mount)"
	exit 77
fi
if [ -z "${HFX_DEPLOY_NS:-}" ] && unshare -m --propagation private true 2>/dev/null; then
	rm -rf "$TMP"
	trap - EXIT
	export HFX_DEPLOY_NS=1
	exec unshare -m --propagation private sh "$0" "$@"
fi

DEPLOY_TOP=$ROOT                   # the source tree (tests/lib.sh: ROOT=$(pwd))
DEPLOY_ROOT=""
DEPLOY_REPO=""
DEPLOY_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The master root; a test only ever sees copies of it.
deploy_base() {
	_dd=${HFX_DEPLOY_ROOT:-build/deploy/root}
	case $_dd in /*) ;; *) _dd=$DEPLOY_TOP/$_dd ;; esac
	echo "${_dd%/}"
}

# deploy_root [NAME]: builds the master root if needed (mkroot.sh), then sets
# DEPLOY_ROOT to a fresh, writable copy of it at $TMP/NAME (default "root").
# The copy is an overlay mount over the master (instant) or, when overlayfs
# is unavailable or HFX_DEPLOY_COPY=cp, a `cp -a` (about 3 s). Changes never
# reach the master. DEPLOY_COPY says which was used ("overlay" or "cp").
# While the test runs it holds a shared lock on the master (fd 8), so nobody
# rebuilds it underneath. Several copies per test: deploy_root NAME2 ...
deploy_root() {
	_dname=${1:-root}
	sh "$DEPLOY_TOP/tests/deploy/mkroot.sh"
	_drc=$?
	[ "$_drc" -eq 77 ] && exit 77
	[ "$_drc" -eq 0 ] || { echo "FAIL: cannot build the deployment root (tests/deploy/mkroot.sh exit $_drc)"; exit 1; }
	_dbase=$(deploy_base)
	exec 8>"$_dbase.lock"
	flock -s 8
	DEPLOY_ROOT=$TMP/$_dname
	if [ -e "$DEPLOY_ROOT" ]; then
		echo "FAIL: deploy_root: $DEPLOY_ROOT exists"; exit 1
	fi
	mkdir -p "$DEPLOY_ROOT" "$TMP/.${_dname}.upper" "$TMP/.${_dname}.work"
	if [ "${HFX_DEPLOY_COPY:-overlay}" = overlay ] && mount -t overlay "hfx-$_dname" \
		-o "lowerdir=$_dbase,upperdir=$TMP/.${_dname}.upper,workdir=$TMP/.${_dname}.work" "$DEPLOY_ROOT" 2>/dev/null; then
		DEPLOY_COPY=overlay
	else
		rmdir "$DEPLOY_ROOT" "$TMP/.${_dname}.upper" "$TMP/.${_dname}.work"
		cp -a "$_dbase" "$DEPLOY_ROOT" || { echo "FAIL: cannot copy $_dbase"; exit 1; }
		DEPLOY_COPY="cp"
	fi
}

# deploy_repo DIR: builds the test repository into DIR (emptied first) and
# sets DEPLOY_REPO to its absolute path. Offline, about 1 s.
deploy_repo() {
	sh "$DEPLOY_TOP/tests/deploy/mkrepo.sh" "$1" >/dev/null || { echo "FAIL: cannot build the test repository"; exit 1; }
	DEPLOY_REPO=$(cd "$1" && pwd)
}

# deploy_add_repo ROOT REPO: makes REPO visible inside ROOT at /srv/hfx-repo
# (a read-only bind mount, so a test that rebuilds or extends REPO only has
# to run `apt-get update` in the root again; a copy when mounting fails),
# adds /etc/apt/sources.list.d/hfx-repo.list
#   deb [trusted=yes] file:/srv/hfx-repo ./
# and runs apt-get update inside ROOT. The root has no other source, so this
# needs no network.
deploy_add_repo() {
	_dr=$1 _drepo=$2
	mkdir -p "$_dr/srv/hfx-repo"
	if mountpoint -q "$_dr/srv/hfx-repo"; then
		umount "$_dr/srv/hfx-repo" || { echo "FAIL: cannot unmount $_dr/srv/hfx-repo"; exit 1; }
	fi
	if mount --bind "$_drepo" "$_dr/srv/hfx-repo" 2>/dev/null; then
		mount -o remount,bind,ro "$_dr/srv/hfx-repo" 2>/dev/null || true
	else
		rm -rf "$_dr/srv/hfx-repo" && cp -a "$_drepo" "$_dr/srv/hfx-repo" ||
			{ echo "FAIL: cannot copy $_drepo into $_dr"; exit 1; }
	fi
	echo 'deb [trusted=yes] file:/srv/hfx-repo ./' >"$_dr/etc/apt/sources.list.d/hfx-repo.list"
	if ! deploy_chroot "$_dr" apt-get update -q >"$TMP/apt-update.log" 2>&1 ||
		grep -q '^[WE]:' "$TMP/apt-update.log"; then
		echo "FAIL: apt-get update inside $_dr:"; sed 's/^/  | /' "$TMP/apt-update.log"
		exit 1
	fi
}

# deploy_chroot ROOT CMD...: runs CMD inside ROOT as root with a clean
# environment (PATH, LC_ALL=C, DEBIAN_FRONTEND=noninteractive, HOME=/root)
# and returns its status.
deploy_chroot() {
	_dc=$1; shift
	chroot "$_dc" /usr/bin/env -i PATH="$DEPLOY_PATH" LC_ALL=C HOME=/root \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# deploy_version ROOT PACKAGE: prints the installed version of PACKAGE in
# ROOT, or nothing when it is not installed (dpkg status other than
# "install ok installed" prints "VERSION STATUS").
deploy_version() {
	deploy_chroot "$1" dpkg-query -W -f '${Version} ${Status}\n' "$2" 2>/dev/null |
		sed -e 's/ install ok installed$//' -e '/ not-installed$/d'
}

# deploy_mount_proc ROOT: mounts a proc file system at ROOT/proc (for
# maintainer scripts that need it); deploy_cleanup unmounts it.
deploy_mount_proc() {
	mountpoint -q "$1/proc" || mount -t proc proc "$1/proc" ||
		{ echo "FAIL: cannot mount proc in $1"; exit 1; }
}

# Mount points at or below $1, deepest first.
deploy_mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# deploy_cleanup: unmounts everything mounted under $TMP (root copies, the
# repository bind mounts, proc), deepest first. Returns non-zero, and says
# so, when something stays mounted; $TMP is then not deleted.
deploy_cleanup() {
	for _dm in $(deploy_mounts_under "$TMP"); do
		umount "$_dm" 2>/dev/null || umount -l "$_dm" 2>/dev/null
	done
	_dleft=$(deploy_mounts_under "$TMP")
	[ -z "$_dleft" ] && return 0
	echo "deploy_cleanup: still mounted, $TMP kept:"; echo "$_dleft" | sed 's/^/  /'
	return 1
}

trap 'deploy_cleanup && { [ -n "${KEEP:-}" ] || rm -rf --one-file-system "$TMP"; }' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
