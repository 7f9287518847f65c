#!/usr/bin/env bash
# `make validator`: find or build (once) Agave's solana-test-validator and print its path.
#
# Order: $SOLANA_TEST_VALIDATOR, then PATH, then the cache (~/.cache/asdf-dat/validator),
# else build it from crates.io (agave-validator, about 40 minutes on 2 cores) into the cache.
# The build target dir lives in the cache too, so an interrupted build resumes.
#
#   scripts/validator.sh            find or build, print the path
#   scripts/validator.sh --find     print the path if present, exit 1 otherwise (never builds)
set -euo pipefail

readonly AGAVE_VERSION="3.1.12"
cache_dir=${ASDF_DAT_CACHE:-$HOME/.cache/asdf-dat}
install_root="$cache_dir/validator-$AGAVE_VERSION"
cached_binary="$install_root/bin/solana-test-validator"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

find_validator() {
  if [[ -n "${SOLANA_TEST_VALIDATOR:-}" && -x "$SOLANA_TEST_VALIDATOR" ]]; then
    echo "$SOLANA_TEST_VALIDATOR"; return 0
  fi
  if command -v solana-test-validator >/dev/null 2>&1; then
    command -v solana-test-validator; return 0
  fi
  if [[ -x "$cached_binary" ]]; then
    echo "$cached_binary"; return 0
  fi
  return 1
}

if find_validator; then exit 0; fi
[[ "${1:-}" == "--find" ]] && exit 1

missing=()
for pkg in libudev-dev protobuf-compiler libclang-dev clang cmake pkg-config libssl-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing the validator's build dependencies: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# rustup's cargo (not Debian's rustc-web, which builds the SBF programs): Agave needs a
# current stable toolchain.
rustup_cargo="$HOME/.cargo/bin/cargo"
[[ -x "$rustup_cargo" ]] || rustup_cargo=cargo
log "building solana-test-validator $AGAVE_VERSION from crates.io (about 40 minutes on 2 cores, once)"
mkdir -p "$install_root"
CARGO_TARGET_DIR="$cache_dir/validator-build" nice -n 10 "$rustup_cargo" install --locked \
  "agave-validator@$AGAVE_VERSION" --bin solana-test-validator --root "$install_root"
rm -rf "$cache_dir/validator-build"
echo "$cached_binary"
