#!/usr/bin/env bash
# Installs what vigil needs from Debian's packages (only what is missing), then configures and
# builds vigil into ./build. Idempotent and non-interactive; run as root or with sudo available.
#   scripts/setup.sh            install + build (Release)
#   BUILD_TYPE=Debug scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-graph1.81-dev libboost-date-time1.81-dev libboost-json1.81-dev
  libmsgsl-dev libcli11-dev catch2 libbenchmark-dev libssl-dev
  libexpat1-dev  # the ICH E2B(R3) XML reader of vigil detect / watch (streaming, bounded memory)
  python3 python3-jsonschema
  python3-numpy  # the Python binding's numpy path (columns read in place), tested by ctest's python_binding_numpy
  python3-venv python3-setuptools python3-wheel  # pip install ./bindings/python, offline, in the package test
  help2man  # the command's manual pages, generated from its --help texts at build time
  graphviz  # dot: draws docs/charts/*.svg from `vigil plan chart`; tests check dot accepts every chart
  librsvg2-bin fonts-wqy-microhei  # rsvg-convert and a CJK font: tests render `vigil audit --out svg`
  openjdk-17-jdk-headless  # bindings/java (JNI) and its test; the build skips them without a JDK
  clang-14 libclang-rt-14-dev  # libFuzzer: ctest's fuzz_smoke and scripts/fuzz.sh
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Slim Debian images leave out /usr/share/man, where the JDK's package links its manual pages.
  $SUDO mkdir -p /usr/share/man/man1
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

build_type="${BUILD_TYPE:-Release}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build build
