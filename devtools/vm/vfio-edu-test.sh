#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Run vfio_edu_autotest (app/test/test_vfio_edu.c) in the QEMU guest of
# run-in-vm.sh: real VFIO type1 DMA by QEMU's edu device into EAL heap memory.
#
# usage: vfio-edu-test.sh [--build [DIR]] [--no-iommu] [--limit N | --mp] [DPDK_TEST] [-- EAL ARGS]
#   DPDK_TEST    the dpdk-test binary (default DIR/app/test/dpdk-test)
#   --build [DIR] first configure (if needed) and build DIR for the guest CPU
#                (default DIR: build-vm in the source tree)
#   --no-iommu   VFIO no-IOMMU mode instead of the vIOMMU (see run-in-vm.sh;
#                the first use rebuilds vfio.ko from linux-source)
#   --limit N    run vfio_edu_limit_autotest instead, with the kernel's
#                vfio_iommu_type1 dma_entry_limit set to N
#   --mp         run vfio_edu_mp_autotest instead: a secondary process gets
#                the container and group from the primary and DMAs too
# Under TCG the guest CPU has no AVX-512, while the project builds with
# -march=native; a build for the guest adds -mno-avx512f. A binary that
# dies with SIGILL in the guest is reported as a skip (77) with that hint.
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=""
bin=""
vmopts=()
limit=""
autotest=vfio_edu_autotest
while [ $# -gt 0 ]; do
	case $1 in
	--build)
		if [ $# -ge 2 ] && [ "${2#-}" = "$2" ]; then build=$2; shift 2
		else build=$src/build-vm; shift; fi ;;
	--no-iommu) vmopts+=(--no-iommu); shift ;;
	--limit) limit=$2; shift 2 ;;
	--mp) autotest=vfio_edu_mp_autotest; shift ;;
	--) shift; break ;;
	-h|--help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) bin=$1; shift ;;
	esac
done
if [ -n "$build" ]; then
	[ -d "$build" ] || meson setup "$build" -Dwerror=true -Dc_args=-mno-avx512f >&2 || exit 1
	ninja -C "$build" >&2 || exit 1
	bin=${bin:-$build/app/test/dpdk-test}
fi
[ -n "$bin" ] || { echo "usage: $0 [--build [DIR]] [--no-iommu] [--limit N | --mp] [DPDK_TEST] [-- EAL ARGS]" >&2; exit 2; }
[ $# -gt 0 ] || set -- -l 0-1 --file-prefix=vfio-edu
if [ -n "$limit" ]; then
	# the limit is read when a container is opened: set it before the EAL starts
	"$here/run-in-vm.sh" --timeout "${EALVM_TIMEOUT:-240}" --devices edu "${vmopts[@]+"${vmopts[@]}"}" \
		--bin "$bin" --env DPDK_TEST=vfio_edu_limit_autotest -- sh -c \
		'echo "$1" >/sys/module/vfio_iommu_type1/parameters/dma_entry_limit && shift && exec "$@"' \
		sh "$limit" "$bin" "$@"
else
	"$here/run-in-vm.sh" --timeout "${EALVM_TIMEOUT:-240}" --devices edu "${vmopts[@]+"${vmopts[@]}"}" \
		--env DPDK_TEST=$autotest -- "$bin" "$@"
fi
rc=$?
if [ $rc = 132 ]; then
	echo "vfio-edu-test: SIGILL in the guest: $bin uses instructions the emulated" \
		"CPU lacks; build it with $0 --build" >&2
	exit 77
fi
exit $rc
