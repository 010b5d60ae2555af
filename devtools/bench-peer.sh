#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Side-by-side benchmark: build each stand-alone benchmark twice, once
# against this tree's EAL and once against the system DPDK (Debian's 22.11,
# found with `pkg-config libdpdk`), run both with the same EAL arguments
# and print their figures in one table.
#
# Usage:
#   devtools/bench-peer.sh [-b BUILD] [-o OUT] [-r RUNS] [-k] BENCH.c... [-- EAL ARGS...]
#
#   BENCH.c   app/test/bench/<x>_bench.c files: a main() that calls
#             rte_eal_init(argc, argv), uses only the public API and prints
#             figures as lines "name: <number> <unit>" (e.g. "set_used:
#             51.2 M/s"). Any other line is passed through below the table.
#   -b BUILD  our meson build directory, already built (default: build);
#             its meson-uninstalled/libdpdk-uninstalled.pc gives the flags.
#   -o OUT    directory for the two builds and the raw outputs
#             (default: a temporary one, removed at the end unless -k).
#   -r RUNS   run each side RUNS times, alternating ours and system, and
#             show the median of each figure (default: 3).
#   -k        keep OUT.
#   EAL ARGS  passed to both programs (default: --no-huge --no-pci -l 0).
#             Unless they contain --file-prefix, each run gets its own
#             prefix (benchpeer-ours-<pid>, benchpeer-dpdk-<pid>), whose
#             runtime dir, and hugepage files in a --huge-dir given here,
#             are removed afterwards. A benchmark that starts secondary
#             processes must hand its own --file-prefix and --huge-dir on
#             to them (mp_bench.c passes its whole argument list).
#
# Environment: CC (default cc), BENCH_CFLAGS (default -O3 -g).
#
# The two programs are separate binaries in OUT/ours and OUT/dpdk: the two
# EALs never meet in one process. The ratio column is ours / system; for
# rate figures (M/s) higher is better for us. Other output is shown from
# the first run of each side only. The machine may be shared: benchmarks
# should time with CLOCK_THREAD_CPUTIME_ID or keep the best of several
# rounds, as fbarray_bench.c does.
#
# Examples:
#   devtools/bench-peer.sh app/test/bench/fbarray_bench.c -- --no-huge --no-pci -l 0
#   devtools/bench-peer.sh app/test/bench/mp_bench.c -- -l 0-1 --no-pci \
#       --huge-dir=/mnt/huge-dev
set -euo pipefail

BUILD=build
OUT=
KEEP=0
RUNS=3
SRCS=()
EAL_ARGS=()

usage() {
	sed -n '3,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
	exit "${1:-1}"
}

while [ $# -gt 0 ]; do
	case "$1" in
	-b) BUILD=$2; shift 2 ;;
	-o) OUT=$2; shift 2 ;;
	-k) KEEP=1; shift ;;
	-r) RUNS=$2; shift 2 ;;
	-h|--help) usage 0 ;;
	--) shift; EAL_ARGS=("$@"); break ;;
	-*) echo "unknown option $1" >&2; usage ;;
	*) SRCS+=("$1"); shift ;;
	esac
done
[ ${#SRCS[@]} -gt 0 ] || usage
[ ${#EAL_ARGS[@]} -gt 0 ] || EAL_ARGS=(--no-huge --no-pci -l 0)

CC=${CC:-cc}
read -r -a CFLAGS <<< "${BENCH_CFLAGS:--O3 -g}"
BUILD=$(cd "$BUILD" && pwd)
PC_DIR=$BUILD/meson-uninstalled
if [ ! -f "$PC_DIR/libdpdk-uninstalled.pc" ]; then
	echo "$PC_DIR/libdpdk-uninstalled.pc not found: build the tree first" >&2
	exit 1
fi
if ! pkg-config --exists libdpdk; then
	echo "system DPDK not found (pkg-config libdpdk): apt-get install libdpdk-dev" >&2
	exit 1
fi
SYS_VERSION=$(pkg-config --modversion libdpdk)

if [ -z "$OUT" ]; then
	OUT=$(mktemp -d /tmp/bench-peer.XXXXXX)
	[ "$KEEP" -eq 1 ] || trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT/ours" "$OUT/dpdk"

has_prefix=0
HUGE_DIR=
prev=
for a in "${EAL_ARGS[@]}"; do
	case "$a" in
	--file-prefix*) has_prefix=1 ;;
	--huge-dir=*) HUGE_DIR=${a#--huge-dir=} ;;
	esac
	[ "$prev" != --huge-dir ] || HUGE_DIR=$a
	prev=$a
done

# build SIDE SRC: compile SRC into OUT/SIDE/<name>
build_one() {
	local side=$1 src=$2 exe flags libs
	exe=$OUT/$side/$(basename "$src" .c)
	if [ "$side" = ours ]; then
		flags=$(PKG_CONFIG_PATH=$PC_DIR pkg-config --cflags libdpdk)
		libs="$(PKG_CONFIG_PATH=$PC_DIR pkg-config --libs libdpdk) -Wl,-rpath,$BUILD/lib -Wl,-rpath,$BUILD/drivers"
	else
		flags=$(pkg-config --cflags libdpdk)
		libs=$(pkg-config --libs libdpdk)
	fi
	# shellcheck disable=SC2086 # the pkg-config output is a word list
	"$CC" "${CFLAGS[@]}" $flags -o "$exe" "$src" $libs >"$OUT/$side/build.log" 2>&1 || {
		echo "building $src against $side failed:" >&2
		cat "$OUT/$side/build.log" >&2
		return 1
	}
	echo "$exe"
}

# run SIDE EXE RUN: run it, output into OUT/SIDE/<name>.out.RUN
run_one() {
	local side=$1 exe=$2 prefix=benchpeer-$1-$$ status=0
	local args=("${EAL_ARGS[@]}")
	[ "$has_prefix" -eq 1 ] || args+=("--file-prefix=$prefix")
	"$exe" "${args[@]}" >"$exe.out.$3" 2>&1 || status=$?
	[ "$has_prefix" -eq 1 ] || rm -rf "/var/run/dpdk/$prefix" \
		"${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix" 2>/dev/null || true
	# pages a crashed run (or an EAL that keeps them) left behind
	[ "$has_prefix" -eq 1 ] || [ -z "$HUGE_DIR" ] ||
		rm -f "$HUGE_DIR/${prefix}map_"* 2>/dev/null || true
	return $status
}

# table NAME OURS.out.1..RUNS SYS.out.1..RUNS
table() {
	local name=$1
	shift
	awk -v name="$name" -v runs="$RUNS" -v sys="DPDK $SYS_VERSION" '
	function parse(line, side,   k, rest, x) {
		if (line !~ /^[A-Za-z_][^:]*: *[-+0-9.eE]+( .*)?$/)
			return 0
		k = line; sub(/:.*/, "", k)
		rest = line; sub(/^[^:]+: */, "", rest)
		x = rest; sub(/ .*/, "", x)
		unit[k] = rest; sub(/^[^ ]* ?/, "", unit[k])
		v[side, k, ++cnt[side, k]] = x + 0
		if (!(k in seen)) { seen[k] = 1; order[n++] = k }
		return 1
	}
	function median(side, k,   m, i, j, t, a) {
		m = cnt[side, k]
		if (m == 0)
			return "-"
		for (i = 1; i <= m; i++)
			a[i] = v[side, k, i]
		for (i = 2; i <= m; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	FNR == 1 { file++; side = file <= runs ? 1 : 2 }
	{
		if (!parse($0, side) && (file == 1 || file == runs + 1))
			other[side] = other[side] "    " $0 "\n"
	}
	END {
		printf "== %s (median of %d runs)\n", name, runs
		printf "%-28s %16s %16s %8s\n", "figure", "ours", sys, "ratio"
		for (i = 0; i < n; i++) {
			k = order[i]
			o = median(1, k)
			s = median(2, k)
			r = (o != "-" && s != "-" && s + 0 != 0) ? sprintf("%.2fx", o / s) : "-"
			printf "%-28s %16s %16s %8s\n", k, o " " unit[k], s " " unit[k], r
		}
		if (other[1] != "") printf "  other output (ours):\n%s", other[1]
		if (other[2] != "") printf "  other output (%s):\n%s", sys, other[2]
	}' "$@"
}

status=0
for src in "${SRCS[@]}"; do
	name=$(basename "$src" .c)
	ours=$(build_one ours "$src") || { status=1; continue; }
	sys=$(build_one dpdk "$src") || { status=1; continue; }
	outs=()
	syss=()
	for r in $(seq 1 "$RUNS"); do
		run_one ours "$ours" "$r" || { echo "$name (ours) exited with $?" >&2; status=1; }
		run_one dpdk "$sys" "$r" ||
			{ echo "$name (DPDK $SYS_VERSION) exited with $?" >&2; status=1; }
		outs+=("$ours.out.$r")
		syss+=("$sys.out.$r")
	done
	table "$name  [EAL args: ${EAL_ARGS[*]}]" "${outs[@]}" "${syss[@]}"
	echo
done
[ "$KEEP" -eq 0 ] || echo "builds and raw outputs kept in $OUT"
exit $status
