#!/usr/bin/env bash
# Installs (once) the JavaScript clients the validator suite drives: @solana/web3.js 1.x and
# @coral-xyz/anchor (IDL coder), into ~/.cache/asdf-dat/node-clients. Prints the directory.
set -euo pipefail
readonly WEB3_VERSION="1.98.4"
readonly ANCHOR_VERSION="0.32.1"
cache_dir=${ASDF_DAT_CACHE:-$HOME/.cache/asdf-dat}
prefix="$cache_dir/node-clients"
stamp="$prefix/.installed-web3-$WEB3_VERSION-anchor-$ANCHOR_VERSION"
if [[ ! -f "$stamp" ]]; then
  command -v npm >/dev/null 2>&1 || {
    echo "==> installing Debian's nodejs and npm" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm;
    else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; fi
  }
  echo "==> npm install @solana/web3.js@$WEB3_VERSION @coral-xyz/anchor@$ANCHOR_VERSION into $prefix" >&2
  mkdir -p "$prefix"
  [[ -f "$prefix/package.json" ]] || echo '{"name":"asdf-dat-node-clients","private":true}' > "$prefix/package.json"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "@solana/web3.js@$WEB3_VERSION" "@coral-xyz/anchor@$ANCHOR_VERSION" >&2
  touch "$stamp"
fi
echo "$prefix"
