#!/usr/bin/env bash
# The centre's page in a real browser (tests/browser/page.mjs): Debian's Chromium, headless,
# driven by npm's playwright-core against `gadeplan demo --serve` on a loopback port, stopped at
# the end. Installs Chromium (apt) and playwright-core (npm, the version package-lock.json pins)
# when missing; screenshots and downloads land in target/browser-artefacts/. Part of
# scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
cargo build --locked -p gadeplan -p gadeplan-centre
CHROMIUM="$(command -v chromium)" node tests/browser/page.mjs
