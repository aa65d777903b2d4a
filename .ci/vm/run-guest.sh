#!/usr/bin/env bash
# Vendored from the team's shared tools so that CI on a clean clone has it; see .ci/vm/README.md. Only
# .ci/real-kernel.sh calls it, always with a guest script. Base: shared/tools/vm/run-guest.sh (2026-11-25), with the
# changes of shared/tools/vm-next/ (2026-12-04) for Debian 6.12 and a v1-only guest:
#   * kernels whose modules are compressed (.ko.xz / .ko.zst, Debian 6.12) and whose bzImage payload is
#     zstd (Debian 6.12) as well as xz (Debian 6.1); modules are decompressed on the host;
#   * VM_KERNEL_DEB=/path/to/linux-image-*.deb boots a .deb you already have (no apt-get download);
#   * a per-run initramfs (under $VM_CACHE/run.*), so two runs with one cache do not clobber each other;
#   * VM_CGROUP=v2 (default: cgroup2 at /sys/fs/cgroup, +memory +cpu +io +pids) or v1 (legacy: a tmpfs at
#     /sys/fs/cgroup with the v1 memory controller at /sys/fs/cgroup/memory, and no cgroup2 mount at all;
#     needs CONFIG_MEMCG_V1 on 6.11+, which Debian 6.12 does NOT have, so v1 works with 6.1 only).
# run-guest.sh - boot a real Debian kernel (6.1 or 6.12+) under qemu (KVM, else TCG) and run one script inside it.
#
# The guest sees the host's whole root filesystem read-only (9p, cache=loose) under a tmpfs overlay,
# so the host's bash, coreutils and JDK work unchanged; cgroup2 is mounted at /sys/fs/cgroup with
# +memory +cpu +io +pids in the root's cgroup.subtree_control; an empty ext4 scratch disk is at
# /scratch (real block-backed page cache); VM_RW_DIR (default: $PWD) is shared read-write at its own
# path so the script can write results back. Nothing on the host's /boot, /lib/modules or cgroups
# is touched: the kernel .deb is only unpacked under $VM_CACHE.
#
# Usage: run-guest.sh [GUEST_SCRIPT [ARGS...]]
#   default GUEST_SCRIPT: examples/cgroup-dying-test.sh beside this file (then VM_RW_DIR defaults to
#   this folder, so its captures land in captures/ here). The script runs under bash as root in
#   the guest, cwd = the host cwd; its exit status becomes this script's exit status
#   (2 = setup error here, 3 = guest never reported a status, e.g. timeout).
# Env: VM_CACHE=/var/tmp/cgroup-vm  VM_ACCEL=auto|kvm|tcg  VM_MEM=2G  VM_SMP=2  VM_TIMEOUT=300 (s)
#      VM_RW_DIR=$PWD  VM_SCRATCH_MB=256  VM_KERNEL_PKG=(what linux-image-amd64 depends on)
#      VM_CLEAN=1 (wipe the cache first)  VM_CMDLINE_EXTRA=''  VM_DEBUG=1 (timestamps of init steps)
#      VM_KVM_BOOT_WAIT=30 (s before a KVM guest that has not reached init is dropped for TCG)
#      VM_KVM_CPU=host (qemu -cpu under KVM)
set -euo pipefail

T0=$(date +%s.%N)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VM_CACHE:-/var/tmp/cgroup-vm}
MEM=${VM_MEM:-2G}
SMP=${VM_SMP:-2}
TIMEOUT=${VM_TIMEOUT:-300}
SCRATCH_MB=${VM_SCRATCH_MB:-256}
ACCEL=${VM_ACCEL:-auto}
KVM_BOOT_WAIT=${VM_KVM_BOOT_WAIT:-30}
# modules the guest needs (their deps are added from each .ko's depends=); the rest is built in
WANT_MODULES="virtio_pci 9pnet_virtio 9p overlay virtio_blk crc32c_generic crc32c-intel ext4"
CGMODE=${VM_CGROUP:-v2}
case $CGMODE in v1|v2) ;; *) echo "VM_CGROUP must be v1 or v2" >&2; exit 2 ;; esac

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
log() { printf '[run-guest %5ss] %s\n' "$(sub "$(date +%s.%N)" "$T0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

DEMO=0
if [ $# -ge 1 ]; then
    SCRIPT=$(realpath "$1"); shift
    RW_DIR=${VM_RW_DIR:-$PWD}
else
    DEMO=1
    SCRIPT=$HERE/examples/cgroup-dying-test.sh
    RW_DIR=${VM_RW_DIR:-$HERE}
fi
[ -f "$SCRIPT" ] || die "no such guest script: $SCRIPT"
RW_DIR=$(realpath "$RW_DIR")
[ "$RW_DIR" != / ] || die "refusing to share / read-write; cd elsewhere or set VM_RW_DIR"
[ "$(id -u)" = 0 ] || die "must run as root (apt-get, 9p passthrough)"

# ---------------------------------------------------------------- 1. host packages
need_pkgs=()
command -v qemu-system-x86_64 >/dev/null || need_pkgs+=(qemu-system-x86)
command -v mkfs.ext4 >/dev/null || need_pkgs+=(e2fsprogs)
command -v xz >/dev/null || need_pkgs+=(xz-utils)
if [ ${#need_pkgs[@]} -gt 0 ]; then
    log "apt-get install ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null; }
fi

[ "${VM_CLEAN:-0}" = 1 ] && rm -rf "$CACHE"
mkdir -p "$CACHE"

# static busybox for the initramfs: unpacked from busybox-static's .deb, not installed (it would
# replace a host's dynamic busybox package)
BUSYBOX=$CACHE/busybox/bin/busybox
if [ ! -x "$BUSYBOX" ]; then
    rm -rf "$CACHE/bb"; mkdir -p "$CACHE/bb"
    (cd "$CACHE/bb" && apt-get download -q busybox-static >/dev/null 2>&1) \
        || { apt-get update -q >/dev/null; (cd "$CACHE/bb" && apt-get download -q busybox-static >/dev/null); }
    dpkg-deb -x "$CACHE"/bb/busybox-static_*.deb "$CACHE/bb/x"
    mkdir -p "$CACHE/busybox/bin" && cp "$CACHE/bb/x/bin/busybox" "$BUSYBOX"
    rm -rf "$CACHE/bb"
fi

# ---------------------------------------------------------------- 2. kernel (never installed on the host)
kpkg() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*\)$/\1/p' | head -1; }
if [ -n "${VM_KERNEL_DEB:-}" ]; then
    VM_KERNEL_DEB=$(realpath "$VM_KERNEL_DEB"); [ -f "$VM_KERNEL_DEB" ] || die "no such .deb: $VM_KERNEL_DEB"
    VM_KERNEL_PKG=$(basename "$VM_KERNEL_DEB" .deb)
fi
if [ -z "${VM_KERNEL_PKG:-}" ]; then
    VM_KERNEL_PKG=$(kpkg)
    [ -n "$VM_KERNEL_PKG" ] || { apt-get update -q >/dev/null; VM_KERNEL_PKG=$(kpkg); }
    [ -n "$VM_KERNEL_PKG" ] || die "cannot resolve linux-image-amd64"
fi
KDIR=$CACHE/$VM_KERNEL_PKG
if [ ! -f "$KDIR/done" ]; then
    log "apt-get download $VM_KERNEL_PKG (unpacked under $KDIR only)"
    rm -rf "$KDIR" "$CACHE/tmp"; mkdir -p "$CACHE/tmp/x" "$KDIR/modules"
    if [ -n "${VM_KERNEL_DEB:-}" ]; then
        dpkg-deb -x "$VM_KERNEL_DEB" "$CACHE/tmp/x"
    else
        (cd "$CACHE/tmp" && apt-get download -q "$VM_KERNEL_PKG" >/dev/null 2>&1) \
            || { apt-get update -q >/dev/null; (cd "$CACHE/tmp" && apt-get download -q "$VM_KERNEL_PKG" >/dev/null); }
        dpkg-deb -x "$CACHE"/tmp/"$VM_KERNEL_PKG"_*.deb "$CACHE/tmp/x"
    fi
    KVER=$(ls "$CACHE/tmp/x/lib/modules")
    cp "$CACHE/tmp/x/boot/vmlinuz-$KVER" "$KDIR/vmlinuz"
    cp "$CACHE/tmp/x/boot/config-$KVER" "$KDIR/config"
    # The payload of the (xz) bzImage is an ELF vmlinux with a PVH entry note: qemu boots it directly,
    # which skips the decompressor (several seconds under TCG).
    # Debian 6.1 compresses it with xz, Debian 6.12 with zstd (CONFIG_KERNEL_ZSTD); try each magic offset
    # until one decompresses to an ELF (zstd/xz complain about the trailing bytes after the payload; ignored).
    is_elf() { [ -s "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }
    if grep -q '^CONFIG_PVH=y' "$KDIR/config"; then
        for off in $(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$KDIR/vmlinuz" | head -3 | cut -d: -f1); do
            tail -c +$((off + 1)) "$KDIR/vmlinuz" | xz -dcq > "$KDIR/vmlinux" 2>/dev/null || true
            is_elf "$KDIR/vmlinux" && break
        done
        if ! is_elf "$KDIR/vmlinux" && command -v zstd >/dev/null; then
            for off in $(LC_ALL=C grep -obUaP '\x28\xB5\x2F\xFD' "$KDIR/vmlinuz" | head -3 | cut -d: -f1); do
                tail -c +$((off + 1)) "$KDIR/vmlinuz" | zstd -dcq > "$KDIR/vmlinux" 2>/dev/null || true
                is_elf "$KDIR/vmlinux" && break
            done
        fi
        is_elf "$KDIR/vmlinux" || rm -f "$KDIR/vmlinux"
    fi
    # wanted modules + their dependencies (the depends= field of each .ko's .modinfo), in load order
    MODROOT=$CACHE/tmp/x/lib/modules/$KVER/kernel
    declare -A PATHOF=() SEEN=()
    ORDER=()
    # plain .ko (Debian 6.1) or compressed .ko.xz/.ko.zst (Debian 6.12, CONFIG_MODULE_COMPRESS_ALL): only the
    # modules needed are decompressed (on the host), so busybox insmod and the depends= scan see plain ELF.
    while read -r f; do
        n=${f##*/}; n=${n%.xz}; n=${n%.zst}; n=${n%.gz}; n=${n%.ko}; PATHOF[${n//-/_}]=$f
    done < <(find "$MODROOT" \( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' \))
    plain() { # $1 = module file, possibly compressed; prints the path of a plain .ko
        case $1 in
            *.ko.xz) xz -dkqf "$1"; echo "${1%.xz}" ;;
            *.ko.zst) zstd -dkqf "$1"; echo "${1%.zst}" ;;
            *.ko.gz) gzip -dkqf "$1"; echo "${1%.gz}" ;;
            *) echo "$1" ;;
        esac
    }
    resolve() {
        local n=${1//-/_} f d
        [ -n "${SEEN[$n]:-}" ] && return 0
        SEEN[$n]=1
        f=${PATHOF[$n]:-}
        [ -n "$f" ] || { log "module $1 not found (built in?)"; return 0; }
        f=$(plain "$f")
        for d in $(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do resolve "$d"; done
        ORDER+=("$f")
    }
    for name in $WANT_MODULES; do resolve "$name"; done
    for f in "${ORDER[@]}"; do
        cp "$f" "$KDIR/modules/"
        basename "$f" >> "$KDIR/modules/load-order"
    done
    echo "$KVER" > "$KDIR/kver"
    rm -rf "$CACHE/tmp"
    touch "$KDIR/done"
fi
KVER=$(cat "$KDIR/kver")
KIMAGE=$KDIR/vmlinuz
[ -f "$KDIR/vmlinux" ] && KIMAGE=$KDIR/vmlinux

# ---------------------------------------------------------------- 3. initramfs (busybox + init + modules)
RUN=$(mktemp -d "$CACHE/run.XXXXXX")
IR=$RUN/initramfs-root
rm -rf "$IR"; mkdir -p "$IR"/{bin,dev,proc,sys,vmctl,lower,rw,newroot,modules}
cp "$BUSYBOX" "$IR/bin/busybox"
cp "$KDIR"/modules/* "$IR/modules/"
mknod -m 600 "$IR/dev/console" c 5 1 2>/dev/null || true
cat > "$IR/init" <<'INIT'
#!/bin/busybox sh
# PID 1 in the guest: load modules, root = overlay(host / over 9p, tmpfs), mount cgroup2, run the job.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
say() { echo "[vm-init $(cut -d' ' -f1 /proc/uptime)s] $*"; }
VM_DEBUG=0; grep -q 'vm.debug=1' /proc/cmdline && VM_DEBUG=1
dbg() { [ "$VM_DEBUG" = 1 ] && say "$@"; return 0; }
halt_now() { sync; reboot -f; sleep 5; echo b > /proc/sysrq-trigger; }  # qemu has -no-reboot: a reset ends it
dbg "init started"
while read -r m; do insmod /modules/$m || say "insmod $m failed"; dbg "  insmod $m"; done < /modules/load-order
O9P=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o $O9P,cache=none vmctl /vmctl || { say "cannot mount vmctl"; halt_now; }
. /vmctl/vm.env
[ "$VM_ONLCR" = 0 ] && stty -onlcr 2>/dev/null
echo "$(cut -d' ' -f1 /proc/uptime)" > /vmctl/booted
mount -t 9p -o $O9P,cache=loose,ro hostroot /lower || { say "cannot mount host root"; halt_now; }
mount -t tmpfs -o mode=0755 rw /rw && mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot \
    || { say "overlay failed"; halt_now; }
dbg "root mounted"
R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
ln -sf /proc/self/fd $R/dev/fd; ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout; ln -sf /proc/self/fd/2 $R/dev/stderr
mount -t devpts devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
mount -t tmpfs tmpfs $R/tmp
mount -t tmpfs tmpfs $R/run
mkdir -p $R/run/vmctl && mount --bind /vmctl $R/run/vmctl
if [ "$VM_CGROUP" = v1 ]; then
    # legacy mode: only the v1 memory controller, mounted by hand (no cgroup2 anywhere)
    mount -t tmpfs -o mode=0755 cgroup $R/sys/fs/cgroup
    mkdir -p $R/sys/fs/cgroup/memory
    mount -t cgroup -o memory cgroup $R/sys/fs/cgroup/memory || say "cannot mount v1 memory (CONFIG_MEMCG_V1?)"
    echo 1 > $R/sys/fs/cgroup/memory/memory.use_hierarchy 2>/dev/null
else
    mount -t cgroup2 -o nsdelegate cgroup2 $R/sys/fs/cgroup
    for c in memory cpu io pids; do
        echo "+$c" > $R/sys/fs/cgroup/cgroup.subtree_control || say "cannot enable +$c"
    done
fi
mkdir -p "$R$VM_RW_DIR" && mount -t 9p -o $O9P,cache=mmap hostrw "$R$VM_RW_DIR" || say "cannot mount rw dir"
if [ -b /dev/vda ]; then mkdir -p $R/scratch && mount -t ext4 /dev/vda $R/scratch || say "cannot mount scratch"; fi
dbg "all mounted, starting job"
echo "$(cut -d' ' -f1 /proc/uptime)" > /vmctl/job-start
chroot $R /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root TERM=dumb LANG=C.UTF-8 VM_GUEST=1 VM_CGROUP="$VM_CGROUP" VM_SCRATCH=/scratch VM_RW_DIR="$VM_RW_DIR" \
    /bin/bash /run/vmctl/job.sh </dev/null
echo $? > /vmctl/status
echo "$(cut -d' ' -f1 /proc/uptime)" > /vmctl/job-end
umount $R/scratch 2>/dev/null
halt_now
INIT
chmod 755 "$IR/init"
(cd "$IR" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) > "$RUN/initramfs.cpio"
rm -rf "$IR"

# ---------------------------------------------------------------- 4. per-run control dir + scratch disk
if [ "$DEMO" = 1 ] && command -v javac >/dev/null; then
    # the demo's "project jar": built on the host (1 s here, 20 s under TCG), read by the guest over 9p
    rm -rf "$CACHE/probe"; mkdir -p "$CACHE/probe/classes"
    javac -d "$CACHE/probe/classes" "$HERE/examples/CgroupProbe.java"
    jar cfe "$CACHE/probe/probe.jar" CgroupProbe -C "$CACHE/probe/classes" .
    set -- "$CACHE/probe/probe.jar"
fi
QPID=
cleanup() { if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null || true; fi; rm -rf "$RUN"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$RUN/ctl"
{
    printf 'VM_RW_DIR=%q\n' "$RW_DIR"
    printf 'VM_CGROUP=%q\n' "$CGMODE"
    if [ -t 1 ]; then echo VM_ONLCR=1; else echo VM_ONLCR=0; fi
} > "$RUN/ctl/vm.env"
{
    printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
    printf 'exec /bin/bash'; printf ' %q' "$SCRIPT" "$@"; echo
} > "$RUN/ctl/job.sh"
truncate -s "${SCRATCH_MB}M" "$RUN/scratch.img"
mkfs.ext4 -q -F -L scratch "$RUN/scratch.img"

# ---------------------------------------------------------------- 5. boot
# Debian's kernel cannot run under KVM "PVM" (kvm_pvm: a paravirtual KVM for nested sandboxes that
# only runs PVM-enabled guest kernels): it crawls through instruction emulation. Use TCG there.
kvm_usable() {
    [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || { log "/dev/kvm missing or not accessible"; return 1; }
    if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_amd ] && [ ! -d /sys/module/kvm_intel ]; then
        log "/dev/kvm is kvm_pvm (PVM guests only), not usable for a stock kernel"; return 1
    fi
}
CMDLINE="console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init pci=noacpi cryptomgr.notests=1 mitigations=off"
[ "${VM_DEBUG:-0}" = 1 ] && CMDLINE="$CMDLINE vm.debug=1"
start_qemu() { # $1 = kvm|tcg ; runs qemu in the background, sets QPID
    local a=(-accel kvm -cpu "${VM_KVM_CPU:-host}") cl="$CMDLINE"
    if [ "$1" = tcg ]; then a=(-accel tcg,thread=multi -cpu max); cl="$cl clocksource=tsc tsc=reliable"; fi
    local bios=()
    [ -f /usr/share/qemu/qboot.rom ] && bios=(-bios /usr/share/qemu/qboot.rom)
    timeout -k 5 "$TIMEOUT" qemu-system-x86_64 "${a[@]}" "${bios[@]}" -m "$MEM" -smp "$SMP" \
        -nodefaults -no-user-config -nographic -no-reboot -serial stdio -monitor none \
        -kernel "$KIMAGE" -initrd "$RUN/initramfs.cpio" -append "$cl ${VM_CMDLINE_EXTRA:-}" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap \
        -virtfs local,path="$RW_DIR",mount_tag=hostrw,security_model=passthrough,multidevs=remap \
        -virtfs local,path="$RUN/ctl",mount_tag=vmctl,security_model=passthrough \
        -drive file="$RUN/scratch.img",if=virtio,format=raw,cache=unsafe \
        </dev/null &
    QPID=$!
}
case $ACCEL in
    auto) if kvm_usable; then ACCEL=kvm; else ACCEL=tcg; fi ;;
    kvm|tcg) ;;
    *) die "VM_ACCEL must be auto, kvm or tcg" ;;
esac
log "kernel $KVER ($(basename "$KIMAGE")), cgroup=$CGMODE, accel=$ACCEL, script=$SCRIPT, rw=$RW_DIR"
TQ=$(date +%s.%N)
start_qemu "$ACCEL"
if [ "$ACCEL" = kvm ]; then   # watchdog: fall back to TCG when KVM does not reach init
    for _ in $(seq $((KVM_BOOT_WAIT * 10))); do
        [ -f "$RUN/ctl/booted" ] && break
        kill -0 "$QPID" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -f "$RUN/ctl/booted" ]; then
        kill "$QPID" 2>/dev/null || true; wait "$QPID" 2>/dev/null || true
        log "KVM guest did not reach init (qemu failed, or nothing after ${KVM_BOOT_WAIT}s): retrying with TCG"
        ACCEL=tcg; TQ=$(date +%s.%N)
        start_qemu tcg
    fi
fi
set +e; wait "$QPID"; QRC=$?; set -e
QPID=
TE=$(date +%s.%N)
if [ ! -f "$RUN/ctl/status" ]; then
    log "guest did not report an exit status (qemu rc=$QRC; VM_TIMEOUT=${TIMEOUT}s)"
    exit 3
fi
RC=$(cat "$RUN/ctl/status")
log "done: accel=$ACCEL kernel=$KVER guest-uptime-at-job-start=$(cat "$RUN/ctl/job-start")s" \
    "job=$(sub "$(cat "$RUN/ctl/job-end")" "$(cat "$RUN/ctl/job-start")")s" \
    "qemu-wall=$(sub "$TE" "$TQ")s total=$(sub "$TE" "$T0")s exit=$RC"
exit "$RC"
