#!/usr/bin/env bash
# Installs the Debian packages Stakeward needs, idempotently: apt-get update runs
# at most once, and only packages that are missing are installed.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libhidapi-dev libusb-1.0-0-dev
  libsodium-dev libsecp256k1-dev libcrypto++-dev libssl-dev
  libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev libabsl-dev
  libboost-dev libcurl4-openssl-dev
  clang libclang-rt-14-dev clang-format
  prometheus systemd
  nodejs npm python3
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo" >&2; exit 1; }
  SUDO="sudo"
fi

missing=()
for p in "${PKGS[@]}"; do
  # nodejs from another origin may already provide npm; accept a working npm.
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
