#!/usr/bin/env bash
# Builds the offline images the sandbox tests run, once: each is Debian bookworm minbase from debootstrap,
# imported with `docker import`, and skipped when its tag already exists (delete the tag to rebuild).
# Tags (a fixed convention; test/sandbox/dockerEnv.ts reads the same names):
#   sandbox-guard-test/python:bookworm   python3-minimal
#   sandbox-guard-test/node:bookworm     nodejs
# Usage (as root, daemon running):  bash scripts/test-images.sh
# Env: SANDBOX_GUARD_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

mirror="${SANDBOX_GUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

die() {
  echo "test-images.sh: ERROR: $*" >&2
  exit 1
}

command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing (apt-get install -y debootstrap, or run .ci/docker.sh)"
timeout 10 docker info >/dev/null 2>&1 || die "no Docker daemon answers (run .ci/docker.sh)"

build() {
  local tag="$1" include="$2"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "test-images.sh: $tag present" >&2
    return 0
  fi
  local dir
  dir="$(mktemp -d /var/tmp/sandbox-guard-rootfs.XXXXXX)"
  # shellcheck disable=SC2064
  trap "rm -rf '$dir'" RETURN
  echo "test-images.sh: building $tag (debootstrap minbase + $include)" >&2
  debootstrap --variant=minbase --include="$include" bookworm "$dir" "$mirror" >"$dir.log" 2>&1 ||
    { tail -n 30 "$dir.log" >&2; rm -f "$dir.log"; die "debootstrap for $tag failed"; }
  rm -f "$dir.log"
  # Smaller and reproducible enough: no package caches or lists in the image.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/locale/*
  tar -C "$dir" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    --message "sandbox-guard test image ($include)" - "$tag" >/dev/null
  echo "test-images.sh: built $tag" >&2
}

build sandbox-guard-test/python:bookworm python3-minimal
build sandbox-guard-test/node:bookworm nodejs
