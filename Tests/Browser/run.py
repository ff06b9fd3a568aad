"""Drives headless Chromium through ClinicBox's pages, as clinic staff would, against the real server with the
example tenants: sign in, the dashboard, register a patient, find it by search, a phone-sized screen, and the
printouts (printed to PDF by Chromium and read back with poppler). Saves a
screenshot of each main page and fails on any console error, script error, refused resource or failed request.
Then every page it visited is opened again at 1280 and at 360 px and checked by axe-core against WCAG 2.1 A and
AA; any violation fails the test, and so does a page wider than a 360 px screen.

Usage: run.py --base http://127.0.0.1:PORT --devtools http://127.0.0.1:PORT --password P --screenshots DIR --axe axe.min.js
(Tests/Browser/run.sh starts the server and Chromium and calls this.)"""
import argparse
import base64
import hashlib
import hmac
import json
import re
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cdp import Session


class Page:
    def __init__(self, session, base, screenshots):
        self.session, self.base, self.screenshots = session, base, screenshots
        self.visited = []  # every page shown, in order, for the accessibility pass
        self.checked = 0  # pages `every_kind_of_page` read for unreadable values

    def open(self, path):
        self.open_url(self.base + path)

    def open_url(self, url, remember=True):
        mark = len(self.session.events)
        self.session.call("Page.navigate", url=url)
        self.session.wait_for("Page.loadEventFired", after=mark)
        if remember:
            self.remember()

    def remember(self):
        url = self.evaluate("location.href")
        if url not in self.visited and "/login" not in url and "/setup" not in url:
            self.visited.append(url)

    def evaluate(self, expression):
        result = self.session.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def reveal(self, selector):
        """Opens the closed `details` around a field or button as a person would, by clicking its summary
        ("Record an allergy"): the chart keeps its forms behind such buttons."""
        self.evaluate(f"""(() => {{ let e = document.querySelector({json.dumps(selector)});
            for (let d = e && e.closest('details:not([open])'); d; d = d.parentElement && d.parentElement.closest('details:not([open])')) d.querySelector('summary').click(); }})()""")

    def fill(self, selector, text):
        """Types into a text field as a person does (focus, then the characters)."""
        self.reveal(selector)
        self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.value = ''; }})()")
        self.session.call("Input.insertText", text=text)

    def set(self, selector, value):
        """Sets a date or a choice, whose pickers do not take typed text."""
        self.reveal(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).value = {json.dumps(value)}")

    def choose(self, selector, label):
        """Chooses the option a person reads, not its value."""
        found = self.evaluate(f"""(() => {{ const s = document.querySelector({json.dumps(selector)});
            const o = [...s.options].find(o => o.text === {json.dumps(label)}); if (o) s.value = o.value; return !!o; }})()""")
        expect(found, f"{selector} should offer {label!r}")

    def options(self, selector):
        return self.evaluate(f"[...document.querySelector({json.dumps(selector)}).options].map(o => o.text)")

    def press_enter(self):
        mark = len(self.session.events)
        for kind in ("keyDown", "keyUp"):
            self.session.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")
        self.session.wait_for("Page.loadEventFired", after=mark)
        self.remember()

    def click(self, selector):
        self.reveal(selector)
        mark = len(self.session.events)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self.session.wait_for("Page.loadEventFired", after=mark)
        self.remember()

    def tap(self, selector):
        """A real mouse click at the middle of an element, for what has no click() of its own (an SVG link)."""
        box = self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});
            const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        mark = len(self.session.events)
        for kind in ("mousePressed", "mouseReleased"):
            self.session.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        self.session.wait_for("Page.loadEventFired", after=mark)
        self.remember()

    def upload(self, selector, path):
        """Chooses a file in a file field, as the file picker would."""
        self.reveal(selector)
        root = self.session.call("DOM.getDocument")["root"]["nodeId"]
        node = self.session.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        self.session.call("DOM.setFileInputFiles", files=[path], nodeId=node)

    def text(self, selector="main"):
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText")

    @property
    def path(self):
        return self.evaluate("location.pathname + location.search")

    def screenshot(self, name):
        data = self.session.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(os.path.join(self.screenshots, name + ".png"), "wb") as file:
            file.write(base64.b64decode(data))


MILLIMETRE = 72 / 25.4  # PDF points


def printed(page, link, name, width, height=None, shows=()):
    """Follows a document's Print link and prints the printout as the browser's Print does (Chromium's own PDF, at
    the page's CSS size): it must be one page of the intended size (mm), show `shows`, and show nothing of the
    page around it. The PDF and a PNG of it are kept beside the screenshots."""
    page.click(link)
    result = page.session.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)
    pdf = os.path.join(page.screenshots, name + ".pdf")
    with open(pdf, "wb") as file:
        file.write(base64.b64decode(result["data"]))
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = tuple(float(n) for n in re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    expect(pages == 1, f"{name}: should print on one page, printed {pages}")
    expect(abs(size[0] - width * MILLIMETRE) < 1.5, f"{name}: should be {width} mm wide, is {size[0] / MILLIMETRE:.1f} mm")
    if height:
        expect(abs(size[1] - height * MILLIMETRE) < 1.5, f"{name}: should be {height} mm high, is {size[1] / MILLIMETRE:.1f} mm")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    for wanted in shows:
        expect(wanted in text, f"{name}: the printout should show {wanted!r}, got: {text[:600]}")
    for chrome in ("Sign out", "Administration", "Skip to content", "Print it with", "Home"):
        expect(chrome not in text, f"{name}: the printout shows the page's {chrome!r}: {text[:600]}")
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", pdf, os.path.join(page.screenshots, name)], check=True)
    page.session.call("Page.navigate", url="about:blank")  # off the printout, so no later step mistakes it for its page
    return text


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def problems(events):
    """Everything a person would see as broken: console errors, script errors, refused or failed requests."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"script error: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            found.append(f"console error: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"console: {params['entry'].get('text')} ({params['entry'].get('url', '')})")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            # A request the browser itself cancelled (the test navigated on while an image was loading) is no fault.
            found.append(f"request failed: {params.get('errorText')} (request {params.get('requestId')})")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            found.append(f"HTTP {params['response']['status']} for {params['response']['url']}")
    return found


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_problems(page, axe_source, width):
    """axe-core's WCAG 2.1 A/AA violations on the page shown, one line per rule and element."""
    page.evaluate(axe_source + "; true")
    result = page.session.call(
        "Runtime.evaluate", awaitPromise=True, returnByValue=True,
        expression=f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_21_AA)}}}, resultTypes: ['violations']}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(' '))})))",
    )
    if "exceptionDetails" in result:
        raise RuntimeError(f"axe failed on {page.path}: {result['exceptionDetails']}")
    return [f"{page.path} at {width} px: {v['id']} ({v['help']}): {', '.join(v['targets'][:5])}" for v in result["result"]["value"]]


def widest(page, width):
    """The innermost elements that reach past the screen's right edge, outside the scrolling regions."""
    return page.evaluate(f"""[...document.querySelectorAll('body *')]
        .filter(e => (e.getBoundingClientRect().right > {width} + 0.5 || e.scrollWidth > e.clientWidth + 1) && !e.closest('.table-wrap, pre'))
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > {width} + 0.5 || c.scrollWidth > c.clientWidth + 1))
        .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
            + ' ' + Math.round(e.getBoundingClientRect().right) + ' px').join(', ')""")


# What people should never read on a page: stored forms, codes and e-mails where words and names belong.
STORED_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ACTION_CODE = re.compile(r"\b(patients|visits|appointments|prescriptions|sales|inventory|treatments|reports|clinical|auth|user|audit|tenant)\.[a-z_]+\b")
STAFF_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.(test|demo)\b")  # the example tenants' staff; patients and clinics use example.com
UNSEPARATED_AMOUNT = re.compile(r"\b[A-Z]{3} -?\d{4,}")
# Pages where an e-mail is the thing shown: the user accounts, and the audit log's failed sign-ins and changed accounts.
EMAIL_PAGES = re.compile(r"/admin/(users|audit)|/login|/setup")


def unreadable_values(page):
    """Stored forms people should never see: a UTC timestamp (`2026-12-01T09:52:24Z`), an ISO date, an action code
    (`patients.chart_viewed`), a colleague's e-mail in place of their name, an amount of 1,000 or more without its
    separator, or amounts in cents."""
    text = page.evaluate("document.body.innerText")
    found = []
    checks = [("a stored timestamp", STORED_TIMESTAMP), ("an ISO date", ISO_DATE), ("an action code", ACTION_CODE), ("an amount without separators", UNSEPARATED_AMOUNT)]
    if not EMAIL_PAGES.search(page.path):
        checks.append(("an e-mail in place of a name", STAFF_EMAIL))
    for what, pattern in checks:
        match = pattern.search(text)
        if match:
            found.append(f"{page.path} shows {what}: {text[max(0, match.start() - 40):match.end() + 20]!r}")
    if "minor units" in text:
        found.append(f"{page.path} shows amounts in minor units")
    return found


def every_kind_of_page(page, tenant, limit=80):
    """Follows the links of a signed-in tenant's pages, one page of each kind (`/patients/7` stands for every
    patient), on a 390 px phone, and returns what `unreadable_values` finds on them, words broken inside table cells
    and pages wider than the phone. Links that act (sign out, downloads) are skipped."""
    width = 390
    page.session.call("Emulation.setDeviceMetricsOverride", width=width, height=844, deviceScaleFactor=2, mobile=True)
    seen, queue, found = set(), [f"/t/{tenant}/"], []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        kind = re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")
        if kind in seen:
            continue
        seen.add(kind)
        page.open_url(page.base + path, remember=False)
        found += unreadable_values(page)
        broken = page.evaluate(BROKEN_WORDS)
        if broken:
            found.append(f"{page.path} at {width} px breaks words inside table cells: {broken}")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            found.append(f"{page.path} is wider than a {width} px phone: {widest(page, width)}")
        page.checked += 1
        links = page.evaluate(f"""[...document.querySelectorAll('a[href^="/t/{tenant}/"]')].map(a => a.getAttribute('href'))""")
        queue += [link.split("#")[0] for link in links if not re.search(r"format=csv|/download|/export|/documents/\d+|signout|logout", link)]
    page.session.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
    return found


# Words in table cells split across two lines, other than at a hyphen, slash or dash (where flowing text may wrap:
# the lists keep a patient's number, `(P-000001)`, whole on their own).
BROKEN_WORDS = """(() => { const broken = [];
    for (const cell of document.querySelectorAll('td')) {
        if (cell.getBoundingClientRect().width === 0) continue;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('.visually-hidden')) continue;  // read aloud, never shown
            for (const match of node.textContent.matchAll(/[^\\s\\-\\/–]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index); range.setEnd(node, match.index + match[0].length);
                if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) broken.push(match[0]);
            }
        }
    }
    return broken.slice(0, 4).join(', '); })()"""


def audit(session, page, axe_source):
    """Every visited page again at a desktop and a phone width: axe, and nothing wider than the phone's screen."""
    found = []
    session.call("Page.setBypassCSP", enabled=True)  # axe is injected by the test, not served by the page
    # 320 px (a small phone, or 1280 px at 400 % zoom: WCAG 1.4.10) for the width alone.
    for width, height, scale, mobile in ((1280, 900, 1, False), (390, 844, 3, True), (360, 740, 2, True), (320, 640, 2, True)):
        session.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=scale, mobile=mobile)
        for path in list(page.visited):
            page.open_url(path)
            if width != 320:
                found += accessibility_problems(page, axe_source, width)
            if width == 1280:
                found += unreadable_values(page)
            if width == 390:
                broken = page.evaluate(BROKEN_WORDS)
                if broken:
                    found.append(f"{path} at {width} px breaks words inside table cells: {broken}")
            if width in (390, 360):
                # Buttons in a list's actions column stay on a phone's screen, not behind a sideways scroll.
                hidden = page.evaluate(f"[...document.querySelectorAll('.row-actions button')].filter(b => b.getBoundingClientRect().right > {width} + 0.5).map(b => b.textContent).slice(0, 3).join(', ')")
                if hidden:
                    found.append(f"{path} at {width} px has action buttons off the screen: {hidden}")
            if mobile:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    found.append(f"{path} is {scroll} px wide on a {width} px screen: {widest(page, width)}")
    session.call("Page.setBypassCSP", enabled=False)
    return found


def sign_in(page, tenant, password, email=None):
    page.open(f"/t/{tenant}/patients")
    expect(page.path.startswith(f"/t/{tenant}/login?next="), f"{tenant}: a page needing sign-in should lead to the login page, got {page.path}")
    page.screenshot(f"{tenant}-login")
    page.fill("#email", email or f"admin@{tenant}.test")
    page.fill("#password", password)
    page.click("main button[type=submit]")
    expect(page.path == f"/t/{tenant}/patients", f"{tenant}: after sign-in the patients page should open, got {page.path}")


def totp(secret, at):
    """RFC 6238 (SHA-1, 6 digits, 30 s) as an authenticator app computes it from the base32 secret it scanned."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, (int(at) // 30).to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[19] & 15
    return f"{(int.from_bytes(mac[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1000000:06d}"


def two_factor(page, options):
    """Riverside's doctor turns on two-factor sign-in the way a phone does it — the QR code read from a screenshot
    of the page by zbarimg — and signs in again with the password and a code computed from what was scanned."""
    tenant = "riverside-health"
    sign_out(page, tenant)
    sign_in(page, tenant, options.password, email=f"doctor@{tenant}.test")
    page.open(f"/t/{tenant}/")
    page.click("main a[href$='/account/two-factor']")
    page.click("main form button[type=submit]")  # Set up two-factor sign-in
    page.screenshot("riverside-health-two-factor-enrolment")
    scanned = subprocess.run(["zbarimg", "--raw", "-q", os.path.join(page.screenshots, "riverside-health-two-factor-enrolment.png")],
                             capture_output=True, text=True).stdout.strip()
    expect(scanned.startswith("otpauth://totp/") and "secret=" in scanned, f"zbarimg should read the enrolment QR code, got {scanned!r}")
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(scanned).query)["secret"][0]
    expect(secret[:4] in page.text(), "the page should also show the key to type")
    now = time.time()
    page.fill("#code", totp(secret, now))
    page.click("main form button[type=submit]")
    expect("Two-factor sign-in is on" in page.text() and page.evaluate("document.querySelectorAll('ul.recovery-codes li').length") == 10,
           f"the first code should turn it on and show ten recovery codes, got: {page.text()[:500]}")
    page.screenshot("riverside-health-two-factor-recovery-codes")
    sign_out(page, tenant)
    page.open(f"/t/{tenant}/patients")
    page.fill("#email", f"doctor@{tenant}.test")
    page.fill("#password", options.password)
    page.click("main button[type=submit]")
    expect(page.path == f"/t/{tenant}/login/code", f"after the password the code should be asked for, got {page.path}")
    page.screenshot("riverside-health-sign-in-code")
    page.fill("#code", totp(secret, now + 30))  # the next step's code: the first one is used up
    page.click("main button[type=submit]")
    expect(page.path == f"/t/{tenant}/patients", f"after the code the page asked for should open, got {page.path}")


def forgive(session, mark, path):
    """Drops the events since `mark` that report the answer to `path`: a refusal the test asked for."""
    session.events[mark:] = [e for e in session.events[mark:] if path not in json.dumps(e.get("params", {}))]


def sign_out(page, tenant):
    page.open(f"/t/{tenant}/")
    page.click("form.signout button[type=submit]")


def consultation(page, session, options):
    """A GP's consultation at Riverside Health, from the desk's check-in to a signed visit with an addendum; the desk
    then sees the chart's header and the appointment, not the notes, and the admin sees who opened the chart."""
    tenant = "riverside-health"
    sign_out(page, tenant)
    sign_in(page, tenant, options.password, email=f"reception@{tenant}.test")
    page.open(f"/t/{tenant}/appointments")
    expect("Weber" in page.text(), "the desk should see this morning's appointment")
    page.click("form:has(input[name=status][value=checked_in]) button[type=submit]")
    expect("checked in" in page.text(), f"checking in should say so, got: {page.text()[:300]}")

    sign_out(page, tenant)
    sign_in(page, tenant, options.password, email=f"doctor@{tenant}.test")
    page.open(f"/t/{tenant}/visits")
    expect("Jonas Weber" in page.text(), "the doctor's waiting list should show the checked-in patient")
    page.screenshot(f"{tenant}-visits-waiting")
    page.click("main a[href*='/visits/new?appointment=']")
    page.fill("#temperature", "57")
    page.fill("#subjective", "Cough and fever for four days.")
    mark = len(session.events)
    page.click("main form button[type=submit]")
    forgive(session, mark, f"/t/{tenant}/visits")  # the refused form answers 422, which Chromium reports on the console
    expect("57 °C is outside 25–45 °C" in page.text(), f"an impossible temperature should be refused with the range, got: {page.text()[:400]}")
    expect(page.evaluate("document.querySelector('#subjective').value") == "Cough and fever for four days.", "the notes typed should still be there")
    page.screenshot(f"{tenant}-visit-refused")
    page.fill("#temperature", "38.4")
    page.fill("#pulse", "96")
    page.fill("#assessment", "Community-acquired pneumonia, mild.")
    page.fill("#diagnosis_0", "Pneumonia, unspecified")
    page.fill("#diagnosis_code_0", "J18.9")
    page.click("main form button[type=submit]")
    visit = page.path.split("?")[0]
    expect("38.4 °C" in page.text() and "Pneumonia, unspecified (J18.9)" in page.text(), f"the visit should show its vitals and diagnosis, got: {page.text()[:400]}")
    page.click("main a[href$='/sign']")
    page.click("main form button[type=submit]")
    expect("Signed by Dr Lena Fischer" in page.text(), f"signing should say who signed, got: {page.text()[:300]}")
    expect(page.evaluate("document.querySelector(\"main a[href$='/edit']\") === null"), "a signed visit should offer no Edit")
    mark = len(session.events)
    page.open(visit + "/edit")
    expect("can no longer change" in page.text(), "editing a signed visit should be refused")
    forgive(session, mark, visit + "/edit")  # 409
    if options.base + visit + "/edit" in page.visited:
        page.visited.remove(options.base + visit + "/edit")
    page.open(visit)
    page.fill("#text", "Chest X-ray: right lower lobe consolidation.")
    page.click("form#addendum button[type=submit]")
    expect("Chest X-ray: right lower lobe consolidation." in page.text() and "Dr Lena Fischer," in page.text(), "the addendum should be appended with its author")
    page.screenshot(f"{tenant}-visit-signed")
    chart_path = page.evaluate("document.querySelector(\"main a[href*='/patients/']\").getAttribute('href')")
    page.open(chart_path)
    chart = page.text()
    expect("Visit V-000001" in chart and "Pneumonia, unspecified" in chart, "the doctor's chart timeline should show the visit")
    expect("38.4 °C" in page.text("section[aria-labelledby=panel-vitals-title]"), "the chart's last vitals should show the visit's temperature")
    # A scan filed from the chart: a PNG named .pdf is filed as what its bytes are, and shown on the chart.
    scan = os.path.join(page.screenshots, "chest-x-ray.pdf")
    shutil.copyfile(os.path.join(page.screenshots, f"{tenant}-visit-signed.png"), scan)
    page.fill("#document-title", "Chest X-ray")
    page.upload("#document-file", scan)
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    documents = page.text("section[aria-labelledby=documents-title]")
    expect("Chest X-ray" in documents and "PNG" in documents, f"the filed scan should be listed as a PNG, got: {documents[:300]}")
    expect(page.evaluate("document.querySelector('ul.documents img').complete && document.querySelector('ul.documents img').naturalWidth > 0"),
           "the image should show on the chart (the Content-Security-Policy allows it)")
    page.screenshot(f"{tenant}-chart-doctor")

    sign_out(page, tenant)
    sign_in(page, tenant, options.password, email=f"reception@{tenant}.test")
    page.open(chart_path)
    chart = page.text()
    expect("Allergies not recorded." in chart and "Appointment" in chart, "the desk should see the allergy banner and the appointment")
    expect("Visit V-000001" not in chart and "Pneumonia" not in chart, "the desk should not see the visit or its diagnosis")
    expect("Chest X-ray" not in chart and "Last vitals" not in chart, "the desk should not see the clinical scan or the vitals")
    page.screenshot(f"{tenant}-chart-reception")
    token = json.load(urllib.request.urlopen(urllib.request.Request(
        f"{options.base}/t/{tenant}/api/v1/auth/token", data=json.dumps({"email": f"reception@{tenant}.test", "password": options.password}).encode(),
        headers={"Content-Type": "application/json"})))["token"]
    try:
        urllib.request.urlopen(urllib.request.Request(f"{options.base}/t/{tenant}/api/v1/visits/1", headers={"Authorization": f"Bearer {token}"}))
        expect(False, "the desk's API token should not read the visit")
    except urllib.error.HTTPError as refused:
        expect(refused.code == 403, f"the desk reading the visit through the API should be 403, got {refused.code}")

    sign_out(page, tenant)
    sign_in(page, tenant, options.password)
    page.open(chart_path)
    views = page.text("section[aria-labelledby=views-title]")
    expect("Dr Lena Fischer" in views and "Maria Schulz" in views and "@" not in views, f"the admin should see both chart views by name, got: {views}")
    page.screenshot(f"{tenant}-chart-admin")


def main():
    arguments = argparse.ArgumentParser()
    for option in ("--base", "--devtools", "--password", "--screenshots", "--axe"):
        arguments.add_argument(option, required=True)
    arguments.add_argument("--phase", choices=("setup", "walk", "demo"), required=True)
    arguments.add_argument("--links", help="the setup links the server printed, comma-separated (phase setup)")
    arguments.add_argument("--demo-password", help="what `clinicbox demo` printed (phase demo)")
    options = arguments.parse_args()
    os.makedirs(options.screenshots, exist_ok=True)

    targets = json.load(urllib.request.urlopen(options.devtools + "/json/list"))
    session = Session(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
    for domain in ("Page", "Runtime", "Log", "Network"):
        session.call(f"{domain}.enable")
    session.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
    page = Page(session, options.base, options.screenshots)
    with open(options.axe) as file:
        axe_source = file.read()
    found = []
    if options.phase == "setup":
        found += set_up_admins(page, options.links.split(","), options.password, axe_source)
    elif options.phase == "demo":
        found += look_around(page, options.demo_password)
    else:
        walk(page, session, options)
    visited = len(page.visited)
    found += problems(session.events) + audit(session, page, axe_source)
    if found:
        print("\n".join(found), file=sys.stderr)
        sys.exit(1)
    print(f"browser test, {options.phase}: passed; axe found no WCAG 2.1 A/AA violation on {visited} pages at 1280, 390 and 360 px, none wider than 320 px, no word broken in a table cell at 390 px{f'; {page.checked} more kinds of page read at 390 px for codes, ISO dates, e-mails, amounts and broken words' if page.checked else ''}; screenshots in {options.screenshots}")


def set_up_admins(page, links, password, axe_source):
    """Each tenant's first admin, made through the link the server printed, as a newcomer would."""
    found = []
    for link in links:
        origin, tenant = link.split("/setup")[0], re.match(r"http://([a-z0-9-]+)\.", link).group(1)
        page.open_url(origin + "/login", remember=False)
        notice = page.text()
        expect("this clinic has no admin" in notice and f"{tenant} has no admin yet: open" in notice, f"{tenant}: the sign-in page should say there is no admin and where the link is, got: {notice[:400]}")
        page.screenshot(f"{tenant}-login-no-admin")
        page.open_url(link, remember=False)
        expect("Create the first admin" in page.text(), f"{tenant}: the setup link should open the form, got: {page.text()[:300]}")
        found += accessibility_problems(page, axe_source, 1280)
        page.screenshot(f"{tenant}-setup")
        page.fill("#display_name", "Practice Admin")
        page.fill("#email", f"admin@{tenant}.test")
        page.fill("#password", password)
        page.fill("#password_again", password + " typo")
        page.click("main button[type=submit]")
        form = page.text()
        expect("the two passwords differ" in form and page.evaluate("document.querySelector('#email').value") == f"admin@{tenant}.test", f"{tenant}: a mistyped password should be named beside the field, the email kept: {form[:400]}")
        page.fill("#password", password)
        page.fill("#password_again", password)
        page.click("main button[type=submit]")
        expect(page.path == "/" and "Today" in page.text() and "Practice Admin" in page.text("header"), f"{tenant}: after setup the admin should be signed in on the dashboard, got {page.path}: {page.text()[:300]}")
        page.screenshot(f"{tenant}-after-setup")
        page.open_url(link, remember=False)
        expect("has an admin already" in page.text(), f"{tenant}: the link should not work twice, got: {page.text()[:300]}")
    # Answers the setup pages give on purpose (the refused link's 404, the mistyped password's 422) are not faults.
    page.session.events[:] = [e for e in page.session.events if "/setup" not in e.get("params", {}).get("response", {}).get("url", "") + e.get("params", {}).get("entry", {}).get("url", "")]
    return found


def look_around(page, password):
    """After `clinicbox demo`: each tenant's dashboard and main list hold a day's records, and no kind of page the
    owner reaches shows a code, an ISO date, a colleague's e-mail or an unseparated amount."""
    found = []
    for tenant in ("smile-dental", "greenleaf-pharmacy", "riverside-health"):
        sign_in(page, tenant, password, f"owner@{tenant}.demo")
        found += every_kind_of_page(page, tenant)
        sign_out(page, tenant)
    for tenant, email, path, name in (
        ("smile-dental", "reception@smile-dental.demo", "/appointments", "smile-dental-demo-appointments"),
        ("greenleaf-pharmacy", "pharmacist@greenleaf-pharmacy.demo", "/prescriptions", "greenleaf-pharmacy-demo-prescriptions"),
        ("riverside-health", "doctor@riverside-health.demo", "/appointments", "riverside-health-demo-appointments"),
    ):
        sign_in(page, tenant, password, email)
        page.open(f"/t/{tenant}/")
        rows = page.evaluate("document.querySelectorAll('main tbody tr, main li').length")
        expect(rows >= 8, f"{tenant}: the dashboard after demo should list the day's records, found {rows}: {page.text()[:500]}")
        page.screenshot(f"{tenant}-demo-dashboard")
        page.open(f"/t/{tenant}{path}")
        listed = page.evaluate("document.querySelectorAll('main tbody tr').length")
        expect(listed >= 3, f"{tenant}: {path} after demo should list records, found {listed}: {page.text()[:400]}")
        page.screenshot(name)
    on_a_phone(page, "riverside-health")  # signed in as its doctor, the loop's last
    return found


def on_a_phone(page, tenant):
    """At 390 px: the day list keeps time, patient, practitioner and the buttons on screen as stacked cards, and a
    chart with a year of visits shows the record first, its forms behind buttons, the timeline within two screens."""
    width, height = 390, 844
    page.session.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=2, mobile=True)
    page.open(f"/t/{tenant}/appointments")
    unreadable = page.evaluate(f"""[...document.querySelectorAll('main tbody tr')].flatMap(row =>
        ['Time', 'Patient', 'Practitioner'].map(label => row.querySelector(`td[data-label="${{label}}"]`))
            .concat([...row.querySelectorAll('.row-actions button, .row-actions a')])
            .filter(cell => !cell || cell.getBoundingClientRect().width === 0 || cell.getBoundingClientRect().right > {width} + 0.5)
            .map(cell => row.id + ': ' + (cell ? cell.textContent.trim() : 'a missing cell'))).slice(0, 4).join('; ')""")
    expect(not unreadable, f"the day list at {width} px should keep time, patient, practitioner and actions on screen: {unreadable}")
    expect(page.evaluate("getComputedStyle(document.querySelector('main tbody tr')).display") == "block", "the day list's rows should be stacked cards on a phone")
    page.screenshot(f"{tenant}-day-390px")
    page.open(f"/t/{tenant}/patients/1")
    timeline = page.evaluate("Math.round(document.querySelector('#timeline-title').getBoundingClientRect().top + scrollY)")
    total = page.evaluate("document.documentElement.scrollHeight")
    expect(page.evaluate("document.querySelectorAll('details.form-toggle[open]').length") == 0, "the chart's forms should wait behind their buttons")
    expect(timeline <= 2 * height, f"the chart's timeline should start within two phone screens, at {timeline} px of {total}")
    page.screenshot(f"{tenant}-chart-390px")
    print(f"at {width} px: the chart of P-000001 is {total / height:.1f} screens, its timeline starts at {timeline / height:.1f}")
    page.session.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)


def walk(page, session, options):
    """The day of the example tenants' staff, on the server whose admins were just set up."""
    for tenant in ("smile-dental", "greenleaf-pharmacy", "riverside-health"):
        sign_in(page, tenant, options.password)
        page.open(f"/t/{tenant}/")
        expect("Today" in page.text(), f"{tenant}: the dashboard should open")
        page.screenshot(f"{tenant}-dashboard")
        page.open(f"/t/{tenant}/patients")
        page.screenshot(f"{tenant}-patients")

    # A receptionist at Smile Dental registers a patient and finds her again.
    page.open("/t/smile-dental/patients/new")
    page.fill("#first_name", "Wanjiru")
    page.fill("#last_name", "Kamau")
    page.set("#date_of_birth", "1990-04-17")
    page.set("#sex", "female")
    page.fill("#phone", "+254 712 345 678")
    page.screenshot("smile-dental-patient-form")
    page.click("main button[type=submit]")
    expect(page.path.endswith("?saved=1"), f"saving should show the patient, got {page.path}")
    detail = page.text()
    expect("Wanjiru Kamau" in detail and "Allergies not recorded." in detail and "Saved." in detail, f"the saved patient's chart should be shown, got: {detail[:300]}")
    # Her allergy goes on the chart as an entry of its own, and the banner turns red for a severe one.
    page.fill("#substance", "Penicillin")
    page.fill("#reaction", "swollen lips")
    page.set("#severity", "severe")
    page.click("form[action$='/allergies'] button[type=submit]")
    detail = page.text()
    expect("Penicillin — severe: swollen lips" in detail, f"the allergy banner should name the allergy, got: {detail[:400]}")
    expect(page.evaluate("document.querySelectorAll('.allergy-banner.severe').length") == 1, "a severe allergy should make the banner red")
    page.screenshot("smile-dental-patient")

    page.open("/t/smile-dental/patients")
    page.fill("#q", "kamau")
    page.press_enter()
    expect("Kamau, Wanjiru" in page.text(), "searching by name should find the patient")
    page.fill("#q", "712 345")
    page.press_enter()
    expect("Kamau, Wanjiru" in page.text(), "searching by phone digits should find the patient")

    # The receptionist books Wanjiru in with the dentist by typing her name and choosing her from the matches,
    # then checks her in when she arrives.
    # Tomorrow, so that no time has passed (booking one that has asks first).
    day_after = datetime.now(ZoneInfo("Africa/Nairobi")).date() + timedelta(days=1)
    tomorrow, readable_tomorrow = day_after.isoformat(), f"{day_after.day} {day_after.strftime('%b')} {day_after.year}"
    page.open("/t/smile-dental/appointments/new")
    page.fill("#patient", "wanjiru kamau")
    expect(page.options("#practitioner_id")[1:] == ["Dr Achieng Otieno"], f"only the dentist should be offered, not the admin: {page.options('#practitioner_id')}")
    page.choose("#practitioner_id", "Dr Achieng Otieno")
    page.set("#branch", "ngong-road")
    page.set("#start", f"{tomorrow}T09:30")
    page.set("#duration_minutes", "30")
    page.fill("#reason", "Check-up and cleaning")
    page.screenshot("smile-dental-appointment-form")
    page.click("main button[type=submit]")
    choice = page.text()
    expect("Is this the patient?" in choice and "Wanjiru Kamau" in choice and "P-000001" in choice, f"the name should offer the patient, got: {choice[:400]}")
    expect(page.evaluate("document.querySelector('#reason').value") == "Check-up and cleaning", "the rest of the form should be kept")
    page.screenshot("smile-dental-appointment-choose-patient")
    page.evaluate("document.querySelector('main input[name=patient_id]').checked = true")
    page.click("main button[type=submit]")
    expect(page.path.startswith(f"/t/smile-dental/appointments?date={tomorrow}"), f"booking should show the day, got {page.path}")
    day = page.text()
    expect("Appointment booked." in day and "Wanjiru Kamau (P-000001)" in day and "09:30 (30 min)" in day, f"the booking should be listed, got: {day[:400]}")
    page.click("main form[action$='/status'] button")
    expect("checked in" in page.text(), "checking in should show the new status")
    page.screenshot("smile-dental-appointments")

    # A second visit that afternoon is called off: cancelling asks first, with a reason, and can be undone.
    page.open("/t/smile-dental/appointments/new?patient=P-000001")
    page.choose("#practitioner_id", "Dr Achieng Otieno")
    page.set("#branch", "ngong-road")
    page.set("#start", f"{tomorrow}T15:00")
    page.click("main button[type=submit]")
    page.click("main tbody tr:last-child a[href$='/cancel']")  # the 15:00 row, the day's last
    question = page.text()
    expect(f"Cancel the appointment of Wanjiru Kamau (P-000001) on {readable_tomorrow}, 15:00?" in question, f"cancelling should ask first, got: {question[:300]}")
    page.fill("#cancel_reason", "The patient rang to call it off")
    page.screenshot("smile-dental-cancel-appointment")
    page.click("main button[type=submit]")
    day = page.text()
    expect("15:00: cancelled." in day and "Restore" in day, f"the day should show the cancellation and offer Restore, got: {day[:400]}")

    # A cashier at Greenleaf sells two packs, one with the barcode scanner (it types the code and Enter), one by
    # its name, and takes cash.
    page.open("/t/greenleaf-pharmacy/sales")
    # The SKU box asks for the focus; whether a headless window grants it at once depends on timing, so wait a little.
    expect(page.evaluate("document.querySelector('#scan').autofocus"), "the SKU box should ask for the focus")
    for _ in range(30):
        if page.evaluate("document.activeElement.id") == "scan":
            break
        time.sleep(0.1)
    page.fill("#scan", "5012345678900")
    page.press_enter()
    # The second pack by name: the till offers the products whose name starts so, and a press adds one.
    page.fill("#scan", "paracet")
    page.press_enter()
    expect("Paracetamol 500 mg tablet" in page.text("#matches"), f"typing a name should offer the product, got: {page.text()[:400]}")
    page.screenshot("greenleaf-pharmacy-till-by-name")
    page.click("#matches button[name=pick]")
    expect("GBP 7.00" in page.text("#total"), f"two packs at 3.50 should total 7.00, got {page.text('#total')}")
    page.fill("#cash", "10")
    page.screenshot("greenleaf-pharmacy-till")
    page.press_enter()  # Enter in the cash box completes the sale
    receipt = page.text()
    expect("Sale completed." in receipt and "2 × Paracetamol 500 mg" in receipt and "GBP 3.00" in receipt, f"the receipt should show the sale and the change, got: {receipt[:500]}")
    page.screenshot("greenleaf-pharmacy-receipt")
    printed(page, "main a[href$='/print']", "greenleaf-pharmacy-print-till-receipt", 80,
            shows=("Greenleaf", "GB123456789", "2 × Paracetamol 500 mg", "TOTAL", "GBP 7.00"))
    page.open("/t/greenleaf-pharmacy/inventory?q=5012345678900")
    expect("Paracetamol 500 mg" in page.text() and "38" in page.text("tbody"), "the stock page should show 40 − 2 packs")
    page.screenshot("greenleaf-pharmacy-stock")

    # Every module's main page opens cleanly at the tenants that have it.
    for path, text, name in (
        ("/t/smile-dental/treatments?patient=P-000001", "Wanjiru Kamau", "smile-dental-treatments"),
        ("/t/smile-dental/inventory", "Stock", "smile-dental-stock"),
        ("/t/smile-dental/reports", "Reports", "smile-dental-reports"),
        ("/t/smile-dental/billing/claims", "Claims", "smile-dental-claims"),
        ("/t/smile-dental/billing/patients/1/statement", "Insurance and other payers", "smile-dental-statement"),
        ("/t/riverside-health/prescriptions", "Prescriptions", "riverside-health-prescriptions"),
        ("/t/riverside-health/prescriptions/new", "New prescription", "riverside-health-prescription-form"),
        ("/t/greenleaf-pharmacy/reports/sales-per-day", "Sales per day", "greenleaf-pharmacy-sales-report"),
    ):
        page.open(path)
        expect(text in page.text(), f"{path} should show {text!r}")
        page.screenshot(name)

    # The dentist's chart of Wanjiru: the odontogram, whose tooth 36 opens the plan to add a filling on its surfaces.
    page.open("/t/smile-dental/patients/1")
    expect("Tooth 36: nothing recorded" in page.evaluate("document.querySelector('figure.odontogram').innerHTML"), "the chart should draw tooth 36")
    page.tap("figure.odontogram a[href$='tooth=36#add']")
    expect(page.path.startswith("/t/smile-dental/treatments?patient=P-000001&tooth=36"), f"a tooth should open the plan for it, got {page.path}")
    expect(page.evaluate("document.querySelector('#tooth').value") == "36", "the tooth chosen on the chart should be filled in")
    page.choose("#procedure_code", "Composite filling, two or more surfaces (KES 6,500.00)")
    page.fill("#surfaces", "om")
    page.click("main form[method=post] button[type=submit]")
    plan = page.text()
    expect("Composite filling, two or more surfaces" in plan and "KES 6,500.00" in plan and "MO" in plan, f"the filling should be planned at the list's fee, got: {plan[:500]}")
    page.open("/t/smile-dental/patients/1")
    expect("Tooth 36: Composite filling, two or more surfaces (mesial, occlusal) planned" in page.evaluate("document.querySelector('figure.odontogram').innerHTML"),
           "the chart should show the planned filling on tooth 36")
    page.evaluate("document.querySelector('#panel-teeth-title').scrollIntoView()")
    page.screenshot("smile-dental-odontogram")

    # The pharmacist's day: the prescription, the controlled drugs register, a batch, the sales history.
    page.open("/t/greenleaf-pharmacy/prescriptions")
    page.click("main tbody a")
    expect("Paracetamol" in page.text(), "the prescription's page should list its medicine")
    prescription = page.path
    # It is handed out with the barcode's SKU, then its label and the prescription itself are printed.
    page.fill("#sku_0", "5012345678900")
    page.fill("#quantity_0", "16")
    page.click("main form[action$='/dispense'] button[type=submit]")
    expect("Dispensed." in page.text() and "Print label" in page.text(), f"the prescription should be dispensed, got: {page.text()[:600]}")
    page.screenshot("greenleaf-pharmacy-dispensed")
    printed(page, "main a[href$='/label']", "greenleaf-pharmacy-print-label", 70, 36,
            shows=("Amara Okafor", "Paracetamol 500 mg", "1 tablet · by mouth", "Qty 16", "Greenleaf"))
    page.open(prescription)
    printed(page, "main a[href$='/print']", "greenleaf-pharmacy-print-prescription", 210, 297,
            shows=("Prescription RX-000001", "Amara Okafor", "Paracetamol", "mouth", "4 days", "Signature"))
    for path in ("/t/greenleaf-pharmacy/inventory/register", "/t/greenleaf-pharmacy/inventory/batches/1", "/t/greenleaf-pharmacy/sales/history",
                 "/t/greenleaf-pharmacy/reports/stock-value", "/t/smile-dental/reports/appointments-per-day"):
        page.open(path)
        expect(page.evaluate("document.querySelector('main h1') !== null"), f"{path} should open")

    # The practice manager's administration: users and the audit log.
    page.open("/t/smile-dental/")
    page.click("a[href='/t/smile-dental/admin']")
    page.click("a[href='/t/smile-dental/admin/users']")
    expect("admin@smile-dental.test" in page.text(), "the users page should list the admin")
    page.screenshot("smile-dental-admin-users")
    page.open("/t/smile-dental/admin/audit?action=patients.create")
    expect("registered Wanjiru Kamau (P-" in page.text("main tbody"), "the audit log should say who registered the patient, by name")
    page.screenshot("smile-dental-admin-audit")
    for path in ("/t/smile-dental/admin/users/new", "/t/smile-dental/admin/users/1/edit", "/t/smile-dental/admin/settings", "/t/smile-dental/admin/api-keys",
                 "/t/smile-dental/appointments/1", "/t/smile-dental/patients/1/edit"):
        page.open(path)
        expect(page.evaluate("document.querySelector('main h1') !== null"), f"{path} should open")

    # A page that does not exist: a readable error page, styled by the same stylesheet (no CSP violation).
    mark = len(session.events)
    page.open("/t/smile-dental/patients/999999")
    expect("There is no patient with that id." in page.text("main"), "a missing patient should say so")
    missing = options.base + "/t/smile-dental/patients/999999"

    def expected(event):  # the page's own 404, which Chromium also reports on the console
        params = event.get("params", {})
        return params.get("response", {}).get("url") == missing or params.get("entry", {}).get("url") == missing

    expect(any(expected(e) and e.get("method") == "Network.responseReceived" and e["params"]["response"]["status"] == 404 for e in session.events[mark:]), "the missing patient should answer 404")
    session.events[mark:] = [e for e in session.events[mark:] if not expected(e)]

    consultation(page, session, options)

    # Riverside's issued invoice on A4, with the practice's letterhead.
    page.open("/t/riverside-health/billing")
    page.click("main tbody a")
    printed(page, "main a[href$='/print']", "riverside-health-print-invoice", 210, 297,
            shows=("Riverside Health", "Uferstraße 5, Berlin", "Invoice INV-", "Jonas Weber", "Resting ECG", "EUR 95.50"))
    # It is paid with a 100 note; the 4.50 over is the patient's credit, paid back in cash from the payment's page
    # with its own printed slip.
    page.open("/t/riverside-health/billing")
    page.click("main tbody a")
    page.fill("#amount", "100")
    page.click("main form[action$='/payments'] button[type=submit]")
    page.click("main a[href*='/billing/payments/']")
    expect("Up to EUR 4.50" in page.text(), f"the payment's page should offer the credit back, got: {page.text()[:600]}")
    page.fill("#reason", "Change the desk did not have")
    page.click("main form[action$='/refunds'] button[type=submit]")
    expect("Paid back" in page.text() and "RF-" in page.text(), f"the refund should be listed on the payment, got: {page.text()[:600]}")
    page.screenshot("riverside-health-payment-refunded")
    printed(page, "main a[href*='/refunds/']", "riverside-health-print-refund", 80,
            shows=("Riverside Health", "Refund RF-", "Jonas Weber", "EUR 4.50", "Change the desk did not have", "Received by the patient"))

    two_factor(page, options)

    # A phone-sized screen: nothing wider than the screen.
    session.call("Emulation.setDeviceMetricsOverride", width=360, height=740, deviceScaleFactor=2, mobile=True)
    for path, name in (("/t/smile-dental/patients", "patients"), ("/t/smile-dental/patients/new", "patient-form"), ("/t/smile-dental/", "dashboard")):
        page.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        expect(width <= 360, f"{path} is {width} px wide on a 360 px screen")
        page.screenshot(f"smile-dental-{name}-360px")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, RuntimeError, TimeoutError, ConnectionError) as error:
        print(f"browser test failed: {error}", file=sys.stderr)
        sys.exit(1)
