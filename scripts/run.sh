#!/bin/sh
# `make run`: hfx's main job on this machine (hfx quickstart), with the
# database in ./hfx.db. The feeds come from their public locations, or
# from HFX_MIRROR; when neither is set and this machine has no network but
# the shared test mirror sits beside the repository, that mirror is used.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${HFX_MIRROR:-}" ] && [ -d ../shared/data/mirror ]; then
	HFX_MIRROR="file://$(cd ../shared/data/mirror && pwd)"
	export HFX_MIRROR
	echo "using the local feed mirror $HFX_MIRROR (unset by setting HFX_MIRROR yourself)"
fi
exec build/hfx quickstart
