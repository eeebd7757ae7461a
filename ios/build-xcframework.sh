#!/usr/bin/env bash
# Builds the core as an XCFramework and puts its Swift bindings where the Swift package expects
# them. Runs on a Mac with Xcode 16 and the Rust Apple targets (see ios/README.md):
#
#   ios/GadeplanKit/Frameworks/GadeplanCore.xcframework          the static library for iOS
#       devices (arm64), the iOS simulator (arm64 + x86_64) and macOS (arm64 + x86_64, for
#       `swift test` of GadeplanKit on the Mac), each slice with GadeplanCoreFFI.h and
#       module.modulemap (`module GadeplanCoreFFI`);
#   ios/GadeplanKit/Sources/GadeplanCore/GadeplanCore.swift      the uniffi bindings (module
#       GadeplanCore of the package; gitignored).
#
# Usage: ios/build-xcframework.sh [phone|release|debug]   (default phone: the size-tuned profile)
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-phone}"
case "$profile" in
  debug) dirname=debug; flags=() ;;
  *) dirname="$profile"; flags=(--profile "$profile") ;;
esac

# On iOS, without OPENSSL_DIR, SQLCipher uses Apple's CommonCrypto (see core/Cargo.toml), whose
# random bytes come from Security.framework, which the app and the package link. The macOS slices
# (only for `swift test` on the Mac) compile OpenSSL in, as every non-iOS build of the core does:
# they need perl and make, and take a few minutes the first time.
unset OPENSSL_DIR SQLCIPHER_OPENSSL_DIR
export IPHONEOS_DEPLOYMENT_TARGET=17.0 MACOSX_DEPLOYMENT_TARGET=14.0
ios=aarch64-apple-ios
sims=(aarch64-apple-ios-sim x86_64-apple-ios)
macs=(aarch64-apple-darwin x86_64-apple-darwin)
for target in "$ios" "${sims[@]}" "${macs[@]}"; do
  cargo build --locked -p gadeplan-core ${flags[@]+"${flags[@]}"} --target "$target"
done
lib() { echo "target/$1/$dirname/libgadeplan_core.a"; }

# The bindings: generated in library mode from the host build of the same core, so
# core/uniffi.toml applies (module GadeplanCore, FFI module GadeplanCoreFFI).
bindings/generate.sh "$profile"
gen=build/bindings
for f in "$gen/GadeplanCore.swift" "$gen/GadeplanCoreFFI.h" "$gen/GadeplanCoreFFI.modulemap"; do
  [ -f "$f" ] || { echo "missing $f (bindings/generate.sh changed?)" >&2; exit 1; }
done

out=ios/build
rm -rf "$out"
mkdir -p "$out/headers" "$out/sim" "$out/mac"
cp "$gen/GadeplanCoreFFI.h" "$out/headers/"
cp "$gen/GadeplanCoreFFI.modulemap" "$out/headers/module.modulemap"

# One library per platform: the simulator's and the Mac's two architectures each in one file.
lipo -create "$(lib "${sims[0]}")" "$(lib "${sims[1]}")" -output "$out/sim/libgadeplan_core.a"
lipo -create "$(lib "${macs[0]}")" "$(lib "${macs[1]}")" -output "$out/mac/libgadeplan_core.a"

framework=ios/GadeplanKit/Frameworks/GadeplanCore.xcframework
rm -rf "$framework"
mkdir -p "$(dirname "$framework")"
xcodebuild -create-xcframework \
  -library "$(lib "$ios")" -headers "$out/headers" \
  -library "$out/sim/libgadeplan_core.a" -headers "$out/headers" \
  -library "$out/mac/libgadeplan_core.a" -headers "$out/headers" \
  -output "$framework"

cp "$gen/GadeplanCore.swift" ios/GadeplanKit/Sources/GadeplanCore/GadeplanCore.swift
echo "built $framework and ios/GadeplanKit/Sources/GadeplanCore/GadeplanCore.swift"
