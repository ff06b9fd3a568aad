#!/usr/bin/env bash
# Schemathesis against the real debug binary: every operation of /api/v1/openapi.json, all checks, a fixed seed,
# bounded in time, loopback only. Two tenants cover every module (sales are pharmacy-only, treatments dental-only);
# each gets an admin token. A failure not in Tests/API/baseline.json (each entry says why it is accepted) fails the run,
# and so does any "unexpected error" in the server log. POST /api/v1/patients/{id}/emergency-access is left out: on it
# the Python bug below struck every run here (EmergencyAccessTests covers it through the stack).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=.build/debug/clinicbox
[ -x "$binary" ] || swift build --product clinicbox
work=$(mktemp -d)
venv=${CLINICBOX_TEST_VENV:-$HOME/.cache/clinicbox-schemathesis}
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi

mkdir -p "$work/tenants.d"
cat > "$work/tenants.d/pharm.yaml" <<'YAML'
id: pharm
name: Probe Pharmacy
domain: pharmacy
features: [patients, appointments, prescriptions, inventory, sales, reports, billing]
timezone: Europe/Berlin
currency: EUR
branches: [{code: main, name: Main}, {code: north, name: North}]
limits: {requests_per_minute: 1000000}
payers: [{code: JUB, name: Jubilee, kind: insurer, share_percent: 80}]
YAML
cat > "$work/tenants.d/dent.yaml" <<'YAML'
id: dent
name: Probe Dental
domain: dental
features: [patients, appointments, treatments, visits, inventory, reports, billing]
timezone: Europe/Berlin
currency: EUR
branches: [{code: main, name: Main}]
limits: {requests_per_minute: 1000000}
payers: [{code: SHA, name: Social Health Authority, kind: scheme, needs_preauthorisation: true}]
YAML
password="tidal lantern meadow 2026"
for tenant in pharm dent; do
    echo "$password" | "$binary" user add --tenant "$tenant" --email "admin@$tenant.test" --role admin \
        --tenants "$work/tenants.d" --data "$work/data" >/dev/null
done
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --tenants "$work/tenants.d" --data "$work/data" --port "$port" --metrics-address off --log-level warning \
    2> "$work/server.log" &
server=$!
base="http://127.0.0.1:$port"
until curl -sf -o /dev/null "$base/readyz"; do sleep 0.1; done
status=0
baseline=()
[ -f Tests/API/baseline.json ] && baseline=(--baseline Tests/API/baseline.json)
for tenant in pharm dent; do
    token=$(curl -sf -H "X-Tenant-ID: $tenant" -H "Content-Type: application/json" \
        -d "{\"email\":\"admin@$tenant.test\",\"password\":\"$password\"}" "$base/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
    # Debian 12's Python 3.11.2 can fail inside `ast` when two threads parse at once ("AST constructor recursion
    # depth mismatch", CPython gh-106905) while Hypothesis describes a strategy; schemathesis then reports an error
    # of whichever operation it was on. Such a run, and only such a run, is run once more.
    for attempt in 1 2; do
        echo "schemathesis: tenant $tenant"
        result=0
        "$venv/bin/schemathesis" run "$base/api/v1/openapi.json" --url "$base" --checks all --seed 20261201 \
            --max-examples "${SCHEMATHESIS_EXAMPLES:-15}" --max-time "${SCHEMATHESIS_SECONDS:-150}" --workers 2 --no-shrink \
            --generation-deterministic --request-timeout 10 \
            -H "Authorization: Bearer $token" -H "X-Tenant-ID: $tenant" \
            --exclude-path-regex 'emergency-access$' \
            ${baseline[@]+"${baseline[@]}"} --output-truncate true "$@" > "$work/schemathesis.out" 2>&1 || result=1
        cat "$work/schemathesis.out"
        if [ $result -eq 1 ] && [ $attempt -eq 1 ] && grep -q "AST constructor recursion depth mismatch" "$work/schemathesis.out" \
            && ! grep -qE "❌" "$work/schemathesis.out"; then
            echo "schemathesis: Python's gh-106905 stopped this run; running it again"
            continue
        fi
        [ $result -eq 0 ] || status=1
        break
    done
done
if grep -q "unexpected error" "$work/server.log"; then
    echo "the server logged unexpected errors:"; grep "unexpected error" "$work/server.log" | head -20; status=1
fi
exit $status
