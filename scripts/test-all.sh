#!/usr/bin/env bash
# The README's test command: on a fresh machine it installs and starts everything the suites need, then runs
# the check gate and every suite. .ci/run calls exactly this.
#   1. npm ci                       (npm packages, from the lock file)
#   2. .ci/docker.sh                (docker.io + debootstrap via apt, dockerd, offline test images)
#   3. .ci/e2e.sh                   (chromium, Node 24 + code-server from npm, cached for later runs)
#   4. npm run check                (format, lint, type check)
#   5. npm test                     (build + unit, LSP, CLI, sandbox, MCP and editor suites)
# Suites that need Docker or VS Code fail (not skip) here: SANDBOX_GUARD_REQUIRE_DOCKER/E2E are set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n=== %s\n' "$*"; }
command -v node >/dev/null || { echo "test-all: node is not installed (Node 20+ is required)" >&2; exit 1; }
command -v npm >/dev/null || { echo "test-all: npm is not installed" >&2; exit 1; }

step "npm ci"
npm ci --no-audit --no-fund

step "Docker daemon and offline test images"
bash .ci/docker.sh

step "VS Code (code-server) and chromium for the editor tests"
bash .ci/e2e.sh

step "npm run check"
npm run check

step "npm test"
export SANDBOX_GUARD_REQUIRE_DOCKER=1 SANDBOX_GUARD_REQUIRE_E2E=1
npm test
