#!/usr/bin/env bash
# ClinicBox foundation benchmark: start-up time, memory per tenant count, and what tenant resolution costs.
# Builds a release binary, generates tenant files, starts the real server on loopback and measures it with wrk.
# Usage: bench/run.sh [duration-seconds]   (prints a report; copy the figures into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=18080
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }

swift build -c release --product clinicbox >/dev/null
binary=.build/release/clinicbox
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

# Writes $1 tenant files, each with its own host name, into $work/tenants-$1.
generate() {
    local count=$1 folder="$work/tenants-$1"
    mkdir -p "$folder"
    for i in $(seq -w 1 "$count"); do
        cat > "$folder/tenant-$i.yaml" <<YAML
id: tenant-$i
name: Bench Clinic $i
domain: clinic
hosts: [tenant-$i.bench.test]
branding: {company_name: Bench Clinic $i, primary_color: "#1F5F8B", accent_color: "#E07A1F", logo: smile-dental.svg}
features: [patients, appointments, reports]
contact: {phone: "+1 555 0100", email: desk@tenant-$i.bench.test, address: $i Bench Street}
timezone: Europe/Berlin
currency: EUR
branches: [{code: main, name: Main}]
# wrk sends tens of thousands of requests a minute; the default limit (600) would answer most with 429.
limits: {requests_per_minute: 1000000}
YAML
    done
}

# Starts the server on $1 tenants; sets $seconds to the time until the first tenant-resolved 200.
start() {
    local count=$1 started now
    started=$(date +%s.%N)
    "$binary" serve --tenants "$work/tenants-$count" --data "$work/data" --assets Assets --port $port --metrics-address off --log-level error &
    server=$!
    until curl -sf -o /dev/null -H "Host: tenant-$(printf "%0${#count}d" 1).bench.test" "http://127.0.0.1:$port/api/v1/tenant"; do sleep 0.005; done
    now=$(date +%s.%N)
    seconds=$(echo "$now - $started" | bc)
}

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }

stop() { kill "$server"; wait "$server" 2>/dev/null || true; }

cat > "$work/hosts.lua" <<'LUA'
-- Each request names another of the 1,000 tenants by Host, so lookups are not all one cache line.
local i = 0
request = function()
  i = i % 1000 + 1
  return wrk.format("GET", "/api/v1/tenant", { Host = string.format("tenant-%04d.bench.test", i) })
end
LUA

rps() { wrk -t2 -c32 -d"${duration}s" "$@" | awk '/Requests\/sec/ {print $2}'; }

generate 1000
generate 10000

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%d)"

start 1000
echo "1,000 tenants: first tenant-resolved response after ${seconds} s"
rps -d2s "http://127.0.0.1:$port/healthz" >/dev/null  # warm-up, not reported
# Three alternating rounds; the medians are reported, since two cores are shared by wrk and the server.
health_runs=(); tenant_runs=()
for round in 1 2 3; do
    health_runs+=("$(rps "http://127.0.0.1:$port/healthz")")
    tenant_runs+=("$(rps -s "$work/hosts.lua" "http://127.0.0.1:$port/")")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
health=$(median "${health_runs[@]}")
tenant=$(median "${tenant_runs[@]}")
echo "1,000 tenants: resident memory $(rss_mb) MB after load"
echo "GET /healthz: ${health} requests/s (rounds: ${health_runs[*]})"
echo "GET /api/v1/tenant by Host (1,000 hosts in turn): ${tenant} requests/s (rounds: ${tenant_runs[*]})"
echo "ratio tenant/healthz: $(echo "scale=3; $tenant / $health" | bc)"
stop

start 10000
echo "10,000 tenants: first tenant-resolved response after ${seconds} s, resident memory $(rss_mb) MB"
# Idle cost of watching 10,000 files (one stat each per --reload-interval, default 1 s).
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(ticks); sleep 10; after=$(ticks)
echo "10,000 tenants idle: $(echo "scale=1; ($after - $before) * 100 / $(getconf CLK_TCK) / 10" | bc)% of one core spent polling tenants.d"

# Someone who knows no password fails to sign in at random tenants for 10 s, as fast as one client can: a
# request that cannot succeed must not create a database (or, later, a backup) for each tenant it names.
cat > "$work/guess.lua" <<'LUA'
math.randomseed(20261201)
request = function()
  local host = string.format("tenant-%05d.bench.test", math.random(1, 10000))
  return wrk.format("POST", "/api/v1/auth/token", { Host = host, ["Content-Type"] = "application/json" },
    '{"email":"admin@example.com","password":"a guessed passphrase"}')
end
LUA
files_before=$(find "$work/data" -type f 2>/dev/null | wc -l)
burst=$(wrk -t1 -c4 -d10s -s "$work/guess.lua" "http://127.0.0.1:$port/" | awk '/requests in/ {print $1} /Non-2xx/ {print $5}' | paste -sd' ')
files_after=$(find "$work/data" -type f 2>/dev/null | wc -l)
echo "10,000 tenants, anonymous burst of failed sign-ins at random tenants (requests, non-2xx): $burst; files in the data folder: $files_before before, $files_after after"
stop
[ "$files_after" -eq "$files_before" ] || { echo "FAIL: the anonymous burst created $((files_after - files_before)) files" >&2; exit 1; }
