#!/usr/bin/env bash
# ClinicBox soak (issue #6): 100 tenants on one release server, a mixed load of 80 % reads and 20 % writes across
# patients, appointments, inventory and reports for 60 seconds (wrk, loopback), then throughput, p50/p99, the
# count of failed answers (must be 0) and the server's resident memory before and after (growth must stay < 10 %).
# Usage: bench/soak.sh [seconds] [tenants] [warm-up seconds]   (prints a report; copy the figures into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-60}
tenants=${2:-100}
warmup=${3:-60}
port=18083
source bench/prepare.sh
password="tidal lantern meadow 2026"
for i in $(seq -w 1 "$tenants"); do
    cat > "$work/tenants/soak-$i.yaml" <<YAML
id: soak-$i
name: Soak Clinic $i
domain: clinic
features: [patients, appointments, inventory, reports]
timezone: Europe/Berlin
currency: EUR
branches: [{code: main, name: Main}]
limits: {requests_per_minute: 1000000}
YAML
    echo "$password" | "$binary" user add --tenant "soak-$i" --email "admin@soak-$i.test" --role admin \
        --tenants "$work/tenants" --data "$work/data" >/dev/null
done

"$binary" serve --tenants "$work/tenants" --data "$work/data" --port "$port" --metrics-address "127.0.0.1:$((port + 1))" --log-level error &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.05; done
base="http://127.0.0.1:$port"

# One token per tenant, and a few patients and products for the reads to find.
echo "return {" > "$work/tokens.lua"
for i in $(seq -w 1 "$tenants"); do
    token=$(curl -sf -H "Content-Type: application/json" -d "{\"email\":\"admin@soak-$i.test\",\"password\":\"$password\"}" \
        "$base/t/soak-$i/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
    echo "  {id = \"soak-$i\", token = \"$token\"}," >> "$work/tokens.lua"
    for n in 1 2 3 4 5; do
        curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
            -d "{\"first_name\":\"Seed$n\",\"last_name\":\"Patient$n\",\"phone\":\"+49 30 555 $n\"}" "$base/t/soak-$i/api/v1/patients"
        curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
            -d "{\"sku\":\"SEED-$n\",\"name\":\"Seed product $n\",\"form\":\"tablet\"}" "$base/t/soak-$i/api/v1/inventory/products"
    done
done
echo "}" >> "$work/tokens.lua"

cat > "$work/soak.lua" <<LUA
local tenants = dofile("$work/tokens.lua")
local reads = {
  "/api/v1/patients?limit=20", "/api/v1/patients?q=Seed", "/api/v1/inventory/products?limit=20",
  "/api/v1/appointments?date=2026-12-01", "/api/v1/reports/stock-value", "/api/v1/tenant",
}
-- Each wrk thread has its own Lua state with the same random sequence: number the threads so SKUs never collide.
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
init = function() math.randomseed(os.time() * 100 + id) end
local counter = 0
request = function()
  counter = counter + 1
  local tenant = tenants[math.random(#tenants)]
  local headers = {["Authorization"] = "Bearer " .. tenant.token, ["Content-Type"] = "application/json"}
  local roll = math.random(100)
  if roll <= 10 then
    local body = string.format('{"first_name":"Soak","last_name":"P%d-%d","phone":"+49 30 555 0100"}', math.random(1, 1e9), counter)
    return wrk.format("POST", "/t/" .. tenant.id .. "/api/v1/patients", headers, body)
  elseif roll <= 20 then
    local body = string.format('{"sku":"S%d-%d-%d","name":"Soak product","form":"tablet"}', id, counter, math.random(1, 1e9))
    return wrk.format("POST", "/t/" .. tenant.id .. "/api/v1/inventory/products", headers, body)
  end
  return wrk.format("GET", "/t/" .. tenant.id .. reads[math.random(#reads)], headers)
end
LUA

rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%d)"
wrk -t2 -c32 -d"${warmup}s" -s "$work/soak.lua" "$base" >/dev/null  # warm-up: every tenant's database opened, caches filled
before=$(rss)
wrk --latency -t2 -c32 -d"${duration}s" -s "$work/soak.lua" "$base" > "$work/wrk.txt"
after=$(rss)
awk -v tenants="$tenants" -v duration="$duration" '
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2}
    /Non-2xx/ {bad = $5}
    /Socket errors/ {socket = $0}
    END {
        printf "%d tenants, 80%% reads / 20%% writes, 32 connections, %d s: %s req/s, p50 %s, p99 %s\n", tenants, duration, rps, p50, p99
        printf "failed answers (non-2xx): %d%s\n", bad, socket == "" ? ", socket errors: none" : ", " socket
    }' "$work/wrk.txt"
echo "resident memory: $before MB before, $after MB after ($(echo "scale=1; ($after - $before) * 100 / $before" | bc) %)"
# The server's own count, and any answer that was not 2xx by route and status (there should be none).
curl -sf "http://127.0.0.1:$((port + 1))/metrics" > "$work/metrics.txt"
echo "requests by the server's own count: $(awk '/^clinicbox_http_requests_total/ {n += $2} END {print n}' "$work/metrics.txt")"
grep '^clinicbox_http_requests_total' "$work/metrics.txt" | grep -v 'status="2' | sed -E 's/^[^{]*[{]tenant="[^"]*",//; s/[}] / /' \
    | awk '{n[$1] += $2} END {for (k in n) print "  not 2xx: " k " " n[k]}' || true
