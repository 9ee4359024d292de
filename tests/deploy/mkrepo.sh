#!/bin/sh
# Builds a local, flat apt repository of tiny test packages, offline, with
# dpkg-deb and dpkg-scanpackages (dpkg-dev):
#
#   hfx-demo      1.0-1  installed before the fix
#                 1.1-1  the fix
#                 1.2-1  a bad later fix: its postinst fails on configure,
#                        so an upgrade to it leaves dpkg half-configured
#   hfx-demo-lib  1.0-1, 1.1-1  a second binary of source hfx-demo
#   hfx-daemon    1.0-1, 1.1-1  ships /etc/hfx-daemon.conf as a conffile,
#                        changed in 1.1-1 (an edited copy makes dpkg ask,
#                        unless --force-confold / --force-confnew)
#
# All are Architecture: all and depend on nothing, so they install in any
# Debian root. Layout: REPO/pool/*.deb, REPO/Packages(.gz), REPO/Release;
# use it as `deb [trusted=yes] file:REPO ./`. Rebuilding gives the same
# .deb files byte for byte (SOURCE_DATE_EPOCH, root-owned files).
#
# Usage: mkrepo.sh [REPO_DIR]   (default ${HFX_DEPLOY_REPO:-build/deploy/repo}
# under the top of the source tree). The directory is emptied first.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
REPO=${1:-${HFX_DEPLOY_REPO:-$top/build/deploy/repo}}
for tool in dpkg-deb dpkg-scanpackages; do
	command -v "$tool" >/dev/null || {
		echo "mkrepo: $tool is missing (scripts/install-deps.sh installs dpkg-dev)" >&2
		exit 1
	}
done
mkdir -p "$REPO"
REPO=$(cd "$REPO" && pwd)
rm -rf "$REPO/pool" "$REPO/Packages" "$REPO/Packages.gz" "$REPO/Release" "$REPO/.build"
mkdir -p "$REPO/pool" "$REPO/.build"
umask 022
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C
stamp=@$SOURCE_DATE_EPOCH

# pkg NAME VERSION SOURCE DESCRIPTION: starts the tree $t of a package.
pkg() {
	name=$1 version=$2 source=$3 descr=$4
	t=$REPO/.build/${name}_$version
	mkdir -p "$t/DEBIAN" "$t/usr/share/doc/$name"
	printf 'Test package for the hfx deployment tests (tests/deploy/mkrepo.sh).\n' \
		>"$t/usr/share/doc/$name/copyright"
	echo "Package: $name" >"$t/DEBIAN/control"
	[ "$source" = "$name" ] || echo "Source: $source" >>"$t/DEBIAN/control"
	cat >>"$t/DEBIAN/control" <<EOF
Version: $version
Architecture: all
Maintainer: hfx tests <hfx-tests@localhost>
Section: misc
Priority: optional
Description: $descr
 A tiny package built by the hfx test suite; it does nothing useful.
EOF
}

# script PATH BODY: an executable file in the current tree.
script() {
	mkdir -p "$(dirname "$t/$1")"
	printf '#!/bin/sh\n%s\n' "$2" >"$t/$1"
	chmod 755 "$t/$1"
}

# build: Installed-Size, timestamps, then the .deb into the pool.
build() {
	size=$(du -sk --exclude=DEBIAN "$t" | cut -f1)
	sed -i "/^Architecture:/a Installed-Size: $size" "$t/DEBIAN/control"
	find "$t" -exec touch -h -d "$stamp" {} +
	dpkg-deb --root-owner-group -Zgzip --build "$t" "$REPO/pool/${name}_${version}_all.deb" >/dev/null
}

for v in 1.0-1 1.1-1 1.2-1; do
	pkg hfx-demo "$v" hfx-demo "hfx test package, version $v"
	script usr/bin/hfx-demo "echo 'hfx-demo $v'"
	mkdir -p "$t/usr/share/hfx-demo"
	echo "$v" >"$t/usr/share/hfx-demo/version"
	if [ "$v" = 1.2-1 ]; then
		script DEBIAN/postinst 'set -e
case "$1" in
configure)
	echo "hfx-demo 1.2-1: postinst fails on purpose (a bad fix)" >&2
	exit 1 ;;
esac
exit 0'
	fi
	build
done

for v in 1.0-1 1.1-1; do
	pkg hfx-demo-lib "$v" hfx-demo "hfx test library, version $v (source hfx-demo)"
	mkdir -p "$t/usr/lib/hfx-demo"
	echo "$v" >"$t/usr/lib/hfx-demo/libhfx-demo.version"
	build
done

for v in 1.0-1 1.1-1; do
	pkg hfx-daemon "$v" hfx-daemon "hfx test daemon with a conffile, version $v"
	script usr/sbin/hfx-daemon "echo 'hfx-daemon $v'"
	mkdir -p "$t/etc"
	{
		echo "# /etc/hfx-daemon.conf, as shipped by hfx-daemon $v"
		echo "listen = 127.0.0.1:7700"
		echo "workers = 2"
		[ "$v" = 1.0-1 ] || echo "tls = required"
	} >"$t/etc/hfx-daemon.conf"
	echo /etc/hfx-daemon.conf >"$t/DEBIAN/conffiles"
	build
done
rm -rf "$REPO/.build"

# The index, every version (--multiversion), paths relative to REPO.
(cd "$REPO" && dpkg-scanpackages --multiversion pool /dev/null >Packages 2>/dev/null)
gzip -9nk "$REPO/Packages"
{
	echo "Origin: hfx-tests"
	echo "Label: hfx-tests"
	echo "Suite: hfx-test"
	echo "Codename: hfx-test"
	echo "Date: $(date -u -R)"
	echo "Description: hfx deployment test packages (tests/deploy/mkrepo.sh)"
	echo "SHA256:"
	for f in Packages Packages.gz; do
		printf ' %s %s %s\n' "$(sha256sum <"$REPO/$f" | cut -d' ' -f1)" "$(wc -c <"$REPO/$f")" "$f"
	done
} >"$REPO/Release"
chmod -R a+rX "$REPO"
echo "mkrepo: $(grep -c '^Package:' "$REPO/Packages") packages in $REPO"
