#!/usr/bin/env bash
# Builds the core for iOS devices and simulators (profile `phone`), generates the Swift bindings,
# and packs both into ios/build/GadeplanCore.xcframework plus ios/build/Sources/GadeplanCore.swift.
# Runs on a Mac with Xcode and the Rust iOS targets (see ios/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

# Without OPENSSL_DIR, SQLCipher uses Apple's CommonCrypto on iOS (see core/Cargo.toml).
unset OPENSSL_DIR SQLCIPHER_OPENSSL_DIR
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
for target in "${targets[@]}"; do
  cargo build --locked -p gadeplan-core --profile phone --target "$target"
done

bindings/generate.sh phone   # host build of the same core: the Swift file, header and modulemap
out=ios/build
rm -rf "$out"
mkdir -p "$out/headers" "$out/Sources" "$out/sim"
cp build/bindings/GadeplanCoreFFI.h "$out/headers/"
cp build/bindings/GadeplanCoreFFI.modulemap "$out/headers/module.modulemap"
cp build/bindings/GadeplanCore.swift "$out/Sources/"

# One library for both simulator architectures.
lipo -create \
  target/aarch64-apple-ios-sim/phone/libgadeplan_core.a \
  target/x86_64-apple-ios/phone/libgadeplan_core.a \
  -output "$out/sim/libgadeplan_core.a"

xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/phone/libgadeplan_core.a -headers "$out/headers" \
  -library "$out/sim/libgadeplan_core.a" -headers "$out/headers" \
  -output "$out/GadeplanCore.xcframework"
echo "built $out/GadeplanCore.xcframework and $out/Sources/GadeplanCore.swift"
