#!/usr/bin/env bash
# Fuzzes a running centre against its own OpenAPI description with schemathesis (PyPI): every
# endpoint gets generated valid and invalid requests, with an enrolled device's token, and must
# answer no 5xx, only the statuses it documents, and every answer in its documented shape (every
# 4xx a JSON ErrorBody). `scripts/test.sh` runs it small; for the larger run:
#
#   scripts/schemathesis.sh 500        # examples per endpoint (default 20)
#
# Installs schemathesis into target/schemathesis-venv on first use (Python 3.9+ with venv), builds
# and starts the centre on a loopback port with a throwaway data directory, and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${1:-20}"
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.5"
fi
cargo build -q --locked -p gadeplan-centre
centre=target/debug/gadeplan-centre

dir="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
data="$dir/centre"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

"$centre" --data "$data" team add Fuzz >/dev/null
code="$("$centre" --data "$data" enrol --team Fuzz --worker Fuzz | json '["code"]')"
leader="$("$centre" --data "$data" leader-token --team Fuzz | json '["token"]')"
# No enrolment limit: the fuzzer's own enrolments would otherwise be refused as a flood (429),
# which is right, but never reaches the enrolment rules.
"$centre" --data "$data" serve --listen 127.0.0.1:0 \
  --enrol-per-source-per-minute 1000000 --enrol-per-minute 1000000 2>"$dir/log" &
pid=$!
for _ in $(seq 1 100); do
  [ -s "$dir/log" ] && break
  sleep 0.1
done
url="$(head -1 "$dir/log" | json '["serving"]')"
token="$(python3 - "$url" "$code" <<'PY'
import json, sys, urllib.request
url, code = sys.argv[1], sys.argv[2]
body = json.dumps({"protocol": 2, "code": code, "device_id": "0192f7a0-0000-7000-8000-00000000f022",
                   "device_name": "fuzzing", "worker": "Fuzz"}).encode()
request = urllib.request.Request(url + "/v1/enrol", data=body, headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request))["token"])
PY
)"

fuzz() {
  "$venv/bin/schemathesis" run "$url/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
    --max-examples "$examples" \
    --workers 1 \
    --seed 20261205 \
    --suppress-health-check all \
    --warnings off \
    --no-color \
    "$@"
}
# The device's endpoints with its token, then the report with a team leader's.
fuzz --exclude-path /v1/report --header "Authorization: Bearer $token"
fuzz --include-path /v1/report --header "Authorization: Bearer $leader"
