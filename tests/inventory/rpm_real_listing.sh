#!/bin/sh
# The RPM inventory parser (src/inventory/rpm_list.c) against the output
# of the real rpm (4.18, Debian's `rpm` package), not our idea of it.
#
# rpmbuild makes three empty packages from two spec files written here:
# one with an epoch, a '^' version and a subpackage whose name has a '-'
# and differs from its source's; one with a '~' version, a '+' release, a
# native architecture and a .nosrc.rpm source (NoSource). They go into a
# fresh rpmdb (--justdb: nothing touches this host), with a signing key
# when gpg can export one (the listing then has a gpg-pubkey line), and
# the exact command hfx documents lists them. The unit test binary,
# built here with sanitizers, parses that listing in its HFX_RPM_LISTING
# mode (test_real_listing() in tests/inventory/test_rpm_list.c), which
# knows these three packages.
#
# Run from the repository root; exit 0 pass, 1 fail, 77 skip (no rpm,
# rpmbuild, cmocka or C compiler; scripts/install-deps.sh installs them).
set -u
cd "$(dirname "$0")/../.." || exit 1

for tool in rpm rpmbuild pkg-config "${CC:-cc}"; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool not installed (see scripts/install-deps.sh)"
		exit 77
	fi
done
if ! pkg-config --exists cmocka; then
	echo "SKIP: cmocka not installed (see scripts/install-deps.sh)"
	exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/SPECS" "$tmp/SOURCES" "$tmp/db"

cat >"$tmp/SPECS/demo.spec" <<'EOF'
Name: demo-tool
Epoch: 3
Version: 1.2.3^git1
Release: 4.el9_3
Summary: hfx test package
License: MIT
BuildArch: noarch
%description
hfx test package.
%package -n python3.9-demo
Summary: hfx test subpackage
%description -n python3.9-demo
hfx test subpackage.
%files
%files -n python3.9-demo
EOF

cat >"$tmp/SPECS/native.spec" <<'EOF'
Name: hfx-native
Version: 2.0~rc1
Release: 1+local.el9
Summary: hfx test package
License: MIT
Source0: hfx-native.tar
NoSource: 0
%description
hfx test package built without its source.
%files
EOF
: >"$tmp/SOURCES/hfx-native.tar"

for spec in demo native; do
	if ! rpmbuild --define "_topdir $tmp" --define '_build_id_links none' \
		--target x86_64 -bb "$tmp/SPECS/$spec.spec" >"$tmp/build-$spec.log" 2>&1; then
		echo "FAIL: rpmbuild $spec.spec"; tail -n 20 "$tmp/build-$spec.log"
		exit 1
	fi
done

rpm --dbpath "$tmp/db" --initdb || { echo "FAIL: rpm --initdb"; exit 1; }
# Debian's rpm warns that it should not install packages (use alien): this
# only records them in the temporary database.
if ! rpm --dbpath "$tmp/db" -i --justdb --nodeps --noscripts --ignorearch \
	$(find "$tmp/RPMS" -name '*.rpm') >"$tmp/install.log" 2>&1; then
	echo "FAIL: rpm -i --justdb"; cat "$tmp/install.log"
	exit 1
fi
keyring=/usr/share/keyrings/debian-archive-bookworm-stable.gpg
if command -v gpg >/dev/null && [ -r "$keyring" ] &&
	gpg --no-default-keyring --keyring "$keyring" --export --armor \
		>"$tmp/key.asc" 2>/dev/null && [ -s "$tmp/key.asc" ]; then
	rpm --dbpath "$tmp/db" --import "$tmp/key.asc" || { echo "FAIL: rpm --import"; exit 1; }
fi

# The command of the documentation, verbatim but for --dbpath.
rpm --dbpath "$tmp/db" -qa \
	--qf '%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n' \
	>"$tmp/listing" || { echo "FAIL: rpm -qa"; exit 1; }
echo "listing from rpm $(rpm --version | sed 's/.* //'):"
sed 's/^/  | /' "$tmp/listing"
if ! grep -q '^gpg-pubkey	' "$tmp/listing"; then
	echo "note: no signing key imported (gpg or the Debian keyring missing)"
fi

"${CC:-cc}" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Isrc -Itests \
	tests/inventory/test_rpm_list.c src/inventory/rpm_list.c src/base/err.c \
	src/base/buf.c src/base/show.c $(pkg-config --cflags --libs cmocka) -o "$tmp/test_rpm_list" || exit 1
if ! HFX_RPM_LISTING="$tmp/listing" "$tmp/test_rpm_list"; then
	echo "FAIL: the parser does not read real rpm's listing as expected"
	exit 1
fi
echo "ok: real rpm listing parsed"

# A mounted root of an RPM system: its rpm database at var/lib/rpm inside
# it, read by hfx host collect --root with this machine's rpm.
HFX=${HFX_BIN:-build/check/hfx}
if [ -x "$HFX" ]; then
	root="$tmp/root"
	mkdir -p "$root/etc"
	printf 'ID="almalinux"\nVERSION_ID="9.3"\n' >"$root/etc/os-release"
	rpm --root "$root" --dbpath /var/lib/rpm --initdb || { echo "FAIL: initdb in the root"; exit 1; }
	rpm --root "$root" --dbpath /var/lib/rpm -i --justdb --nodeps --noscripts --ignorearch \
		$(find "$tmp/RPMS" -name '*.rpm') >"$tmp/install2.log" 2>&1 ||
		{ echo "FAIL: rpm -i into the root"; cat "$tmp/install2.log"; exit 1; }
	want=$(rpm --root "$root" --dbpath /var/lib/rpm -qa | grep -vc '^gpg-pubkey')
	HFX_DB="$tmp/hfx.db" "$HFX" init >/dev/null
	if ! HFX_DB="$tmp/hfx.db" "$HFX" host collect --root "$root" --name rpmroot >"$tmp/collect.out" 2>&1; then
		echo "FAIL: host collect --root of an rpm root: $(cat "$tmp/collect.out")"
		exit 1
	fi
	if ! grep -q "rpmroot: almalinux 9.3 (AlmaLinux:9), $want packages" "$tmp/collect.out"; then
		echo "FAIL: collect --root: $(cat "$tmp/collect.out"), rpm lists $want"
		exit 1
	fi
	echo "ok: host collect --root read the root's rpm database ($want packages)"
fi
exit 0
