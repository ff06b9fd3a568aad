#!/usr/bin/env bash
# Sign-in benchmark (issue #16): what one password check costs a person signing in, what a burst of sign-ins does
# to everyone else, and how much memory the hashing takes. Correct passwords only, so the throttle stays out of it.
# Usage: bench/signin.sh [duration-seconds]   (CLINICBOX_BINARY=… measures another build on the same box)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=18083
source bench/lib.sh

cat > "$work/signin.lua" <<LUA
wrk.method = "POST"
wrk.headers["Host"] = "bench.test"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"admin@bench.test","password":"$password"}'
LUA
hwm() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }
list=(-H "Host: bench.test" -H "Authorization: Bearer $token" "$base/api/v1/patients?limit=50")

machine
echo "resident memory peak before any burst: $(hwm) MB"
measure -t1 -c1 -d2s -s "$work/signin.lua" "$base/api/v1/auth/token" >/dev/null  # warm-up
alone=(); alone_p99=(); burst=(); burst_p99=(); quiet_p99=(); busy_p99=()
for round in 1 2 3; do
    read -r rps p99 bad < <(measure -t1 -c1 -d"${duration}s" -s "$work/signin.lua" "$base/api/v1/auth/token")
    alone+=("$rps"); alone_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to a lone sign-in"
    read -r rps p99 bad < <(measure -t1 -c4 -d"${duration}s" "${list[@]}"); quiet_p99+=("$p99")
    # Eight people signing in at once, while four clients read the patient list.
    measure -t1 -c8 -d"${duration}s" -s "$work/signin.lua" "$base/api/v1/auth/token" > "$work/burst" &
    burster=$!
    read -r rps p99 bad < <(measure -t1 -c4 -d"${duration}s" "${list[@]}"); busy_p99+=("$p99")
    while kill -0 "$burster" 2>/dev/null; do sleep 0.2; done
    read -r rps p99 bad < "$work/burst"
    burst+=("$rps"); burst_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers in the burst"
done
echo "one person signing in (POST /api/v1/auth/token, 1 connection): $(median "${alone[@]}") sign-ins/s (rounds: ${alone[*]}), p99 ms: ${alone_p99[*]}"
echo "eight signing in at once (8 connections): $(median "${burst[@]}") sign-ins/s (rounds: ${burst[*]}), p99 ms: ${burst_p99[*]}"
echo "patient list p99 ms, 4 connections, alone: ${quiet_p99[*]}; during the burst: ${busy_p99[*]}"
echo "resident memory peak after the bursts: $(hwm) MB"
