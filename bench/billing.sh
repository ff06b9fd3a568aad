#!/usr/bin/env bash
# ClinicBox billing benchmark (issue #33): the front desk's write path — make a draft of 5 price-list lines, issue
# it, take a payment for it (three durable transactions) — at 16 connections, against the commit rate of a bare
# SQLite insert loop (WAL, synchronous=FULL, one transaction per insert) on the same disk in the same run; and the
# statement of a patient with 200 invoices at 64 connections beside /healthz.
# Usage: bench/billing.sh [duration-seconds]   (prints a report; copy the figures into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=18087
source bench/lib.sh

sed -i 's/^features: .*/features: [patients, billing, reports]/' "$work/tenants/bench.yaml"
printf 'tax:\n  classes: {standard: 16, exempt: 0}\n  default_class: exempt\n  prices_include_tax: false\n' >> "$work/tenants/bench.yaml"
api() { curl -sf -H "Host: bench.test" -H "Authorization: Bearer $token" -H "Content-Type: application/json" "$@"; }
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: bench.test" -H "Authorization: Bearer $token" "$base/api/v1/invoices")" = 200 ]; do sleep 0.2; done
for code in CONS XRAY LAB1 LAB2 DRESS; do
    api -o /dev/null -d "{\"code\":\"$code\",\"name\":\"Service $code\",\"price\":$((1000 + RANDOM % 5000)),\"tax_class\":\"standard\"}" "$base/api/v1/billing/services"
done
# Patient 1's history: 200 issued invoices, half of them paid.
for i in $(seq 1 200); do
    id=$(api -d '{"patient_id":1,"lines":[{"service_code":"CONS"},{"service_code":"LAB1"}]}' "$base/api/v1/invoices" | sed 's/^{"id":\([0-9]*\).*/\1/')
    total=$(api -d '{"version":1}' "$base/api/v1/invoices/$id/issue" | sed 's/.*"total":\([0-9]*\).*/\1/')
    if [ $((i % 2)) = 0 ]; then api -o /dev/null -d "{\"patient_id\":1,\"method\":\"cash\",\"amount\":$total,\"invoices\":[$id]}" "$base/api/v1/payments"; fi
done
entries=$(api "$base/api/v1/patients/1/statement" | grep -o '"kind":' | wc -l)
echo "statement entries of patient 1: $entries"

# Each thread keeps a queue of what comes next: a new draft for patient 2..500, then its issue, then its payment.
cat > "$work/cycle.lua" <<'LUA'
local queue, last = {}, nil
request = function()
  local nextStep = table.remove(queue, 1)
  if nextStep == nil then
    last = "create"
    local body = string.format('{"patient_id":%d,"lines":[{"service_code":"CONS"},{"service_code":"XRAY"},{"service_code":"LAB1"},{"service_code":"LAB2","quantity":2},{"service_code":"DRESS"}]}', math.random(2, 500))
    return wrk.format("POST", "/api/v1/invoices", nil, body)
  end
  return wrk.format("POST", nextStep.path, nil, nextStep.body)
end
response = function(status, headers, body)
  local id = body:match('^{"id":(%d+)')
  if status == 201 and body:find('"status":"draft"') and id then
    table.insert(queue, {path = "/api/v1/invoices/" .. id .. "/issue", body = '{"version":1}'})
  elseif status == 200 and body:find('"status":"issued"') and id then
    local total = body:match('"total":(%d+)')
    local patient = body:match('"patient_id":(%d+)')
    table.insert(queue, {path = "/api/v1/payments", body = string.format('{"patient_id":%s,"method":"card","amount":%s,"invoices":[%s]}', patient, total, id)})
  end
end
LUA

count() { python3 -c "import sqlite3; print(sqlite3.connect('$work/data/bench.sqlite').execute(\"SELECT (SELECT count(*) FROM invoices WHERE status = 'paid'), (SELECT count(*) FROM payments)\").fetchone()[${1}])"; }

machine
wrk -t2 -c64 -d2s "$base/healthz" >/dev/null  # warm-up
auth=(-H "Host: bench.test" -H "Authorization: Bearer $token")
commits=(); writes=(); write_p99=(); cycles=(); health=(); statement=(); statement_p99=()
for round in 1 2 3; do
    commits+=("$(bare)")
    paid_before=$(count 0)
    read -r rps p99 bad < <(measure -t2 -c16 -d"${duration}s" -s "$work/cycle.lua" "${auth[@]}" -H "Content-Type: application/json" "$base/")
    writes+=("$rps"); write_p99+=("$p99")
    cycles+=("$(echo "scale=1; ($(count 0) - $paid_before) / $duration" | bc)")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the desk's writes"
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "$base/healthz"); health+=("$rps")
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "${auth[@]}" "$base/api/v1/patients/1/statement")
    statement+=("$rps"); statement_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the statement"
done
echo "bare SQLite insert loop (WAL, synchronous=FULL, 1 tx/insert): $(median "${commits[@]}") commits/s (rounds: ${commits[*]})"
echo "draft (5 lines) / issue / pay, 16 connections: $(median "${writes[@]}") durable writes/s (rounds: ${writes[*]}), p99 ms: ${write_p99[*]}"
echo "ratio writes/bare commits: $(echo "scale=3; $(median "${writes[@]}") / $(median "${commits[@]}")" | bc)"
echo "invoices made, issued and paid: $(median "${cycles[@]}") per second (rounds: ${cycles[*]})"
echo "GET /healthz, 64 connections: $(median "${health[@]}") req/s (rounds: ${health[*]})"
echo "GET /api/v1/patients/1/statement (200 invoices, 100 payments), 64 connections: $(median "${statement[@]}") req/s (rounds: ${statement[*]}), p99 ms: ${statement_p99[*]}"
echo "ratio statement/healthz: $(echo "scale=3; $(median "${statement[@]}") / $(median "${health[@]}")" | bc)"
echo "rows: $(count 0) invoices paid, $(count 1) payments"
