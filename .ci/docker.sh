#!/usr/bin/env bash
# Makes a Docker daemon answer on this machine and builds the offline test images the sandbox suite runs.
# Idempotent: installs docker.io/debootstrap with apt only when missing, starts dockerd only when no daemon
# answers, and builds each image only when its tag is absent (scripts/test-images.sh).
# Usage (as root, from anywhere):  bash .ci/docker.sh
# Env: SANDBOX_GUARD_DOCKERD_LOG (default /var/log/sandbox-guard-dockerd.log),
#      SANDBOX_GUARD_DOCKERD_WAIT seconds to wait for a started daemon (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
log="${SANDBOX_GUARD_DOCKERD_LOG:-/var/log/sandbox-guard-dockerd.log}"
wait_s="${SANDBOX_GUARD_DOCKERD_WAIT:-60}"

die() {
  echo "docker.sh: ERROR: $*" >&2
  exit 1
}

daemon_answers() {
  timeout 10 docker info >/dev/null 2>&1
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
  echo "docker.sh: installing ${missing[*]} with apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  # Deduplicated; --no-install-recommends keeps the install small but docker.io needs its runtime deps.
  apt-get install -y -qq $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null || die "apt-get install ${missing[*]} failed"
fi

if ! daemon_answers; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer 'docker info'; start that daemon or unset DOCKER_HOST"
  fi
  command -v dockerd >/dev/null 2>&1 || die "dockerd not found after install"
  echo "docker.sh: no daemon answers; starting dockerd (log: $log)" >&2
  mkdir -p "$(dirname "$log")"
  # setsid + nohup: the daemon must outlive this script and the CI step that called it.
  setsid nohup dockerd >>"$log" 2>&1 </dev/null &
  echo "$!" >/var/run/sandbox-guard-dockerd.pid
  deadline=$((SECONDS + wait_s))
  until daemon_answers; do
    if ! kill -0 "$(cat /var/run/sandbox-guard-dockerd.pid)" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "dockerd exited during startup; see $log"
    fi
    ((SECONDS < deadline)) || { tail -n 30 "$log" >&2 || true; die "dockerd did not answer within ${wait_s}s; see $log"; }
    sleep 0.5
  done
fi
echo "docker.sh: daemon answers: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')" >&2

bash "$root/scripts/test-images.sh"
