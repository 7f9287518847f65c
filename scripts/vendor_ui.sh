#!/usr/bin/env bash
# Vendors the dashboard's chart library (uPlot, from the npm registry) into the Python package:
# sdk/asdf_dat/daemon/dashboard/static/vendor/. Called by scripts/build.sh. The page loads it
# from the daemon, never from a CDN, so the dashboard works offline.
#
# The version is pinned and the registry tarball's sha256 checked before anything is copied;
# the tarball is cached in ~/.cache/asdf-dat/npm so a rebuild needs no network.
set -euo pipefail

readonly UPLOT_VERSION="1.6.32"
readonly UPLOT_TARBALL_SHA256="4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d"

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vendor_dir="$repo_root/sdk/asdf_dat/daemon/dashboard/static/vendor"
cache_dir="${ASDF_DAT_CACHE:-$HOME/.cache/asdf-dat}/npm"
tarball="$cache_dir/uplot-$UPLOT_VERSION.tgz"
stamp="$vendor_dir/.uplot-$UPLOT_VERSION-${UPLOT_TARBALL_SHA256:0:16}"

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

[[ -f "$stamp" && -f "$vendor_dir/uPlot.iife.min.js" && -f "$vendor_dir/uPlot.min.css" ]] && exit 0

if [[ ! -f "$tarball" ]] || ! echo "$UPLOT_TARBALL_SHA256  $tarball" | sha256sum --check --quiet 2>/dev/null; then
  command -v npm >/dev/null || die "npm is needed once to fetch uplot@$UPLOT_VERSION (apt-get install npm)"
  printf '\033[1m==> fetching uplot@%s from the npm registry (dashboard chart)\033[0m\n' "$UPLOT_VERSION" >&2
  mkdir -p "$cache_dir"
  fetch_dir=$(mktemp -d)
  trap 'rm -rf "$fetch_dir"' EXIT
  (cd "$fetch_dir" && npm pack --silent "uplot@$UPLOT_VERSION" >/dev/null)
  mv "$fetch_dir/uplot-$UPLOT_VERSION.tgz" "$tarball"
fi
echo "$UPLOT_TARBALL_SHA256  $tarball" | sha256sum --check --quiet \
  || { rm -f "$tarball"; die "uplot-$UPLOT_VERSION.tgz: sha256 mismatch (expected $UPLOT_TARBALL_SHA256)"; }

mkdir -p "$vendor_dir"
rm -f "$vendor_dir"/.uplot-* "$vendor_dir"/uPlot.* "$vendor_dir"/LICENSE.uPlot
tar -xzf "$tarball" -C "$vendor_dir" --strip-components=2 package/dist/uPlot.iife.min.js package/dist/uPlot.min.css
tar -xzOf "$tarball" package/LICENSE >"$vendor_dir/LICENSE.uPlot"
touch "$stamp"
