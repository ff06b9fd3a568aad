#!/usr/bin/env bash
# ClinicBox feature-module benchmark (issue #4): list 50 patients and create a patient through the JSON API,
# each measured with wrk in the same run as /healthz, and creates compared with the commit rate of a bare SQLite
# insert loop (WAL, synchronous=FULL, one transaction per insert) on the same disk.
# Usage: bench/modules.sh [duration-seconds]   (prints a report; copy the figures into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=18081
source bench/lib.sh

cat > "$work/create.lua" <<'LUA'
-- Each request registers a different patient (no date of birth, so no duplicate check refuses it).
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"first_name":"Bench","last_name":"Create%d-%d","phone":"+49 30 555 0100"}', math.random(1, 1e9), counter)
  return wrk.format("POST", "/api/v1/patients", nil, body)
end
LUA

auth=(-H "Host: bench.test" -H "Authorization: Bearer $token")

machine
wrk -t2 -c64 -d2s "$base/healthz" >/dev/null  # warm-up
health=(); list=(); list_p99=()
for round in 1 2 3; do
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "$base/healthz"); health+=("$rps")
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "${auth[@]}" "$base/api/v1/patients?limit=50")
    list+=("$rps"); list_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the list"
done
echo "GET /healthz, 64 connections: $(median "${health[@]}") req/s (rounds: ${health[*]})"
echo "GET /api/v1/patients?limit=50 (bearer, Host), 64 connections: $(median "${list[@]}") req/s (rounds: ${list[*]}), p99 ms: ${list_p99[*]}"
echo "ratio list/healthz: $(echo "scale=3; $(median "${list[@]}") / $(median "${health[@]}")" | bc)"

commits=(); creates=(); create_p99=()
for round in 1 2 3; do
    commits+=("$(bare)")
    read -r rps p99 bad < <(measure -t2 -c16 -d"${duration}s" -s "$work/create.lua" "${auth[@]}" -H "Content-Type: application/json" "$base/")
    creates+=("$rps"); create_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to creates"
done
echo "bare SQLite insert loop (WAL, synchronous=FULL, 1 tx/insert): $(median "${commits[@]}") commits/s (rounds: ${commits[*]})"
echo "POST /api/v1/patients (durable, audited), 16 connections: $(median "${creates[@]}") req/s (rounds: ${creates[*]}), p99 ms: ${create_p99[*]}"
echo "ratio creates/bare commits: $(echo "scale=3; $(median "${creates[@]}") / $(median "${commits[@]}")" | bc)"
rows=$(python3 -c "import sqlite3; print(sqlite3.connect('$work/data/bench.sqlite').execute(\"SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM audit_log WHERE action = 'patients.create')\").fetchone())")
echo "patients, audit rows for patient creates: $rows"
