#!/usr/bin/env bash
# Builds Cairn's image from the unchanged Dockerfile without a Docker engine or a registry:
# buildah (vfs storage, chroot isolation) with local base images made by debootstrap from the
# machine's Debian mirror, substituted through the Dockerfile's BUILD_IMAGE / RUNTIME_IMAGE
# arguments. The result is localhost/cairn:ci. Bases are cached between runs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${CAIRN_IMAGE_CACHE:-/var/cache/cairn-image}
tag=${CAIRN_IMAGE_TAG:-localhost/cairn:ci}
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot

mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
if [ -z "$mirror" ]; then
  mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
fi

# make_base NAME PACKAGES: a minimal Debian with PACKAGES, committed as localhost/NAME.
make_base() {
  local name=$1 packages=$2 rootfs="$cache/${1%%:*}"
  if buildah inspect --type image "localhost/$name" >/dev/null 2>&1; then
    return
  fi
  if [ ! -x "$rootfs/usr/bin/java" ]; then
    rm -rf "$rootfs"
    mkdir -p "$cache"
    debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$cache/${1%%:*}.log" 2>&1
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  fi
  local ctr
  ctr=$(buildah from scratch)
  buildah copy --quiet "$ctr" "$rootfs" /
  buildah config --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah commit --quiet "$ctr" "localhost/$name" >/dev/null
  buildah rm "$ctr" >/dev/null
}

make_base jre-base:17 openjdk-17-jre-headless
make_base maven-jdk:17 openjdk-17-jdk-headless,maven

mkdir -p "$HOME/.m2"
buildah build --quiet --pull=never --layers=false \
  --build-arg BUILD_IMAGE=localhost/maven-jdk:17 \
  --build-arg RUNTIME_IMAGE=localhost/jre-base:17 \
  --volume "$HOME/.m2:/root/.m2" \
  -t "$tag" "$repo" >/dev/null
echo "built $tag"
buildah inspect --type image --format '{{.OCIv1.Config.User}} {{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.ExposedPorts}}' "$tag"
