#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The project's QEMU test harness, taken from the workplace recipe
# (/work/shared/vm). Used by the 'vm' meson suite (app/test/meson.build).
#
# run-in-vm.sh - run a command inside a throw-away QEMU guest that has
#   * N NUMA nodes (default 2) with 2 MiB hugepages reserved on each node,
#     hugetlbfs mounted at /dev/hugepages
#   * an emulated Intel VT-d IOMMU (intel-iommu) and VFIO type1 loaded
#   * emulated PCI devices (default: QEMU "edu" DMA test device + e1000e NIC)
#     bound to vfio-pci
# and return the command's exit code.  Everything comes from Debian packages
# (qemu-system-x86, busybox-static, cpio, linux-image-<ver>-amd64).
#
# usage: run-in-vm.sh [options] [--] CMD [ARG...]
#        run-in-vm.sh --setup        (install / cache everything, run nothing)
# options:
#   -b, --bin FILE       copy FILE (an executable) and its `ldd` closure into
#                        the guest at the same absolute paths (repeatable)
#   -f, --file PATH      copy a file or directory into the guest at the same
#                        absolute path (repeatable)
#   -e, --env NAME[=VAL] export NAME into the guest (value from the host
#                        environment when no =VAL) (repeatable)
#   -C, --chdir DIR      working directory in the guest (default: $PWD if it
#                        exists in the guest, else /)
#   -t, --timeout SECS   wall-clock limit for the whole VM run (default 300)
#       --nodes N        NUMA nodes (default 2; one vCPU per node)
#       --mem MIB        RAM per node in MiB (default 1024)
#       --hugepages N    2 MiB hugepages to reserve per node (default 64)
#       --devices LIST   space/comma list of edu,e1000e,virtio-net,none
#                        (default "edu e1000e"), all bound to vfio-pci; the
#                        guest exports EALVM_VFIO_DEVICES (BDF list) and
#                        EALVM_EDU_BDF, EALVM_E1000E_BDF, EALVM_VIRTIO_NET_BDF
#       --device-node N  put those devices behind a PCIe expander bridge of
#                        NUMA node N (sysfs numa_node = N; default: root bus,
#                        numa_node -1)
#       --accel A        auto|kvm|tcg (default auto: kvm only where it is real
#                        hardware virtualisation, see README)
#       --no-iommu       no vIOMMU; vfio in enable_unsafe_noiommu_mode instead
#                        (/dev/vfio/noiommu-N, DMA to physical addresses).
#                        Debian's kernel lacks CONFIG_VFIO_NOIOMMU, so the
#                        first use rebuilds vfio.ko from linux-source-X.Y
#                        (+ linux-headers, make, gcc) into the cache
#       --module FILE.ko load this guest module instead of the cached one of
#                        the same name (or in addition, last), e.g. a vfio.ko
#                        rebuilt with CONFIG_VFIO_NOIOMMU (see README)
#       --append ARGS    extra guest kernel command line
#   -v, --verbose        show the guest kernel log and the qemu command line
#       --setup          only prepare the cache and exit
# environment:
#   EALVM_CACHE   cache dir (default /var/cache/eal-vm as root, else
#                 ~/.cache/eal-vm)
#   EALVM_KPKG    kernel package (default: what linux-image-amd64 depends on)
#   EALVM_SKIP_RC exit code when the VM cannot be prepared (default 77 =
#                 meson "skipped"); set to 1 to make that a failure
#   EALVM_ACCEL, EALVM_TIMEOUT, EALVM_NODES, EALVM_MEM, EALVM_HUGEPAGES,
#   EALVM_DEVICES: defaults for the options above
#   EALVM_IOMMU_CMDLINE  guest IOMMU kernel args (default "intel_iommu=on iommu=pt")
#   EALVM_VIOMMU         the vIOMMU -device (default
#                        "intel-iommu,intremap=on,caching-mode=on")
#   EALVM_MODULES        extra guest modules to load (e.g. "e1000e")
#   EALVM_PASS_ENV       host variables exported into the guest when set
#                        (default: LD_LIBRARY_PATH MALLOC_PERTURB_ ASAN_OPTIONS
#                        UBSAN_OPTIONS LSAN_OPTIONS MESON_TEST_ITERATION)
# exit code: the command's exit code; 124 = timeout; 125 = the VM did not
# report an exit code (crash / boot failure); EALVM_SKIP_RC = no VM possible
set -u -o pipefail

if [ "$(id -u)" = 0 ]; then
	CACHE=${EALVM_CACHE:-/var/cache/eal-vm}
else
	CACHE=${EALVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eal-vm}
fi
SKIP_RC=${EALVM_SKIP_RC:-77}
TIMEOUT=${EALVM_TIMEOUT:-300}
NODES=${EALVM_NODES:-2}
MEM=${EALVM_MEM:-1024}
HUGEPAGES=${EALVM_HUGEPAGES:-64}
DEVICES=${EALVM_DEVICES:-edu e1000e}
ACCEL=${EALVM_ACCEL:-auto}
DEVNODE=${EALVM_DEVICE_NODE:-}
NOIOMMU=0
VERBOSE=0
SETUP_ONLY=0
APPEND=""
CHDIR=""
BINS=()
FILES=()
ENVS=()
MODS=()
# modules to load in the guest, dependencies are resolved from the .ko files
WANT_MODULES="vfio_iommu_type1 vfio_pci ${EALVM_MODULES:-}"

log() { echo "run-in-vm: $*" >&2; }
die() { log "error: $*"; exit "$SKIP_RC"; }

while [ $# -gt 0 ]; do
	case "$1" in
	-b|--bin) BINS+=("$2"); shift 2 ;;
	-f|--file) FILES+=("$2"); shift 2 ;;
	-e|--env) ENVS+=("$2"); shift 2 ;;
	--module) MODS+=("$2"); shift 2 ;;
	-C|--chdir) CHDIR=$2; shift 2 ;;
	-t|--timeout) TIMEOUT=$2; shift 2 ;;
	--nodes) NODES=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--hugepages) HUGEPAGES=$2; shift 2 ;;
	--devices) DEVICES=$2; shift 2 ;;
	--device-node) DEVNODE=$2; shift 2 ;;
	--accel) ACCEL=$2; shift 2 ;;
	--no-iommu) NOIOMMU=1; shift ;;
	--append) APPEND="$APPEND $2"; shift 2 ;;
	-v|--verbose) VERBOSE=1; shift ;;
	--setup) SETUP_ONLY=1; shift ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) echo "run-in-vm: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $SETUP_ONLY = 0 ] && [ $# -eq 0 ]; then
	echo "usage: $0 [options] [--] CMD [ARG...]   (--help for more)" >&2
	exit 2
fi

# ---------------------------------------------------------------- setup ---
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root"
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
		die "apt-get install ${missing[*]} failed"
}

# vmlinuz (bzImage) -> vmlinux (ELF with a PVH entry note): QEMU then enters
# the kernel directly (no real-mode setup, no in-guest decompression), which
# halves the boot time under TCG.  Falls back to the bzImage if it fails.
extract_vmlinux() {
	local in=$1 out=$2 magic tool off
	for magic in 'xz:\xfd\x37\x7a\x58\x5a\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
		tool=${magic%%:*}
		off=$(LC_ALL=C grep -obUaP "${magic#*:}" "$in" 2>/dev/null | head -1 | cut -d: -f1)
		[ -n "$off" ] || continue
		case $tool in
		xz) tail -c +$((off + 1)) "$in" | xz -dc --single-stream >"$out" 2>/dev/null ;;
		zstd) tail -c +$((off + 1)) "$in" | zstd -dcq >"$out" 2>/dev/null ;;
		gzip) tail -c +$((off + 1)) "$in" | gzip -dc >"$out" 2>/dev/null ;;
		esac
		if [ "$(head -c 4 "$out" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			return 0
		fi
	done
	rm -f "$out"
	return 1
}

# name of a module file without extension, '-' normalised to '_'
modname() { local b=${1##*/}; b=${b%%.ko*}; echo "${b//-/_}"; }

setup_kernel() {
	local kpkg=${EALVM_KPKG:-} kdir deb tmp
	# the resolved name is remembered for a day (apt-cache costs ~0.6 s)
	if [ -z "$kpkg" ] && [ -n "$(find "$CACHE/kernel.current" -mmin -1440 2>/dev/null)" ]; then
		kpkg=$(cat "$CACHE/kernel.current")
		[ -f "$CACHE/kernel/$kpkg/.complete" ] || kpkg=
	fi
	if [ -z "$kpkg" ]; then
		kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
		if [ -z "$kpkg" ]; then
			apt-get update -q >&2 || true
			kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
		fi
		if [ -n "$kpkg" ]; then
			echo "$kpkg" >"$CACHE/kernel.current"
		else # offline fallback: whatever is already cached
			kpkg=$(ls -1 "$CACHE/kernel" 2>/dev/null | sort -V | tail -1)
		fi
	fi
	[ -n "$kpkg" ] || die "cannot determine the kernel package (set EALVM_KPKG)"
	kdir=$CACHE/kernel/$kpkg
	KDIR=$kdir
	[ -f "$kdir/.complete" ] && return 0
	log "preparing guest kernel $kpkg in $kdir"
	mkdir -p "$kdir"
	tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
	(cd "$tmp" && apt-get download -q "$kpkg" 2>&1 | grep -v 'unsandboxed' >&2) || { rm -rf "$tmp"; die "apt-get download $kpkg failed"; }
	deb=$(ls "$tmp"/*.deb)
	du -k "$deb" | cut -f1 >"$kdir/deb-size-kib"
	dpkg-deb -f "$deb" Version >"$kdir/pkg-version"
	dpkg-deb -x "$deb" "$tmp/x" || { rm -rf "$tmp"; die "dpkg-deb -x failed"; }
	local vmlinuz kver mroot
	vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-* | head -1)
	kver=${vmlinuz##*/vmlinuz-}
	mroot=$tmp/x/lib/modules/$kver
	[ -d "$mroot" ] || mroot=$tmp/x/usr/lib/modules/$kver
	cp "$vmlinuz" "$kdir/vmlinuz"
	cp "$tmp"/x/boot/config-* "$kdir/config" 2>/dev/null || true
	echo "$kver" >"$kdir/version"
	if extract_vmlinux "$kdir/vmlinuz" "$kdir/vmlinux"; then
		log "extracted vmlinux for PVH boot"
	else
		log "could not extract vmlinux, will boot the bzImage"
	fi

	# index every module: name -> path
	declare -A modpath
	local f n
	while IFS= read -r f; do
		modpath[$(modname "$f")]=$f
	done < <(find "$mroot/kernel" -name '*.ko*')
	# depth-first dependency resolution -> load order
	mkdir -p "$kdir/modules"
	: >"$kdir/modules/order"
	declare -A done_
	add_mod() {
		local m=$1 src dst deps d
		[ -n "${done_[$m]:-}" ] && return 0
		done_[$m]=1
		src=${modpath[$m]:-}
		if [ -z "$src" ]; then
			grep -q "/${m//_/[-_]}.ko\$" "$mroot/modules.builtin" 2>/dev/null ||
				log "warning: module $m not found (not built-in either)"
			return 0
		fi
		dst=$kdir/modules/$m.ko
		case $src in
		*.ko.xz) xz -dc "$src" >"$dst" ;;
		*.ko.zst) zstd -dcq "$src" >"$dst" ;;
		*.ko.gz) gzip -dc "$src" >"$dst" ;;
		*) cp "$src" "$dst" ;;
		esac
		deps=$(LC_ALL=C grep -a -o 'depends=[^[:cntrl:]]*' "$dst" | head -1 | cut -d= -f2)
		for d in ${deps//,/ }; do add_mod "${d//-/_}"; done
		echo "$m" >>"$kdir/modules/order"
	}
	for n in $WANT_MODULES; do add_mod "${n//-/_}"; done
	rm -rf "$tmp"
	touch "$kdir/.complete"
}

# Debian does not set CONFIG_VFIO_NOIOMMU, so vfio.ko has no
# enable_unsafe_noiommu_mode.  For --no-iommu, rebuild just vfio.ko with it
# from the matching linux-source-X.Y package against linux-headers-<kver>
# (only vfio.ko changes; the other vfio modules stay the stock ones).
build_noiommu_vfio() {
	NOIOMMU_KO=$KDIR/noiommu/vfio.ko
	grep -q '^CONFIG_VFIO_NOIOMMU=y' "$KDIR/config" 2>/dev/null && { NOIOMMU_KO=; return 0; }
	[ -f "$NOIOMMU_KO" ] && return 0
	local kver ver mm tmp srcpkg
	kver=$(cat "$KDIR/version")
	ver=$(cat "$KDIR/pkg-version" 2>/dev/null)
	mm=$(echo "$kver" | cut -d. -f1,2)
	srcpkg=linux-source-$mm
	log "building vfio.ko with CONFIG_VFIO_NOIOMMU from $srcpkg for $kver"
	need_pkgs "linux-headers-$kver" make gcc
	tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
	(cd "$tmp" && { apt-get download -q "$srcpkg${ver:+=$ver}" || apt-get download -q "$srcpkg"; } 2>&1 |
		grep -v unsandboxed >&2) || { rm -rf "$tmp"; die "apt-get download $srcpkg failed"; }
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-*.deb | tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.*' &&
		tar -x -C "$tmp" -f "$tmp"/usr/src/linux-source-*.tar.* --wildcards '*/drivers/vfio/*' ||
		{ rm -rf "$tmp"; die "cannot extract drivers/vfio from $srcpkg"; }
	local d
	d=$(ls -d "$tmp"/linux-source-*/drivers/vfio)
	mv "$d/Makefile" "$d/Makefile.orig"
	# the original Makefile gives vfio-y (+ vfio-$(CONFIG_...)); build only vfio.ko
	printf '%s\n' 'include $(src)/Makefile.orig' 'obj-m := vfio.o' \
		'ccflags-y += -DCONFIG_VFIO_NOIOMMU=1' >"$d/Kbuild"
	make -s -C "/usr/src/linux-headers-$kver" M="$d" CONFIG_VFIO_NOIOMMU=y modules >&2 ||
		{ rm -rf "$tmp"; die "building vfio.ko failed"; }
	mkdir -p "$KDIR/noiommu"
	strip --strip-debug -o "$NOIOMMU_KO" "$d/vfio.ko" 2>/dev/null || cp "$d/vfio.ko" "$NOIOMMU_KO"
	rm -rf "$tmp"
}

build_base_initramfs() {
	BASE=$KDIR/base.cpio
	# rebuilt when the init script, busybox or the module set changes
	local id
	id=$({ write_init; ls -lL /bin/busybox; cat "$KDIR/modules/order"; find / -maxdepth 1 -type l -printf "%p %l\n"; } | sha256sum | cut -c1-16)
	[ -f "$BASE" ] && [ "$(cat "$BASE.id" 2>/dev/null)" = "$id" ] && return 0
	log "building base initramfs $BASE"
	local r e a bindir
	r=$(mktemp -d "$CACHE/tmp.XXXXXX")
	# mirror the host's top-level symlinks (merged /usr: bin -> usr/bin,
	# lib -> usr/lib, lib64 -> usr/lib64 ...) so that binaries and
	# libraries copied at their host paths resolve the same way in the guest
	for e in /*; do
		[ -L "$e" ] || continue
		cp -P "$e" "$r/"
		a=$(readlink "$e")
		case $a in /*) mkdir -p "$r$a" ;; *) mkdir -p "$r/$a" ;; esac
	done
	for e in bin sbin usr/bin usr/sbin dev proc sys tmp run mnt etc root var lib/modules/ealvm; do
		mkdir -p "$r/$e"
	done
	bindir=$(cd "$r/bin" && pwd -P)
	cp /bin/busybox "$bindir/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$r/bin/$a" ] || [ -e "$r/sbin/$a" ] || [ -e "$r/usr/bin/$a" ] || ln -s busybox "$bindir/$a"
	done
	ln -s /run "$r/var/run"
	mknod -m 600 "$r/dev/console" c 5 1 2>/dev/null || true
	mknod -m 666 "$r/dev/null" c 1 3 2>/dev/null || true
	cp "$KDIR"/modules/*.ko "$KDIR/modules/order" "$r/lib/modules/ealvm/"
	write_init >"$r/init"
	chmod 755 "$r/init"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'root:x:0:' >"$r/etc/group"
	(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$BASE.tmp" &&
		mv "$BASE.tmp" "$BASE" && echo "$id" >"$BASE.id"
	rm -rf "$r"
	[ -f "$BASE" ] || die "building the base initramfs failed"
}

write_init() {
	cat <<'INIT'
#!/bin/sh
# /init of the run-in-vm.sh guest (busybox)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /dev/hugepages
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# / is the initramfs (tmpfs, writable): /tmp and /run stay on it, so payload
# files copied to e.g. /tmp/... are not hidden by a new mount
chmod 1777 /tmp
stty -onlcr 2>/dev/null   # no \r\n mangling of the payload's output
. /etc/ealvm.conf
say() { [ "$EALVM_VERBOSE" = 1 ] && echo "ealvm [$(cut -d' ' -f1 /proc/uptime)]: $*"; }
warn() { echo "ealvm: $*"; }

# hugepages, per NUMA node
for n in /sys/devices/system/node/node[0-9]*; do
	f=$n/hugepages/hugepages-2048kB/nr_hugepages
	echo "$EALVM_HUGEPAGES" >"$f" || warn "cannot set $f"
	say "${n##*/}: $(cat $f) x 2MiB hugepages"
done
mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages || warn "hugetlbfs mount failed"
say "hugetlbfs mounted"

# modules, dependencies first
for m in $(cat /lib/modules/ealvm/order); do
	p=
	[ "$m" = vfio ] && [ "$EALVM_NOIOMMU" = 1 ] && p=enable_unsafe_noiommu_mode=1
	insmod /lib/modules/ealvm/$m.ko $p || warn "insmod $m $p failed"
done
say "modules loaded"

# find the test devices by vendor:device (in --devices order), export
# EALVM_<NAME>_BDF and EALVM_VFIO_DEVICES, bind them to vfio-pci
BDFS=
set -- $EALVM_VFIO_NAMES
for id in $EALVM_VFIO_IDS; do
	name=$1
	shift
	found=
	for d in /sys/bus/pci/devices/*; do
		b=${d##*/}
		case " $BDFS " in *" $b "*) continue ;; esac
		[ "$(cat $d/vendor):$(cat $d/device)" = "0x${id%:*}:0x${id#*:}" ] && { found=$b; break; }
	done
	[ -n "$found" ] || { warn "no PCI device $id ($name)"; continue; }
	BDFS="$BDFS $found"
	export EALVM_${name}_BDF=$found
done
export EALVM_VFIO_DEVICES="${BDFS# }"
for bdf in $EALVM_VFIO_DEVICES; do
	d=/sys/bus/pci/devices/$bdf
	[ -e $d ] || { warn "$bdf: no such PCI device"; continue; }
	[ -e $d/driver ] && echo $bdf >$d/driver/unbind
	echo vfio-pci >$d/driver_override
	echo $bdf >/sys/bus/pci/drivers_probe
	if [ -e $d/driver ]; then
		say "$bdf ($(cat $d/vendor):$(cat $d/device)) -> $(basename $(readlink $d/driver)), iommu_group $(basename $(readlink $d/iommu_group) 2>/dev/null), numa_node $(cat $d/numa_node)"
	else
		warn "$bdf: binding to vfio-pci failed"
	fi
done
[ "$EALVM_VERBOSE" = 1 ] && ls -l /dev/vfio

ulimit -l unlimited 2>/dev/null
mkdir -p "$EALVM_CWD" 2>/dev/null
cd "$EALVM_CWD" 2>/dev/null || cd /
echo "ealvm: guest ready after $(cut -d' ' -f1 /proc/uptime)s, running: $EALVM_CMD_STR"
sh /etc/ealvm.cmd
rc=$?
echo "ealvm: guest uptime $(cut -d' ' -f1 /proc/uptime)s"
echo "EALVM-EXIT-CODE: $rc"
echo "$rc" >/dev/ttyS1 2>/dev/null
sync
poweroff -f
INIT
}

# single-quote for a POSIX shell
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# copy PATH into the payload tree ROOT at the same absolute path, reproducing
# the symlinks met on the way (directory symlinks as links only, a final
# symlink together with what it points to).  Top-level symlinks (merged /usr)
# are already in the base image.
copy_path() {
	local path=$1 root=$2 cur="" comp rest t depth=0
	case $path in /*) ;; *) path=$PWD/$path ;; esac
	[ -e "$path" ] || { log "no such file: $path"; return 1; }
	rest=${path#/}
	while [ -n "$rest" ]; do
		case $rest in
		*/*) comp=${rest%%/*}; rest=${rest#*/} ;;
		*) comp=$rest; rest="" ;;
		esac
		case $comp in
		'' | .) continue ;;
		..) cur=${cur%/*}; continue ;;
		esac
		cur=$cur/$comp
		depth=$((depth + 1))
		if [ -L "$cur" ]; then
			if [ $depth -gt 1 ] && [ ! -L "$root$cur" ] && [ ! -e "$root$cur" ]; then
				mkdir -p "$root${cur%/*}" && cp -P "$cur" "$root$cur" || return 1
			fi
			t=$(readlink "$cur")
			case $t in /*) ;; *) t=${cur%/*}/$t ;; esac
			if [ -n "$rest" ]; then # directory symlink: walk on inside its target
				rest=${t#/}/$rest
				cur=""
				depth=0
			else
				copy_path "$t" "$root"
				return
			fi
		elif [ -z "$rest" ]; then
			[ -e "$root$cur" ] && return 0
			mkdir -p "$root${cur%/*}" && cp -a "$cur" "$root$cur" || return 1
		fi
	done
}

# an executable or shared object plus everything `ldd` says it needs
copy_bin() {
	local bin=$1 root=$2 lib missing
	copy_path "$bin" "$root" || return 1
	missing=$(ldd "$bin" 2>/dev/null | awk '/=> not found/ {print $1}')
	[ -z "$missing" ] || { log "$bin: libraries not found on the host: $missing"; return 1; }
	while read -r lib; do
		[ -n "$lib" ] && [ -e "$lib" ] && copy_path "$lib" "$root"
	done < <(ldd "$bin" 2>/dev/null | awk '/=> \// {print $3} /^[[:space:]]*\/[^ ]+ \(/ {print $1}')
	# once per payload: libraries found through /etc/ld.so.conf.d paths need
	# the cache, and glibc dlopen()s libgcc_s.so.1 for pthread_cancel() and
	# thread exit unwinding ("libgcc_s.so.1 must be installed for
	# pthread_cancel to work" + abort otherwise)
	if [ ! -e "$root/etc/ld.so.cache" ] && [ -f /etc/ld.so.cache ]; then
		mkdir -p "$root/etc" && cp /etc/ld.so.cache "$root/etc/"
		lib=$(/sbin/ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64/ {print $NF; exit}')
		[ -n "$lib" ] && [ -e "$lib" ] && copy_path "$lib" "$root"
	fi
	return 0
}

pick_accel() {
	case $ACCEL in
	kvm|tcg) echo "$ACCEL"; return ;;
	esac
	# KVM only helps with real VT-x/AMD-V.  /dev/kvm can also be PVM
	# (kvm_pvm, no vmx/svm in cpuinfo) which cannot run a stock kernel.
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo &&
		[ ! -d /sys/module/kvm_pvm ]; then
		echo kvm
	else
		echo tcg
	fi
}

# ------------------------------------------------------------------ main ---
[ "$(uname -m)" = x86_64 ] || die "x86_64 host needed"
need_pkgs qemu-system-x86 busybox-static cpio xz-utils
mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock 9
setup_kernel
build_base_initramfs
NOIOMMU_KO=
if [ $NOIOMMU = 1 ]; then
	build_noiommu_vfio
	# an explicit --module vfio.ko wins
	for m in "${MODS[@]+"${MODS[@]}"}"; do [ "$(modname "$m")" = vfio ] && NOIOMMU_KO=; done
	[ -n "$NOIOMMU_KO" ] && MODS=("$NOIOMMU_KO" "${MODS[@]+"${MODS[@]}"}")
fi
flock -u 9
if [ $SETUP_ONLY = 1 ]; then
	log "cache ready: $KDIR ($(du -sh "$KDIR" | cut -f1))"
	exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ealvm.XXXXXX")
QPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT
trap 'log terminated; exit 143' TERM

# payload: files, binaries + libraries, config, command
P=$WORK/payload
mkdir -p "$P/etc"
for b in "${BINS[@]+"${BINS[@]}"}"; do copy_bin "$b" "$P" || die "cannot copy $b"; done
for f in "${FILES[@]+"${FILES[@]}"}"; do copy_path "$f" "$P" || die "cannot copy $f"; done
# a command given as a path to a host executable is copied automatically
case $1 in
*/*) [ -f "$1" ] && [ -x "$1" ] && { copy_bin "$1" "$P" || die "cannot copy $1"; } ;;
esac
# each shared object in the payload also gets its own closure: a library that
# one binary found through its RUNPATH may be dlopen()ed by another one that
# looks it up by soname in the default paths (e.g. DPDK PMD plugins)
if [ ${#BINS[@]} -gt 0 ] || [ -n "$(find "$P" -name '*.so*' -print -quit)" ]; then
	while IFS= read -r f; do
		copy_bin "${f#"$P"}" "$P" || die "cannot copy the libraries of ${f#"$P"}"
	done < <(find "$P" -name '*.so*' -type f)
fi

# replacement / extra guest modules: the payload archive is unpacked after
# the base one, so its /lib/modules/ealvm files win
# (at the canonical path: a payload directory "lib" would replace the base's
# "lib -> usr/lib" symlink when the kernel unpacks the archive)
if [ ${#MODS[@]} -gt 0 ]; then
	md=$P$(readlink -f /lib)/modules/ealvm
	mkdir -p "$md"
	cp "$KDIR/modules/order" "$md/order"
	for m in "${MODS[@]}"; do
		n=$(modname "$m")
		case $m in
		*.xz) xz -dc "$m" ;; *.zst) zstd -dcq "$m" ;; *.gz) gzip -dc "$m" ;; *) cat "$m" ;;
		esac >"$md/$n.ko" || die "cannot copy module $m"
		grep -qx "$n" "$md/order" || echo "$n" >>"$md/order"
	done
fi

# guest PCI devices: on the root bus (slots 0x10..), or with --device-node N
# each behind its own root port of a PCIe expander bridge (pxb-pcie) that
# belongs to NUMA node N, so that sysfs numa_node of the device is N.  The
# guest finds them by vendor:device id.
QDEV=()
IDS=""
NAMES=""
i=0
if [ -n "$DEVNODE" ]; then
	[ "$DEVNODE" -lt "$NODES" ] 2>/dev/null || { echo "run-in-vm: --device-node $DEVNODE: no such node" >&2; exit 2; }
	QDEV+=(-device "pxb-pcie,id=pxb0,bus_nr=128,numa_node=$DEVNODE,bus=pcie.0,addr=0x8")
fi
for d in ${DEVICES//,/ }; do
	[ "$d" = none ] && continue
	if [ -n "$DEVNODE" ]; then
		QDEV+=(-device "pcie-root-port,id=rp$i,bus=pxb0,chassis=$((i + 1)),addr=$(printf %x $i).0")
		at="bus=rp$i,addr=0"
	else
		at="addr=$(printf %x $((16 + i)))"
	fi
	case $d in
	edu) QDEV+=(-device "edu,$at,dma_mask=0xffffffffffff"); id=1234:11e8 ;; # default mask: 28 bits
	e1000e) QDEV+=(-device "e1000e,$at,romfile=,netdev=n$i" -netdev "user,id=n$i,restrict=on"); id=8086:10d3 ;;
	virtio-net) QDEV+=(-device "virtio-net-pci,$at,romfile=,disable-legacy=on,iommu_platform=on,netdev=n$i" -netdev "user,id=n$i,restrict=on"); id=1af4:1041 ;;
	*) echo "run-in-vm: unknown device $d" >&2; exit 2 ;;
	esac
	IDS="$IDS $id"
	NAMES="$NAMES $(echo "$d" | tr 'a-z-' 'A-Z_')"
	i=$((i + 1))
done

{
	echo "EALVM_HUGEPAGES=$HUGEPAGES"
	echo "EALVM_NOIOMMU=$NOIOMMU"
	echo "EALVM_VERBOSE=$VERBOSE"
	echo "EALVM_VFIO_IDS=$(sq "${IDS# }")"
	echo "EALVM_VFIO_NAMES=$(sq "${NAMES# }")"
	echo "EALVM_CWD=$(sq "${CHDIR:-$PWD}")"
	echo "EALVM_CMD_STR=$(sq "$*")"
	echo "export EALVM_NODES=$NODES EALVM_HUGEPAGES"
	# variables meson test sets, passed through when present
	for e in ${EALVM_PASS_ENV-LD_LIBRARY_PATH MALLOC_PERTURB_ ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MESON_TEST_ITERATION}; do
		[ -n "${!e+x}" ] && echo "export $e=$(sq "${!e}")"
	done
	for e in "${ENVS[@]+"${ENVS[@]}"}"; do
		case $e in
		*=*) echo "export ${e%%=*}=$(sq "${e#*=}")" ;;
		*) [ -n "${!e+x}" ] && echo "export $e=$(sq "${!e}")" ;;
		esac
	done
} >"$P/etc/ealvm.conf"
{
	printf 'exec'
	for a in "$@"; do printf ' %s' "$(sq "$a")"; done
	printf '\n'
} >"$P/etc/ealvm.cmd"

(cd "$P" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$WORK/payload.cpio" ||
	die "building the payload initramfs failed"
cat "$BASE" "$WORK/payload.cpio" >"$WORK/initrd.cpio"

# ------------------------------------------------------------------ qemu ---
A=$(pick_accel)
KERNEL=$KDIR/vmlinux
[ -f "$KERNEL" ] || KERNEL=$KDIR/vmlinuz
# init_on_alloc=0: Debian enables zero-on-alloc, which costs ~0.7 s per node
# for the hugepage reservation under TCG (userspace still gets zeroed pages)
CMDLINE="console=ttyS0 panic=-1 rdinit=/init mitigations=off tsc=reliable init_on_alloc=0 audit=0"
[ $NOIOMMU = 0 ] && CMDLINE="$CMDLINE ${EALVM_IOMMU_CMDLINE-intel_iommu=on iommu=pt}"
[ $VERBOSE = 0 ] && CMDLINE="$CMDLINE quiet loglevel=1"
CMDLINE="$CMDLINE $APPEND"

Q=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot)
# kernel-irqchip=split is needed by intremap=on under KVM, harmless under TCG.
# "-accel kvm -accel tcg": QEMU falls back to TCG by itself when KVM cannot
# be initialised; -cpu max is valid for both.
case $A in
kvm) Q+=(-accel kvm -accel tcg,thread=multi -cpu max) ;;
*) Q+=(-accel tcg,thread=multi -cpu max) ;;
esac
Q+=(-machine q35,kernel-irqchip=split -smp "$NODES" -m "$((MEM * NODES))M")
for ((n = 0; n < NODES; n++)); do
	Q+=(-object "memory-backend-ram,id=ram$n,size=${MEM}M" -numa "node,nodeid=$n,cpus=$n,memdev=ram$n")
done
# the IOMMU must come before the devices it translates for
[ $NOIOMMU = 0 ] && Q+=(-device "${EALVM_VIOMMU:-intel-iommu,intremap=on,caching-mode=on}")
Q+=("${QDEV[@]+"${QDEV[@]}"}")
Q+=(-kernel "$KERNEL" -initrd "$WORK/initrd.cpio" -append "$CMDLINE")
Q+=(-serial stdio -serial "file:$WORK/rc" -monitor none)
[ $VERBOSE = 1 ] && log "${Q[*]}"

T0=$(date +%s.%N)
# in the background + wait, so that the INT/TERM traps run at once and take
# qemu down with them (timeout passes the signal on to qemu); --foreground
# keeps qemu in our process group, so a killpg by the test runner reaches it
timeout --foreground -k 5 "$TIMEOUT" "${Q[@]}" </dev/null &
QPID=$!
wait $QPID
QRC=$?
QPID=
T1=$(date +%s.%N)
ELAPSED=$(awk "BEGIN {printf \"%.1f\", $T1 - $T0}")
RC=$(tr -dc '0-9' <"$WORK/rc" 2>/dev/null || true)
if [ -n "$RC" ]; then
	log "exit code $RC (accel=$A, vm wall time ${ELAPSED}s)"
	exit "$RC"
elif [ $QRC = 124 ] || [ $QRC = 137 ]; then
	log "timeout after ${TIMEOUT}s (accel=$A)"
	exit 124
else
	log "the VM ended (qemu rc $QRC, accel=$A) without reporting an exit code"
	exit 125
fi
