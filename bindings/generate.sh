#!/usr/bin/env bash
# Builds the core library and generates its Kotlin and Swift bindings into build/bindings/
# (generated code is not committed). Usage: bindings/generate.sh [debug|release|phone]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-debug}"

case "$profile" in
  debug) cargo build --locked -p gadeplan-core; dir=target/debug ;;
  *) cargo build --locked -p gadeplan-core --profile "$profile"; dir="target/$profile" ;;
esac
case "$(uname -s)" in
  Darwin) lib="$dir/libgadeplan_core.dylib" ;;
  *) lib="$dir/libgadeplan_core.so" ;;
esac

out=build/bindings
rm -rf "$out"
cargo run --locked --quiet --manifest-path bindings/Cargo.toml --bin uniffi-bindgen -- \
  generate --library "$lib" --language kotlin --language swift \
  --out-dir "$out" --no-format
echo "bindings for $lib in $out" >&2
