#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Source compatibility with DPDK 22.11: every program in devtools/compat/
# is written against 22.11's headers. Each is built twice with
# `pkg-config --cflags --libs libdpdk`, against the installed DPDK 22.11
# and against this tree installed into a temporary prefix
# (`meson install --destdir`), each in its own directory; both are run
# with the same EAL options and their outputs must match.
#
# Lines matching devtools/compat/known-differences (deliberate
# departures, one reason each) are taken out of both outputs and listed.
#
# usage: devtools/compat-check.sh [BUILD_DIR]
#   BUILD_DIR: an existing build of this tree (default: a fresh one)

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/compat-check.XXXXXX)
prefix=compat-$$
status=0
trap 'rm -rf "$work" "/var/run/dpdk/$prefix"; [ -z "${huge_dir:-}" ] || rm -f "$huge_dir/${prefix}map_"*' EXIT

fail() {
	echo "FAIL: $*"
	status=1
}

# -- this tree, installed into $work/dest --
build=${1:-}
if [ -z "$build" ]; then
	build=$work/build
	meson setup "$build" "$root" -Dtests=false >"$work/setup.log" 2>&1 ||
		{ cat "$work/setup.log"; exit 1; }
fi
ninja -C "$build" >"$work/ninja.log" 2>&1 || { tail -20 "$work/ninja.log"; exit 1; }
DESTDIR= meson install -C "$build" --destdir "$work/dest" >"$work/install.log" 2>&1 ||
	{ tail -20 "$work/install.log"; exit 1; }
ours_pc=$(dirname "$(find "$work/dest" -name libdpdk.pc | head -1)")
[ -f "$ours_pc/libdpdk.pc" ] || { echo "FAIL: no libdpdk.pc installed"; exit 1; }
ours_lib=$(dirname "$(find "$work/dest" -name 'librte_eal.so*' | head -1)")

# the installed libdpdk.pc must not name libraries that were not found
if ! grep -q '^#define RTE_HAS_LIBNUMA' "$build/config/rte_build_config.h" &&
		grep -qE '^(Libs|Libs.private|Requires|Requires.private):.*numa' \
		"$ours_pc/libdpdk.pc"; then
	fail "libdpdk.pc names libnuma, which this build did not find"
fi

ours_pkg() {
	PKG_CONFIG_PATH=$ours_pc PKG_CONFIG_SYSROOT_DIR=$work/dest pkg-config "$@" libdpdk
}
ref_pkg() {
	env -u PKG_CONFIG_PATH -u PKG_CONFIG_SYSROOT_DIR pkg-config "$@" libdpdk
}
ref_pkg --exists || { echo "SKIP: DPDK 22.11 (libdpdk-dev) is not installed"; exit 77; }
echo "reference: DPDK $(ref_pkg --modversion); ours: $(ours_pkg --modversion) from $ours_pc"

if [ "$(nproc)" -ge 2 ]; then lcores=0-1; map='(0-1)@(0-1),7@1'; else lcores=0; map='0,7@0'; fi
eal="--no-huge --no-pci --file-prefix=$prefix"

# hugepage-backed runs (dynamic memory) for the memory programs: the
# hugetlbfs mount named by DPDK_TEST_HUGE_DIR, else the first one
# mounted; --no-huge only when there is no mount or no free page
huge_dir=${DPDK_TEST_HUGE_DIR:-}
[ -n "$huge_dir" ] || huge_dir=$(awk '$3 == "hugetlbfs" { print $2; exit }' /proc/mounts)
huge_free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
if [ -n "$huge_dir" ] && [ -d "$huge_dir" ] && [ "${huge_free:-0}" -gt 32 ]; then
	heal="--no-pci --file-prefix=$prefix --huge-dir=$huge_dir"
	hmode=
	echo "memory checks: hugepages in $huge_dir" >&2
else
	huge_dir=
	heal=$eal
	# known-differences entries "<program>.nohuge:" apply to these runs
	hmode=.nohuge
	echo "memory checks: no hugepages available, using --no-huge" >&2
fi

# run NAME SIDE ARGS...: one program of one side, output normalised
run() {
	name=$1 side=$2
	shift 2
	if [ "$side" = ours ]; then
		LD_LIBRARY_PATH=$ours_lib "$work/$side/$name" "$@" >"$work/$side/$name.raw" 2>/dev/null
	else
		"$work/$side/$name" "$@" >"$work/$side/$name.raw" 2>/dev/null
	fi
	echo "exit status $?" >>"$work/$side/$name.raw"
	sed -e "s|$work/$side/||g" -e "s|$prefix|PREFIX|g" "$work/$side/$name.raw" \
		>"$work/$side/$name.out"
	if [ "$side" = ours ] && [ -e "/var/run/dpdk/$prefix" ]; then
		fail "$name left /var/run/dpdk/$prefix behind"
	fi
	rm -rf "/var/run/dpdk/$prefix"
	if [ -n "${huge_dir:-}" ] && ls "$huge_dir/${prefix}map_"* >/dev/null 2>&1; then
		[ "$side" = ours ] && fail "$name left hugepage files in $huge_dir"
		rm -f "$huge_dir/${prefix}map_"*
	fi
}

# strip NAME SIDE: take the known differences out of an output
strip_known() {
	grep -v "^#" "$root/devtools/compat/known-differences" | grep -E "^(${1%%.*}|$1):" |
		sed -E "s/^(${1%%.*}|$1): *//; s/ *#.*//" >"$work/known.$1"
	if [ -s "$work/known.$1" ]; then
		grep -v -f "$work/known.$1" "$work/$2/$1.out" >"$work/$2/$1.cmp"
	else
		cp "$work/$2/$1.out" "$work/$2/$1.cmp"
	fi
}

check() {
	name=$1
	shift
	src=$root/devtools/compat/${name%%.*}.c
	for side in ref ours; do
		mkdir -p "$work/$side"
		if [ "$side" = ours ]; then
			flags="-Wall -Wextra -Werror $(ours_pkg --cflags)"
			libs=$(ours_pkg --libs)
		else
			flags="-Wall $(ref_pkg --cflags)"
			libs=$(ref_pkg --libs)
		fi
		# shellcheck disable=SC2086
		if ! ${CC:-cc} -O1 -DALLOW_EXPERIMENTAL_API $flags -o "$work/$side/$name" "$src" \
				$libs -lpthread 2>"$work/$side/$name.cc"; then
			cat "$work/$side/$name.cc"
			fail "$name does not build against $side"
			return
		fi
		run "$name" "$side" "$@"
	done
	strip_known "$name" ref
	strip_known "$name" ours
	if diff -u "$work/ref/$name.cmp" "$work/ours/$name.cmp" >"$work/$name.diff"; then
		echo "ok   $name ($(wc -l <"$work/ours/$name.out") lines)"
	else
		fail "$name: outputs differ (- DPDK 22.11, + ours)"
		cat "$work/$name.diff"
	fi
	if ! diff -q "$work/ref/$name.out" "$work/ours/$name.out" >/dev/null; then
		diff "$work/ref/$name.out" "$work/ours/$name.out" | grep '^[<>]' |
			sed 's/^/     known: /'
	fi
}

# shellcheck disable=SC2086
check eal_lcore $eal -l $lcores
# shellcheck disable=SC2086
check eal_lcore.map $eal --lcores="$map" --main-lcore=7
# shellcheck disable=SC2086
check errno_log $eal -l $lcores
# shellcheck disable=SC2086
check errno_log.patterns $eal -l $lcores '--log-level=compat.*:2' '--log-level=compat.[ab],3'
# shellcheck disable=SC2086
check fbarray $eal -l $lcores
check common
# shellcheck disable=SC2086
check eal_mp $eal -l $lcores
# shellcheck disable=SC2086
check vfio $eal -l $lcores
# shellcheck disable=SC2086
check memory$hmode $heal -l $lcores
# shellcheck disable=SC2086
check malloc$hmode $heal -l $lcores
# shellcheck disable=SC2086
check memzone$hmode $heal -l $lcores
# shellcheck disable=SC2086
check mempool$hmode $heal -l $lcores

[ $status -eq 0 ] && echo "compat-check: OK" || echo "compat-check: FAILED"
exit $status
