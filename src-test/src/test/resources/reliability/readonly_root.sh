#!/bin/sh
# Runs a command under strace with the whole host bind-mounted read-only, in a private mount namespace (run it
# with `unshare -m --propagation private`; nothing here is visible to or changes the host's mounts).
# usage: readonly_root.sh TRACE_FILE COMMAND...   The command finds the read-only root in $CGWATCH_RO_ROOT.
set -eu
trace=$1; shift
ro=$(mktemp -d "${TMPDIR:-/tmp}/cgwatch-ro.XXXXXX")
mount --rbind / "$ro"
# Each mount's read-only flag is its own: remount every one under the bind (proc, sysfs, each cgroup mount...).
awk -v d="$ro" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | while read -r m; do
  mount -o remount,bind,ro "$m" 2>/dev/null || true
done
export CGWATCH_RO_ROOT="$ro"
exec strace -f -qq -o "$trace" -e trace=open,openat,openat2,creat,mkdir,mkdirat,unlink,unlinkat,rmdir,rename,renameat,renameat2,truncate,ftruncate,link,linkat,symlink,symlinkat,mknod,mknodat "$@"
