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

# Show the memory subsystem at work: with hugepages when the system has a
# free one and a hugetlbfs mount (devtools/run-tests.sh sets both up), else
# with --no-huge; 8 MB preallocated, a heap block allocated, layout shown.
mem_args="--no-huge -m 8"
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
if [ "$free" -ge 4 ] && grep -q " hugetlbfs " /proc/mounts; then
	mem_args="-m 8"
fi
echo "== dpdk-test $mem_args: memory layout =="
# shellcheck disable=SC2086
printf 'dump_memory\ndump_memzone\nquit\n' |
	"$BUILD_DIR"/app/test/dpdk-test -l 0-1 $mem_args --file-prefix=setup-demo
