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

# Two-factor sign-in (issue #34): the same sign-in with a code from an app. A code works once per user and step, so
# each round signs in 60 users of their own (same password hash as the admin, a known TOTP secret), each with the
# code of the moment, beside a round of password-only sign-ins of the admin in the same run.
python3 - "$work/data/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for n in range(1, 181):
    db.execute("""INSERT INTO users (email, display_name, role, branches, active, password_hash, password_changed_at, created_at, updated_at,
                  totp_secret, totp_last_step)
                  SELECT ?, 'Bench two-factor', 'admin', '[]', 1, password_hash, password_changed_at, created_at, updated_at, ?, NULL
                  FROM users WHERE email = 'admin@bench.test'""", (f"otp{n}@bench.test", f"BENCHSECRET{n:019d}"))
db.commit()
PY
codes() {  # the Lua list of users $1..$2 with their codes now
    python3 - "$1" "$2" <<'PY'
import hashlib, hmac, struct, sys, time
step = int(time.time()) // 30
def code(n):
    mac = hmac.new(f"BENCHSECRET{n:019d}".encode(), struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[19] & 15
    return f"{(int.from_bytes(mac[o:o + 4], 'big') & 0x7FFFFFFF) % 1000000:06d}"
print("local users = {" + ", ".join(f'{{"otp{n}@bench.test", "{code(n)}"}}' for n in range(int(sys.argv[1]), int(sys.argv[2]) + 1)) + "}")
PY
}
plain=(); coded=()
for round in 0 1 2; do
    read -r rps p99 bad < <(measure -t1 -c1 -d"${duration}s" -s "$work/signin.lua" "$base/api/v1/auth/token"); plain+=("$rps")
    { codes $((round * 60 + 1)) $((round * 60 + 60)); cat <<LUA
local i = 0
request = function()
  i = i + 1
  local user = users[(i - 1) % #users + 1]
  return wrk.format("POST", nil, {["Host"] = "bench.test", ["Content-Type"] = "application/json"},
    string.format('{"email":"%s","password":"$password","code":"%s"}', user[1], user[2]))
end
LUA
    } > "$work/coded.lua"
    read -r rps p99 bad < <(measure -t1 -c1 -d"${duration}s" -s "$work/coded.lua" "$base/api/v1/auth/token"); coded+=("$rps")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to sign-ins with a code (more than 60 in a round, or a step passed)"
done
echo "password only, 1 connection: $(median "${plain[@]}") sign-ins/s (rounds: ${plain[*]})"
echo "password and code, 1 connection: $(median "${coded[@]}") sign-ins/s (rounds: ${coded[*]})"
echo "ratio with code / password only: $(echo "scale=3; $(median "${coded[@]}") / $(median "${plain[@]}")" | bc)"
