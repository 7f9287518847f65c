#!/usr/bin/env bash
# The one build entry point (`make build` calls it). Idempotent: installs only what is
# missing, then builds every program under programs/ to target/deploy/<crate>.so with
# upstream rustc + sbpf-linker, regenerates idl/asdf_dat.json and the typed client in
# sdk/asdf_dat/generated/, and prints each .so's sha256.
#
#   scripts/build.sh            install + build + IDL
#   scripts/build.sh --check    same, but fail if the committed IDL or client differs from a fresh one
#   scripts/build.sh --programs-only
#                               only the SBF programs, into ${CARGO_TARGET_DIR:-target}/deploy; with
#                               ASDF_DAT_PROGRAM_ID=<id> the program is built for that id (build.rs)
#
# Why each piece is there: docs/BUILD.md.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

idl_mode=write
programs_only=false
[[ "${1:-}" == "--check" ]] && idl_mode=check
[[ "${1:-}" == "--programs-only" ]] && programs_only=true

# Pinned versions. Debian's packages carry their major version in the name (llvm-22) or are
# checked below (rustc-web 1.96.x); the security archive replaces patch releases, so those
# are checked by prefix instead of pinned exactly.
readonly RUSTC_WEB_SERIES="1.96."
readonly LLVM_MAJOR="22"
readonly SBPF_LINKER_VERSION="0.2.6"
readonly ANCHOR_LANG_VERSION="2.0.0-rc.2"
readonly ANCHOR_LANG_CRATE_SHA256="356811863224722c5eff648869b67ea8d769b0da8c4924cc38cc242ced617e38"

cache_dir=${ASDF_DAT_CACHE:-$HOME/.cache/asdf-dat}
tools_dir="$cache_dir/tools"
export PATH="$tools_dir/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

debian_toolchain_ok() {
  [[ -x /usr/bin/rustc && -x /usr/bin/cargo && -d /usr/lib/rustlib/src/rust/library/core ]] || return 1
  [[ -x /usr/lib/llvm-$LLVM_MAJOR/bin/llvm-config ]] || return 1
  local version_info
  version_info=$(/usr/bin/rustc -vV) || return 1
  grep -q "^release: ${RUSTC_WEB_SERIES//./\\.}" <<<"$version_info" || return 1
  grep -q "^LLVM version: ${LLVM_MAJOR}\." <<<"$version_info"
}

ensure_debian_toolchain() {
  debian_toolchain_ok && return 0
  log "installing Debian's rustc-web $RUSTC_WEB_SERIES* (LLVM $LLVM_MAJOR) and llvm-$LLVM_MAJOR-dev"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    rustc-web cargo-web rust-web-src "llvm-$LLVM_MAJOR-dev" zlib1g-dev libzstd-dev
  debian_toolchain_ok || die "Debian's rustc is not $RUSTC_WEB_SERIES* on LLVM $LLVM_MAJOR: $(/usr/bin/rustc -vV | tr '\n' ' ')"
}

# health-check.sh (the seed's script) reads the daemon's API with curl and jq.
ensure_cli_tools() {
  command -v curl >/dev/null && command -v jq >/dev/null && return 0
  log "installing curl and jq"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends curl jq
}

# The dashboard's browser test (tests/test_dashboard_browser.py) drives Debian's Chromium through
# chromedriver; npm fetches the dashboard's chart library (scripts/vendor_ui.sh).
ensure_browser_and_npm() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v npm >/dev/null && return 0
  log "installing chromium, chromium-driver and npm"
  as_root apt-get update -q
  local packages=(chromium chromium-driver)
  command -v npm >/dev/null || packages+=(npm)
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
}

ensure_sbpf_linker() {
  if [[ "$(sbpf-linker --version 2>/dev/null | head -n1)" == "sbpf-linker $SBPF_LINKER_VERSION" ]]; then
    return 0
  fi
  log "building sbpf-linker $SBPF_LINKER_VERSION against Debian's LLVM $LLVM_MAJOR (a few minutes, once)"
  # bpf-linker's build script finds libLLVM through LLVM_PREFIX; without the default
  # `rust-llvm` feature the linker links Debian's libLLVM instead of a rustc-shipped one.
  LLVM_PREFIX="/usr/lib/llvm-$LLVM_MAJOR" CARGO_TARGET_DIR="$cache_dir/sbpf-linker-build" \
    cargo install sbpf-linker --version "=$SBPF_LINKER_VERSION" --locked \
      --no-default-features --features "bpf-linker/llvm-$LLVM_MAJOR" --root "$tools_dir"
}

# anchor-lang is used through [patch.crates-io] from build/vendor/anchor-lang: the crates.io
# source, checksum-verified, with build/patches/anchor-lang-*.patch applied.
ensure_patched_anchor_lang() {
  local patch_file="build/patches/anchor-lang-$ANCHOR_LANG_VERSION.patch"
  local vendor_dir="build/vendor/anchor-lang"
  local stamp
  stamp=$(sha256sum "$patch_file" | cut -c1-16)
  [[ -f "$vendor_dir/.asdf-dat-patched-$stamp" ]] && return 0

  log "fetching anchor-lang $ANCHOR_LANG_VERSION from crates.io and applying $patch_file"
  local fetch_dir="$cache_dir/fetch-anchor-lang"
  mkdir -p "$fetch_dir/src"
  cat >"$fetch_dir/Cargo.toml" <<EOF
[package]
name = "fetch-anchor-lang"
version = "0.0.0"
edition = "2021"
[dependencies]
anchor-lang = "=$ANCHOR_LANG_VERSION"
[workspace]
EOF
  : >"$fetch_dir/src/lib.rs"
  cargo fetch --manifest-path "$fetch_dir/Cargo.toml" --quiet
  local cargo_home=${CARGO_HOME:-$HOME/.cargo}
  local crate_file
  crate_file=$(ls "$cargo_home"/registry/cache/*/anchor-lang-"$ANCHOR_LANG_VERSION".crate | head -n1)
  echo "$ANCHOR_LANG_CRATE_SHA256  $crate_file" | sha256sum --check --quiet \
    || die "anchor-lang $ANCHOR_LANG_VERSION .crate checksum mismatch"
  rm -rf "$vendor_dir"
  mkdir -p "$vendor_dir"
  tar -xzf "$crate_file" -C "$vendor_dir" --strip-components=1
  patch --quiet --forward -p1 -d "$vendor_dir" <"$patch_file"
  touch "$vendor_dir/.asdf-dat-patched-$stamp"
}

ensure_python_env() {
  local stamp=".venv/.asdf-dat-$(sha256sum pyproject.toml | cut -c1-16)"
  [[ -f "$stamp" ]] && return 0
  log "creating .venv and installing the SDK (pip install -e '.[dev]')"
  [[ -x .venv/bin/python ]] || python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".[dev]"
  rm -f .venv/.asdf-dat-*
  touch "$stamp"
}

program_crates() {
  local manifest
  for manifest in programs/*/Cargo.toml; do
    grep -q 'cdylib' "$manifest" && basename "$(dirname "$manifest")"
  done
}

build_programs() {
  local cargo_home=${CARGO_HOME:-$HOME/.cargo}
  # Paths are remapped so the .so does not depend on where the repo or caches live.
  # `+allows-misaligned-mem-access`: the SVM loads and stores at any alignment; without it
  # upstream LLVM's BPF backend splits every access to an align-1 field (Anchor's Pod
  # integers, Address comparisons, pump's account heads) into byte loads: about 30 % of our
  # CU per cycle and half the code size.
  local rustflags=(
    -C linker=sbpf-linker
    -C panic=abort
    -C relocation-model=static
    -C link-arg=--arch=v0
    -C link-arg=--llvm-args=-bpf-stack-size=4096
    -C target-feature=+allows-misaligned-mem-access
    -C link-arg=--disable-math-builtins
    "--remap-path-prefix=$repo_root=/asdf-dat"
    "--remap-path-prefix=$cargo_home=/cargo"
    "--remap-path-prefix=/usr/lib/rustlib/src/rust=/rustc"
  )
  local package_args=()
  local crate
  for crate in $(program_crates); do package_args+=(-p "$crate"); done
  log "building ${package_args[*]//-p /} to SBF (rustc $(/usr/bin/rustc -V | cut -d' ' -f2), sbpf-linker $SBPF_LINKER_VERSION, SBPF v0)"
  local cargo_args=(-Zjson-target-spec -Zbuild-std=core,alloc --release --target build/sbf-solana.json)
  if [[ -z "${CARGO_TARGET_DIR:-}" ]]; then
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="${rustflags[*]}" \
      /usr/bin/cargo build --quiet "${cargo_args[@]}" "${package_args[@]}"
    return
  fi
  # Another target directory (e.g. a build for another program id): sbpf-linker would still
  # write ./target/deploy, so only the final crate is told not to (`cargo rustc`: the
  # dependencies keep RUSTFLAGS and their cache), and its .so is copied to $CARGO_TARGET_DIR/deploy.
  mkdir -p "$CARGO_TARGET_DIR/deploy"
  for crate in $(program_crates); do
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="${rustflags[*]}" \
      /usr/bin/cargo rustc --quiet "${cargo_args[@]}" -p "$crate" --lib -- -C link-arg=--deploy=false
    cp "$CARGO_TARGET_DIR/sbf-solana/release/lib$crate.so" "$CARGO_TARGET_DIR/deploy/$crate.so"
  done
}

build_idl() {
  log "IDL: idl/asdf_dat.json ($idl_mode)"
  .venv/bin/python scripts/idl_build.py --crate asdf_dat --out idl/asdf_dat.json --"$idl_mode"
}

build_client() {
  log "typed client: sdk/asdf_dat/generated ($idl_mode)"
  .venv/bin/python scripts/gen_client.py --"$idl_mode"
}

print_hashes() {
  local crate
  for crate in $(program_crates); do
    local so="${CARGO_TARGET_DIR:-target}/deploy/$crate.so"
    sha256sum "$so" | awk -v size="$(stat -c %s "$so")" \
      '{ printf "%s  %s (%d bytes)\n", $1, $2, size }'
  done
}

ensure_debian_toolchain
ensure_cli_tools
ensure_browser_and_npm
bash scripts/vendor_ui.sh
ensure_patched_anchor_lang
ensure_sbpf_linker
if $programs_only; then
  build_programs
  print_hashes
  exit 0
fi
ensure_python_env
build_programs
build_idl
build_client
print_hashes
