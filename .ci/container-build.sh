#!/usr/bin/env bash
# Builds deploy/container/Containerfile with Debian's buildah, unmodified, on a machine that cannot pull from a
# registry: a local base image stands in for docker.io/library/eclipse-temurin:17-jre (this machine's Java 17
# runtime, bash, dash and coreutils with their libraries, copied into an image made from scratch), then the real
# build runs with --pull=never. Everything lives in a private storage under $1 (default: a temp dir, removed);
# RUN steps use chroot isolation, so no OCI runtime and no cgroup is created. Prints the built image's config.
# Needs: buildah, root, `mvn -B package` done (the Containerfile copies the jar and the launcher).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-}
if [[ -z $work ]]; then
  work=$(mktemp -d /var/tmp/cgwatch-container-build.XXXXXX)
  trap 'buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs rm --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
fi
b=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)
base=$(grep -m1 '^FROM ' deploy/container/Containerfile | awk '{print $2}')

# The base: a Java 17 runtime (no jmods, no headers), bash and sh, mkdir and ln for the RUN step, and what they link.
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
rootfs="$work/rootfs"
mkdir -p "$rootfs/usr/bin" "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
mkdir -p "$rootfs$java_home"
(cd "$java_home" && tar --exclude=./jmods --exclude=./include --exclude=./demo --exclude=./lib/src.zip -chf - .) | tar -C "$rootfs$java_home" -xf -
ln -s "$java_home/bin/java" "$rootfs/usr/bin/java"
for tool in bash dash mkdir ln env; do
  cp -L "$(command -v "$tool")" "$rootfs/usr/bin/$tool"
done
ln -s /usr/bin/dash "$rootfs/bin/sh"
ln -s /usr/bin/bash "$rootfs/bin/bash"
libs=$( { for f in "$rootfs"/usr/bin/* $(find "$rootfs$java_home" -name '*.so' -o -path '*/bin/*' -type f); do
  ldd "$f" 2>/dev/null || true; done; } | grep -oE '/[^ ]+\.so[^ ]*' | sort -u)
for lib in $libs; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' > "$rootfs/etc/passwd"
ctr=$("${b[@]}" from scratch)
"${b[@]}" copy "$ctr" "$rootfs/" / >/dev/null
"${b[@]}" config --env PATH=/usr/bin:/bin --env JAVA_HOME="$java_home" "$ctr"
"${b[@]}" commit -q "$ctr" "$base" >/dev/null
"${b[@]}" rm "$ctr" >/dev/null

# The real build, as the README gives it (buildah bud is podman build's engine).
tag=$(grep -oE 'build -f deploy/container/Containerfile -t [^ ]+' deploy/container/Containerfile | awk '{print $5}')
"${b[@]}" bud --isolation chroot --pull=never -f deploy/container/Containerfile -t "$tag" . >&2
"${b[@]}" inspect --type image "$tag" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["OCIv1"]["config"]))'
# And the image's entrypoint runs: the launcher, the JVM, the jar.
ctr=$("${b[@]}" from --pull=never "$tag")
"${b[@]}" run --isolation chroot "$ctr" -- /usr/bin/cgwatch --version >&2
"${b[@]}" rm "$ctr" >/dev/null
