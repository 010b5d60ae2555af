#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# First README command: install what the project needs (Debian 12, as
# root), build it into ./build and show the EAL running.
#   BUILD_DIR   build directory (default: build)
#   MESON_ARGS  extra meson options (e.g. -Dwerror=true)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

pkgs="meson ninja-build gcc pkg-config libnuma-dev python3 util-linux"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi

if [ -d "$BUILD_DIR" ]; then
	# shellcheck disable=SC2086
	meson setup --reconfigure "$BUILD_DIR" ${MESON_ARGS:-}
else
	# shellcheck disable=SC2086
	meson setup "$BUILD_DIR" ${MESON_ARGS:-}
fi
ninja -C "$BUILD_DIR"

echo "== dpdk-test: lcores and memory layout =="
printf 'lcores_autotest\nquit\n' | "$BUILD_DIR"/app/test/dpdk-test -l 0-1 --no-huge \
	--file-prefix=setup-demo
