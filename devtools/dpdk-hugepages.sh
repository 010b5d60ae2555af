#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Hugepage helper, in the spirit of DPDK's dpdk-hugepages.py.
#
#   dpdk-hugepages.sh show                 pools per size and node, mounts, files
#   dpdk-hugepages.sh reserve N [NODE]     add N 2 MB pages (globally or on NODE)
#   dpdk-hugepages.sh release N [NODE]     give back N 2 MB pages we added
#   dpdk-hugepages.sh mount DIR            mount a private 2 MB hugetlbfs at DIR
#   dpdk-hugepages.sh umount DIR           unmount it (files are removed first)
#   dpdk-hugepages.sh clear DIR [PREFIX]   remove <PREFIX>map_* files nobody holds
#
# reserve/release only ever add to or take back from what was there: the
# pool never drops below the count found, as other processes may use pages.
set -euo pipefail

SYS=/sys/kernel/mm/hugepages/hugepages-2048kB

pool_file() {
	if [ -n "${1:-}" ]; then
		echo "/sys/devices/system/node/node$1/hugepages/hugepages-2048kB/nr_hugepages"
	else
		echo "$SYS/nr_hugepages"
	fi
}

cmd_show() {
	for d in /sys/kernel/mm/hugepages/hugepages-*; do
		printf '%s: total %s free %s reserved %s\n' "$(basename "$d")" \
			"$(cat "$d/nr_hugepages")" "$(cat "$d/free_hugepages")" \
			"$(cat "$d/resv_hugepages")"
	done
	for n in /sys/devices/system/node/node*/hugepages/hugepages-*; do
		[ -d "$n" ] || continue
		printf '  %s: total %s free %s\n' "${n#/sys/devices/system/}" \
			"$(cat "$n/nr_hugepages")" "$(cat "$n/free_hugepages")"
	done
	grep hugetlbfs /proc/mounts || echo "no hugetlbfs mounted"
}

cmd_reserve() {
	local n=$1 node=${2:-} f cur want got
	f=$(pool_file "$node")
	cur=$(cat "$f")
	want=$((cur + n))
	echo "$want" > "$f"
	got=$(cat "$f")
	if [ "$got" -lt "$want" ]; then
		echo "only $((got - cur)) of $n pages could be reserved" >&2
		echo "$((got - cur))"
		return 1
	fi
	echo "$n"
}

cmd_release() {
	local n=$1 node=${2:-} f cur
	f=$(pool_file "$node")
	cur=$(cat "$f")
	[ "$n" -le "$cur" ] || n=$cur
	echo $((cur - n)) > "$f"
}

cmd_clear() {
	local dir=$1 prefix=${2:-} f
	for f in "$dir"/"$prefix"*map_*; do
		[ -e "$f" ] || continue
		# a file some process still maps is held with a shared lock
		if flock -n -x "$f" true 2>/dev/null; then
			rm -f "$f"
		fi
	done
}

cmd_mount() {
	mkdir -p "$1"
	mountpoint -q "$1" || mount -t hugetlbfs -o pagesize=2M nodev "$1"
}

cmd_umount() {
	cmd_clear "$1"
	if mountpoint -q "$1"; then
		umount "$1"
	fi
	rmdir "$1" 2>/dev/null || true
}

case "${1:-show}" in
show) cmd_show ;;
reserve) cmd_reserve "${2:?count}" "${3:-}" ;;
release) cmd_release "${2:?count}" "${3:-}" ;;
mount) cmd_mount "${2:?dir}" ;;
umount) cmd_umount "${2:?dir}" ;;
clear) cmd_clear "${2:?dir}" "${3:-}" ;;
*) sed -n '3,12p' "$0"; exit 2 ;;
esac
