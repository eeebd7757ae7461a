#!/usr/bin/env bash
# The Kotlin bindings, tested on the JVM: builds the core and the centre, generates the bindings,
# compiles them with the tests in bindings/kotlin/ and the Android app's logic layer
# (android/…/logic/) with its tests, and runs the tests with JUnit 5 against a real
# gadeplan-centre on loopback. Then it type-checks the whole Android app: every file of
# android/app/src/main/java compiled (and thrown away) against the generated bindings and the
# stand-ins in android/typecheck/stubs/ for the Android, AndroidX, Compose and Play services
# signatures the app calls; an error fails the script (android/README.md, "What the test command
# checks of the app"). Installs what it needs on a fresh machine: the npm package
# kotlin-compiler (2.4.x, the full kotlinc with kotlin-test and kotlinx-coroutines) into
# build/tools/, and Debian's libjna-java and junit5. Debian's own `kotlin` is too old for uniffi.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=build/tools
kotlin="$tools/node_modules/kotlin-compiler"
if [ ! -x "$kotlin/bin/kotlinc" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-save --no-audit --no-fund --loglevel=error kotlin-compiler@2.4)
fi
missing=()
[ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
[ -f /usr/share/java/junit-platform-console-standalone.jar ] || missing+=(junit5)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bindings/generate.sh debug
cargo build --locked -p gadeplan-centre

lib="$kotlin/lib"
java_lib=/usr/share/java
classpath="$java_lib/jna.jar:$lib/kotlin-test.jar:$lib/kotlin-test-junit5.jar:$java_lib/junit-jupiter-api.jar:$java_lib/apiguardian-api.jar:$java_lib/opentest4j.jar"
out=build/kotlin
rm -rf "$out"
mkdir -p "$out"
# The app's logic layer (android/…/logic/: plain Kotlin, no android.*) and its transport are
# compiled and tested here too, with their tests (android/app/src/test/…/logic/).
"$kotlin/bin/kotlinc" -nowarn -d "$out/classes" -cp "$classpath" \
  build/bindings/dk/gadeplan/core/gadeplan_core.kt bindings/kotlin/*.kt \
  android/app/src/main/java/dk/gadeplan/app/logic/*.kt \
  android/app/src/main/java/dk/gadeplan/app/sync/HttpUrlConnectionTransport.kt \
  android/app/src/test/java/dk/gadeplan/app/logic/*.kt

java -Djna.library.path="$PWD/target/debug" -Dgadeplan.centre="$PWD/target/debug/gadeplan-centre" \
  -jar "$java_lib/junit-platform-console-standalone.jar" \
  --class-path "$out/classes:$classpath:$lib/kotlin-stdlib.jar" \
  --select-package dk.gadeplan.test --select-package dk.gadeplan.app.logic --disable-banner --disable-ansi-colors --details=tree

# The screens, the platform adapters and the worker type-checked against the core's generated API:
# compile only (the stand-ins are no libraries to run), into a directory thrown away after.
typecheck=build/android-typecheck
rm -rf "$typecheck"
mapfile -t app_sources < <(find android/app/src/main/java -name '*.kt' | sort)
"$kotlin/bin/kotlinc" -nowarn -d "$typecheck" -cp "$java_lib/jna.jar:$lib/kotlinx-coroutines-core-jvm.jar" \
  android/typecheck/stubs/*.kt build/bindings/dk/gadeplan/core/gadeplan_core.kt "${app_sources[@]}"
rm -rf "$typecheck"
echo "android: ${#app_sources[@]} files type-checked against the bindings and android/typecheck/stubs"
