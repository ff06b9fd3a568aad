#!/usr/bin/env bash
# The browser test: the real server with the example tenants, driven by headless Chromium (Tests/Browser/run.py).
# Installs Debian's chromium when it is missing. Screenshots go to .build/screenshots/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

swift build --product clinicbox >/dev/null
binary=$PWD/.build/debug/clinicbox
work=$(mktemp -d)
server=; demo_server=; browser=
trap 'kill $server $demo_server $browser 2>/dev/null || true; wait 2>/dev/null || true; sleep 0.5; rm -rf "$work" 2>/dev/null || true' EXIT
cp -r tenants.d "$work/tenants.d"
password="browser test passphrase 2026"

# axe-core, the accessibility rules engine, from PyPI (the package ships axe.min.js; its Playwright glue is not needed).
venv=${CLINICBOX_TEST_VENV:-$HOME/.cache/clinicbox-axe}
if [ ! -f "$venv/axe-4.12.1" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --no-deps axe-playwright-python==0.1.8
    touch "$venv/axe-4.12.1"
fi
axe=$("$venv/bin/python" -c 'import axe_playwright_python, os; print(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js"))')

# A fresh box: the server prints a one-time setup link per tenant, and the admins are made through them in Chromium.
port=$((20000 + RANDOM % 10000))
"$binary" serve --tenants "$work/tenants.d" --data "$work/data" --port "$port" --metrics-address off --log-level notice 2>"$work/server.log" &
server=$!
devtools=$((30000 + RANDOM % 10000))
chromium --headless=new --no-sandbox --disable-gpu --no-first-run --remote-debugging-port="$devtools" \
    --user-data-dir="$work/profile" about:blank >"$work/chromium.log" 2>&1 &
browser=$!
for _ in $(seq 1 200); do
    [ "$(grep -c 'has no admin yet: open ' "$work/server.log" || true)" -ge 3 ] && curl -sf -o /dev/null "http://127.0.0.1:$devtools/json/version" && break
    sleep 0.1
done
links=$(grep -o 'http://[^ ]*/setup?token=[^ ]*' "$work/server.log" | paste -sd, -)
[ "$(echo "$links" | tr ',' '\n' | grep -c setup)" -eq 3 ] || { echo "expected three setup links in the log:" >&2; cat "$work/server.log" >&2; exit 1; }
walk() {
    python3 Tests/Browser/run.py --devtools "http://127.0.0.1:$devtools" --password "$password" --screenshots "$PWD/.build/screenshots" --axe "$axe" "$@"
}
walk --phase setup --base "http://127.0.0.1:$port" --links "$links"
echo "$password" | "$binary" user add --tenant smile-dental --email dentist@smile-dental.test --role clinician --name "Dr Achieng Otieno" \
    --tenants "$work/tenants.d" --data "$work/data" >/dev/null

# Stock for the pharmacy's till, through the API as an integrator would put it there.
api="http://127.0.0.1:$port/t/greenleaf-pharmacy/api/v1"
token=$(curl -sf -H "Content-Type: application/json" -d "{\"email\":\"admin@greenleaf-pharmacy.test\",\"password\":\"$password\"}" "$api/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
product=$(curl -sf -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"sku":"5012345678900","name":"Paracetamol 500 mg","form":"tablet"}' "$api/inventory/products" | sed 's/^{"id":\([0-9]*\).*/\1/')
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"product_id\":$product,\"branch\":\"market-street\",\"batch_number\":\"PA-01\",\"expiry\":\"2030-06-30\",\"quantity\":40,\"cost_price\":120,\"selling_price\":350}" \
    "$api/inventory/batches"
# A patient with a prescription there, so the prescription's page has something to show.
patient=$(curl -sf -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"first_name":"Amara","last_name":"Okafor","date_of_birth":"1984-02-11"}' "$api/patients" | sed 's/^{"id":\([0-9]*\).*/\1/')
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"patient_id\":$patient,\"items\":[{\"medicine\":\"Paracetamol\",\"strength\":\"500 mg\",\"dose\":\"1 tablet\",\"route\":\"oral\",\"frequency\":\"up to 4 times a day\",\"duration\":\"4 days\",\"quantity\":16}]}" \
    "$api/prescriptions"

# A consultation at Riverside Health: a doctor and a receptionist, and a patient booked with the doctor early this
# morning (the API books a time that has passed as given), whom the receptionist checks in on the pages.
echo "$password" | "$binary" user add --tenant riverside-health --email doctor@riverside-health.test --role clinician --name "Dr Lena Fischer" \
    --tenants "$work/tenants.d" --data "$work/data" >/dev/null
echo "$password" | "$binary" user add --tenant riverside-health --email reception@riverside-health.test --role staff --name "Maria Schulz" \
    --tenants "$work/tenants.d" --data "$work/data" >/dev/null
api="http://127.0.0.1:$port/t/riverside-health/api/v1"
token=$(curl -sf -H "Content-Type: application/json" -d "{\"email\":\"admin@riverside-health.test\",\"password\":\"$password\"}" "$api/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
patient=$(curl -sf -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"first_name":"Jonas","last_name":"Weber","date_of_birth":"1971-05-02","sex":"male"}' "$api/patients" | sed 's/^{"id":\([0-9]*\).*/\1/')
today=$(TZ=Europe/Berlin date +%F)
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"patient_id\":$patient,\"practitioner_id\":2,\"branch\":\"main\",\"start\":\"${today}T00:05\",\"reason\":\"Cough and fever\"}" "$api/appointments"
# An issued invoice for him, from the price list, for the printed invoice.
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"code":"CONS","name":"General consultation","kind":"consultation","price":6000}' "$api/billing/services"
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"code":"ECG","name":"Resting ECG","price":3550}' "$api/billing/services"
invoice=$(curl -sf -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"patient_id\":$patient,\"branch\":\"main\",\"lines\":[{\"service_code\":\"CONS\"},{\"service_code\":\"ECG\"}]}" "$api/invoices" \
    | sed 's/^{"id":\([0-9]*\).*/\1/')
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" -d '{"version":1}' "$api/invoices/$invoice/issue"

walk --phase walk --base "http://127.0.0.1:$port"

# To look around: `clinicbox demo` fills a second data folder, and every tenant's dashboard shows a day's work.
demo_port=$((port + 1))
demo=$("$binary" demo --tenants "$work/tenants.d" --data "$work/demo-data")
demo_password=$(echo "$demo" | sed -n "s/^Every demo account's password: //p")
[ -n "$demo_password" ] || { echo "clinicbox demo printed no password:" >&2; echo "$demo" >&2; exit 1; }
"$binary" serve --tenants "$work/tenants.d" --data "$work/demo-data" --port "$demo_port" --metrics-address off --log-level warning &
demo_server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$demo_port/healthz"; do sleep 0.1; done
walk --phase demo --base "http://127.0.0.1:$demo_port" --demo-password "$demo_password"
