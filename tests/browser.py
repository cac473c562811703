#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""browser.py - the dashboard of `bouncekit serve` (docs/dashboard.md).

First over plain HTTP (python's http.client): the embedded files and their
headers (CSP, ETag, 304), sign-in, the session cookie, CSRF, sign-out.
Then in a real browser, Debian's chromium driven headless by chromedriver
and python3-selenium: sign in, the overview's charts drawn from stored
bounces, an address's history and explanations, the paste box, suppress
and unsuppress, and a hostile bounce (tests/fixtures/dashboard/xss.eml)
shown on every page without anything of it running.  Screenshots of each
page go to BUILD_DIR/screenshots/.

A server on a free loopback port over a throwaway SQLite store; stopped at
the end whatever happens.  Without chromium, chromedriver or selenium the
browser part is skipped with a message, except in CI (CI=true), where that
is a failure.

usage: tests/browser.py [BUILD_DIR]
"""
import email.utils, http.client, json, os, re, shutil, signal, subprocess, sys, tempfile, time

# Debian's python3-selenium is for Debian's python3: re-run under it when
# the python3 first in PATH (a pyenv, a venv) lacks selenium.
try:
    import selenium  # noqa: F401
except ImportError:
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            subprocess.run(["/usr/bin/python3", "-c", "import selenium"], capture_output=True).returncode == 0:
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

build = sys.argv[1] if len(sys.argv) > 1 else "build"
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
bin_ = os.environ.get("BK_BIN", os.path.join(build, "bouncekit"))
shots = os.path.join(build, "screenshots")
tmp = tempfile.mkdtemp(prefix="bk-browser.")
db = os.path.join(tmp, "t.db")
passed = failed = 0
procs = []
driver = None


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL browser: %s %s" % (name, str(detail)[:600]))
    return ok


def run(*args, stdin=None):
    return subprocess.run([bin_] + list(args), capture_output=True, text=True, input=stdin)


def start():
    log = open(os.path.join(tmp, "serve.log"), "w+")
    p = subprocess.Popen([bin_, "serve", "--listen", "127.0.0.1:0", "--db", db, "--threads", "4"],
                         stderr=log, stdout=subprocess.DEVNULL)
    procs.append(p)
    for _ in range(200):
        log.seek(0)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return int(m.group(1))
        if p.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    raise SystemExit("browser: the server did not start: " + log.read())


def stop_all():
    if driver is not None:
        try:
            driver.quit()
        except Exception:
            pass
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(tmp, ignore_errors=True)


def req(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    try:
        js = json.loads(data) if data else None
    except ValueError:
        js = None
    return r.status, js, r, data


def bounce(rcpt, status, diag, sender, when, n):
    """A Postfix-style DSN (RFC 3464) of our own, RFC 2606 names only."""
    date = email.utils.formatdate(when, usegmt=True)
    return ("""From: MAILER-DAEMON@mx.example.org
To: %(sender)s
Subject: Undelivered Mail Returned to Sender
Date: %(date)s
Message-ID: <dash-%(n)d@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.example.org.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: %(date)s

Final-Recipient: rfc822; %(rcpt)s
Action: failed
Status: %(status)s
Remote-MTA: dns; mx.%(domain)s
Diagnostic-Code: smtp; %(diag)s
Last-Attempt-Date: %(date)s

--B
Content-Type: message/rfc822

From: %(sender)s
To: %(rcpt)s
Subject: newsletter %(n)d
Message-ID: <orig-%(n)d@example.jp>

hello

--B--
""" % dict(rcpt=rcpt, status=status, diag=diag, sender=sender, date=date, n=n,
           domain=rcpt.split("@")[1])).encode()


NOW = int(time.time())
DAY = 86400
# (recipient, status, diagnostic, sender, days ago): every one a bounce
BOUNCES = [
    ("neko@example.com", "5.1.1", "550 5.1.1 <neko@example.com>: Recipient address rejected: User unknown in virtual mailbox table", "news@example.jp", 1),
    ("inu@example.com", "5.1.1", "550 5.1.1 The email account that you tried to reach does not exist", "news@example.jp", 2),
    ("tori@example.net", "4.2.2", "452 4.2.2 <tori@example.net>: mailbox full", "shop@example.co.jp", 1),
    ("tori@example.net", "4.2.2", "452 4.2.2 <tori@example.net>: mailbox full", "shop@example.co.jp", 3),
    ("kuma@example.org", "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.example.org", "news@example.jp", 2),
    ("usagi@example.com", "5.1.1", "550 5.1.1 <usagi@example.com>: user unknown", "shop@example.co.jp", 4),
    ("saru@example.net", "5.2.2", "552 5.2.2 <saru@example.net>: Mailbox full: quota exceeded", "news@example.jp", 5),
    ("kitsune@example.org", "5.1.1", "550 5.1.1 <kitsune@example.org>: Recipient address rejected: User unknown", "news@example.jp", 6),
]


def js_no_payload(drv):
    """True when none of the fixture's payloads ran."""
    return drv.execute_script(
        "return typeof window.bkPwned === 'undefined' && typeof window.bkpwned === 'undefined'"
        " && !/pwned/i.test(document.title) && document.querySelectorAll('img[src=\"x\"]').length === 0;")


def http_part(port, wtok, rtok):
    # the pages and their headers
    st, _, r, data = req(port, "GET", "/")
    csp = r.getheader("Content-Security-Policy", "")
    check("/: the page", st == 200 and r.getheader("Content-Type", "").startswith("text/html")
          and b"/ui/app.js" in data, (st, data[:200]))
    check("/: Content-Security-Policy", "default-src 'self'" in csp and "script-src 'self'" in csp
          and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, csp)
    check("/: nosniff, DENY, Referrer-Policy",
          r.getheader("X-Content-Type-Options") == "nosniff" and r.getheader("X-Frame-Options") == "DENY"
          and r.getheader("Referrer-Policy") == "same-origin")
    check("/: no inline script or style", not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>|<style|\son[a-z]+=|style=", data),
          data[:300])
    etag = r.getheader("ETag", "")
    st, _, r, data = req(port, "GET", "/", headers={"If-None-Match": etag})
    check("/: If-None-Match gives 304", st == 304 and etag and not data, (st, etag))
    st, _, r, data = req(port, "GET", "/ui/chart.js")
    with open("/usr/share/javascript/chart.js/chart.min.js", "rb") as f:
        deb = f.read()
    check("/ui/chart.js: Debian's Chart.js, embedded", st == 200 and data == deb and
          r.getheader("Content-Type", "").startswith("text/javascript"), (st, len(data)))
    st, _, r, _ = req(port, "GET", "/ui/app.css")
    check("/ui/app.css: text/css", st == 200 and r.getheader("Content-Type", "").startswith("text/css"))
    st, _, _, _ = req(port, "GET", "/ui/nothing.js")
    check("/ui/nothing.js: 404", st == 404)
    st, _, _, _ = req(port, "POST", "/", b"x")
    check("POST /: 405", st == 405)

    # sign-in
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    st, _, r, _ = req(port, "POST", "/login", b"token=bk_" + b"0" * 40, headers=form)
    check("login: a bad token goes back to the form", st == 303 and r.getheader("Location") == "/?signin=failed"
          and not r.getheader("Set-Cookie"), (st, r.getheader("Location")))
    st, _, r, _ = req(port, "POST", "/login", ("token=" + wtok).encode(),
                      headers=dict(form, Origin="http://evil.example.net"))
    check("login: from another site's page 403", st == 403 and not r.getheader("Set-Cookie"), st)
    st, _, r, _ = req(port, "POST", "/login", ("token=%20" + wtok + "%0A").encode(),
                      headers=dict(form, Origin="http://127.0.0.1:%d" % port, Host="127.0.0.1:%d" % port))
    sc = r.getheader("Set-Cookie", "")
    m = re.match(r"bk_session=([0-9a-f]{64});", sc)
    check("login: a session cookie", st == 303 and r.getheader("Location") == "/" and m, (st, sc))
    check("login: HttpOnly, SameSite=Strict, Path=/, an expiry",
          all(a in sc for a in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=")), sc)
    cookie = {"Cookie": "other=1; bk_session=" + (m.group(1) if m else "")}
    st, js, _, _ = req(port, "GET", "/session", headers=cookie)
    check("session: the token's name and scope", st == 200 and js["name"] == "writer" and js["scope"] == "write"
          and re.fullmatch(r"[0-9a-f]{64}", js["csrf"]), (st, js))
    csrf = js["csrf"] if st == 200 else ""
    st, js, _, _ = req(port, "GET", "/session")
    check("session: none without the cookie 401", st == 401, st)
    st, js, _, _ = req(port, "GET", "/v1/addresses/neko@example.com", headers=cookie)
    check("API: the cookie reads", st == 200 and js["known"], (st, js))
    st, js, _, _ = req(port, "GET", "/v1/addresses/neko@example.com",
                       headers={"Cookie": "bk_session=" + "0" * 64})
    check("API: an unknown session 401", st == 401, st)
    msg = bounce("csrf@example.com", "5.1.1", "550 5.1.1 user unknown", "news@example.jp", NOW, 900)
    st, js, _, _ = req(port, "POST", "/v1/messages?store=1", msg, headers=cookie)
    check("API: writing with the cookie and no CSRF token 403", st == 403 and js["error"] == "csrf", (st, js))
    st, js, _, _ = req(port, "POST", "/v1/messages?store=1", msg, headers=dict(cookie, **{"X-CSRF-Token": "0" * 64}))
    check("API: a wrong CSRF token 403", st == 403, st)
    st, js, _, _ = req(port, "POST", "/v1/messages", msg, headers=dict(cookie, Authorization="Bearer " + rtok))
    check("API: a bearer token counts, not the cookie beside it", st == 200, (st, js))
    st, js, r, _ = req(port, "POST", "/v1/messages?store=1", msg, headers=dict(cookie, **{"X-CSRF-Token": csrf}))
    check("API: the cookie and its CSRF token write", st == 200 and r.getheader("X-Bouncekit-Stored") == "1 new, 0 duplicate",
          (st, js))
    st, js, _, _ = req(port, "POST", "/v1/classify", json.dumps({"text": "550 5.1.1 user unknown"}).encode(),
                       headers=dict(cookie, **{"X-CSRF-Token": csrf}))
    check("classify: a verdict and its explanation", st == 200 and js["reason"] == "userunknown"
          and js["explain"]["decided"]["reason"] == "userunknown", (st, js))
    st, js, _, _ = req(port, "GET", "/v1/reasons", headers={"Authorization": "Bearer " + rtok})
    check("reasons: every reason and its meaning", st == 200 and
          any(r["name"] == "userunknown" and r["meaning"] and r["hard"] for r in js["reasons"]), (st, js))
    st, js, _, _ = req(port, "GET", "/v1/reasons")
    check("reasons: a token needed", st == 401, st)
    # a read token's session reads but does not store
    st, _, r, _ = req(port, "POST", "/login", ("token=" + rtok).encode(), headers=form)
    rc = re.match(r"bk_session=([0-9a-f]{64});", r.getheader("Set-Cookie", ""))
    rcookie = {"Cookie": "bk_session=" + (rc.group(1) if rc else "")}
    st, js, _, _ = req(port, "GET", "/session", headers=rcookie)
    rcsrf = js["csrf"] if st == 200 else ""
    check("session: a read token's", st == 200 and js["scope"] == "read" and js["name"] == "reader", (st, js))
    st, js, _, _ = req(port, "POST", "/v1/messages?store=1", msg, headers=dict(rcookie, **{"X-CSRF-Token": rcsrf}))
    check("API: a read session may not store 403", st == 403 and js["error"] == "forbidden", (st, js))
    # sign-out
    st, _, r, _ = req(port, "POST", "/logout", b"", headers=rcookie)
    check("logout without the CSRF token 403", st == 403, st)
    st, _, r, _ = req(port, "POST", "/logout", ("csrf=" + rcsrf).encode(), headers=dict(rcookie, **form))
    check("logout: the cookie cleared", st == 303 and "Max-Age=0" in r.getheader("Set-Cookie", ""), st)
    st, _, _, _ = req(port, "GET", "/session", headers=rcookie)
    check("logout: the session is gone", st == 401, st)
    # revoking the token ends its sessions
    r = run("token", "add", "temp", "--db", db)
    ttok = r.stdout.strip()
    st, _, r, _ = req(port, "POST", "/login", ("token=" + ttok).encode(), headers=form)
    tc = re.match(r"bk_session=([0-9a-f]{64});", r.getheader("Set-Cookie", ""))
    tcookie = {"Cookie": "bk_session=" + (tc.group(1) if tc else "")}
    st1, _, _, _ = req(port, "GET", "/v1/addresses/neko@example.com", headers=tcookie)
    run("token", "revoke", "temp", "--db", db)
    # /session looks the token up afresh (the API's token cache may keep
    # it a few seconds) and ends the session of a revoked one
    st2, _, _, _ = req(port, "GET", "/session", headers=tcookie)
    st3, _, _, _ = req(port, "GET", "/v1/addresses/neko@example.com", headers=tcookie)
    check("revoking the token ends its session", st1 == 200 and st2 == 401 and st3 == 401, (st1, st2, st3))


def browser_available():
    why = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        why.append("python3-selenium")
    for prog, pkg in (("chromium", "chromium"), ("chromedriver", "chromium-driver")):
        if not shutil.which(prog):
            why.append(pkg)
    return why


def overview_checks(driver, wait, By, port, tok):
    def text():
        return driver.execute_script("return document.body.innerText")

    try:
        wait.until(lambda d: d.execute_script("return !!(window.bkCharts && window.bkCharts['chart-days'])"))
    except Exception:
        pass
    sums = driver.execute_script("""
        const c = window.bkCharts || {}, out = {};
        for (const [id, ch] of Object.entries(c))
            out[id] = ch.data.datasets.map((d) => d.data.reduce((a, b) => a + (b || 0), 0));
        return out;""")
    days = sums.get("chart-days", [])
    # every stored event is a bounce in range: the fixtures, the XSS one,
    # the one stored through the cookie above
    want = len(BOUNCES) + 2
    check("overview: bounces per day, every class = what was stored", sum(days) == want, (sums, want))
    # the hard ones as the store classed them, read through another call
    st, js, _, _ = req(port, "GET", "/v1/events?class=hard&limit=1000", headers={"Authorization": "Bearer " + tok})
    hard = len(js["events"]) if st == 200 else -1
    check("overview: the hard ones", days and hard > 0 and days[0] == hard, (days, hard))
    check("overview: by reason", sum(sums.get("chart-reasons", [0])) == want, sums)
    check("overview: per day by reason", sum(sums.get("chart-day-reasons", [0])) == want, sums)
    painted = driver.execute_script("""
        const cv = document.getElementById('chart-days'), g = cv.getContext('2d');
        const px = g.getImageData(0, 0, cv.width, cv.height).data;
        let red = 0;
        for (let i = 0; i < px.length; i += 4)
            if (px[i] > 150 && px[i + 1] < 90 && px[i + 2] < 80 && px[i + 3] > 200) red++;
        return red;""")
    check("overview: the hard bars are painted on the canvas", painted > 50, painted)
    page = text()
    check("overview: top destination domains", "example.com" in driver.find_element(By.ID, "top-destination").text, page[:400])
    check("overview: top sender domains", "example.jp" in driver.find_element(By.ID, "top-senderdomain").text)


def browser_part(port, wtok, rtok, xss_addr):
    global driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    os.makedirs(shots, exist_ok=True)
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1100", "--user-data-dir=" + os.path.join(tmp, "profile"),
              "--no-first-run", "--disable-extensions", "--disable-background-networking",
              "--proxy-server=direct://", "--proxy-bypass-list=*"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver"), log_output=os.path.join(tmp, "chromedriver.log"))
                              if "log_output" in Service.__init__.__code__.co_varnames
                              else Service(shutil.which("chromedriver")), options=opts)
    driver.set_page_load_timeout(30)
    base = "http://127.0.0.1:%d" % port
    wait = WebDriverWait(driver, 15)

    def ready(page):
        try:
            wait.until(lambda d: d.execute_script("return document.body.dataset.ready") == page)
            return True
        except Exception:
            return False

    def shot(name):
        # the whole page: the window as tall as the page, for the shot
        h = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(h + 120, 900), 4000))
        driver.save_screenshot(os.path.join(shots, name + ".png"))
        driver.set_window_size(1280, 1100)

    def text():
        return driver.execute_script("return document.body.innerText")

    # sign in: a bad token, then the write token
    driver.get(base + "/")
    check("sign-in page shown", ready("signin") and driver.find_element(By.ID, "token").is_displayed())
    shot("signin")
    driver.find_element(By.ID, "token").send_keys("bk_" + "1" * 40)
    driver.find_element(By.ID, "signin-button").click()
    try:
        wait.until(lambda d: "signin=failed" in d.current_url)
    except Exception:
        pass
    check("a bad token: the form again, with an error",
          ready("signin") and driver.find_element(By.ID, "signin-error").is_displayed())
    driver.find_element(By.ID, "token").send_keys(wtok)
    driver.find_element(By.ID, "signin-button").click()
    check("signed in: the overview", ready("overview"), driver.current_url)
    ck = {c["name"]: c for c in driver.get_cookies()}.get("bk_session")
    check("the browser's cookie: HttpOnly, SameSite=Strict", ck and ck.get("httpOnly") and ck.get("sameSite") == "Strict", ck)
    check("scripts cannot read the session cookie", "bk_session" not in driver.execute_script("return document.cookie"))

    # the overview: charts drawn from the stored bounces
    overview_checks(driver, wait, By, port, wtok)
    shot("overview")

    # an address: verdict, history, explanation of each event
    driver.get(base + "/#/address?q=tori@example.net")
    check("address page", ready("address"))
    try:
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#address-out .why")) >= 2)
    except Exception:
        pass
    out = driver.find_element(By.ID, "address-out").text
    check("address: verdict and history", "tori@example.net" in out and "retry-after" in out.lower()
          or "History (2 events)" in out, out[:500])
    check("address: each event explained", len(driver.find_elements(By.CSS_SELECTOR, "#address-out .why")) == 2
          and "Decided by" in out and "mailboxfull" in out, out[:800])
    shot("address")

    # the paste box
    driver.get(base + "/#/paste")
    check("paste page", ready("paste"))
    msg = bounce("pasted@example.com", "5.1.1", "550 5.1.1 <pasted@example.com>: Recipient address rejected: User unknown",
                 "news@example.jp", NOW, 901).decode()
    driver.execute_script("document.getElementById('paste-text').value = arguments[0];", msg)
    driver.find_element(By.CSS_SELECTOR, "#paste-form button[type=submit]").click()
    try:
        wait.until(lambda d: d.find_elements(By.ID, "paste-count"))
    except Exception:
        pass
    out = driver.find_element(By.ID, "paste-out").text
    check("paste: its record and why", "1 record" in out and "pasted@example.com" in out and "userunknown" in out
          and "Decided by" in out, out[:600])
    shot("paste")

    # suppress and unsuppress
    driver.get(base + "/#/suppressions")
    check("suppressions page", ready("suppressions"))
    driver.find_element(By.ID, "supp-add-address").send_keys("manual@example.com")
    driver.find_element(By.ID, "supp-add-reason").send_keys("asked by phone")
    driver.find_element(By.CSS_SELECTOR, "#supp-add button").click()
    try:
        wait.until(lambda d: "manual@example.com suppressed" in d.find_element(By.ID, "supp-status").text)
    except Exception:
        pass
    check("suppress from the page", "manual@example.com" in driver.find_element(By.ID, "supp-list").text,
          driver.find_element(By.ID, "supp-status").text)
    st, js, _, _ = req(port, "GET", "/v1/addresses/manual@example.com", headers={"Authorization": "Bearer " + wtok})
    check("suppressed in the store", st == 200 and js["verdict"] == "suppressed", js)
    shot("suppressions")
    btn = driver.find_elements(By.CSS_SELECTOR, "button[data-address='manual@example.com']")
    if btn:
        btn[0].click()
        try:
            wait.until(lambda d: "manual@example.com unsuppressed" in d.find_element(By.ID, "supp-status").text)
        except Exception:
            pass
    st, js, _, _ = req(port, "GET", "/v1/addresses/manual@example.com", headers={"Authorization": "Bearer " + wtok})
    check("unsuppress from the page", btn and st == 200 and js["verdict"] != "suppressed", js)
    # the export link, followed with the session cookie
    csv = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(document.getElementById('export-csv').getAttribute('href'))
            .then((r) => r.text()).then(done, (e) => done('error ' + e));""")
    check("export: CSV with the session", "neko@example.com" in csv and "manual@example.com" not in csv, csv[:300])

    # the hostile bounce on every page: shown as text, nothing runs
    driver.get(base + "/#/overview")
    ready("overview")
    try:
        wait.until(lambda d: "@" in d.find_element(By.ID, "new-suppressed").text)
    except Exception:
        pass
    check("XSS: overview shows it literally", "<script>window.bkpwned=1" in
          driver.find_element(By.ID, "new-suppressed").text, driver.find_element(By.ID, "new-suppressed").text[:300])
    check("XSS: overview, nothing ran", js_no_payload(driver))
    driver.get(base + "/#/address?q=" + xss_addr.replace("%", "%25").replace("#", "%23").replace(" ", "%20"))
    ready("address")
    try:
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#address-out .why"))
    except Exception:
        pass
    out = driver.find_element(By.ID, "address-out").text
    check("XSS: address page shows the recipient, subject and diagnostic literally",
          "<script>window.bkpwned=1" in out and "<script>window.bkPwned='subject'" in out
          and "\"><img src=x onerror=\"window.bkPwned='img'" in out and "javascript:window.bkPwned='url'" in out, out[:1500])
    check("XSS: address page, nothing ran", js_no_payload(driver))
    shot("xss-address")
    driver.get(base + "/#/paste")
    ready("paste")
    with open("tests/fixtures/dashboard/xss.eml") as f:
        driver.execute_script("document.getElementById('paste-text').value = arguments[0];", f.read())
    driver.find_element(By.CSS_SELECTOR, "#paste-form button[type=submit]").click()
    try:
        wait.until(lambda d: d.find_elements(By.ID, "paste-count"))
    except Exception:
        pass
    out = driver.find_element(By.ID, "paste-out").text
    check("XSS: paste page shows it literally", "<script>window.bkPwned='diag'" in out and "<script>window.bkpwned=1" in out, out[:800])
    check("XSS: paste page, nothing ran", js_no_payload(driver))
    shot("xss-paste")
    driver.get(base + "/#/suppressions")
    ready("suppressions")
    out = driver.find_element(By.ID, "supp-list").text
    check("XSS: suppressions page shows it literally", "<script>window.bkpwned=1" in out, out[:600])
    check("XSS: suppressions page, nothing ran", js_no_payload(driver))
    # no Content-Security-Policy violation: neither the payloads nor our
    # own pages tried anything the policy refuses
    logs = driver.get_log("browser")
    csp = [l["message"] for l in logs if "Content Security Policy" in l["message"]]
    check("no CSP violation reported", not csp, csp[:3])
    severe = [l["message"] for l in logs if l["level"] == "SEVERE" and "favicon" not in l["message"]
              and " 40" not in l["message"]]
    check("no script error in the console", not severe, severe[:3])

    # sign out from the page
    driver.find_element(By.CSS_SELECTOR, "#signout button").click()
    check("sign-out: back to the form", ready("signin"))
    st, _, _, _ = req(port, "GET", "/session", headers={"Cookie": "bk_session=" + (ck or {}).get("value", "")})
    check("sign-out: the session is gone", st == 401, st)

    # a read token's session: the writing controls are not offered
    driver.find_element(By.ID, "token").send_keys(rtok)
    driver.find_element(By.ID, "signin-button").click()
    ready("overview")
    driver.get(base + "/#/suppressions")
    ready("suppressions")
    check("read session: no suppress form, no unsuppress button",
          not driver.find_element(By.ID, "supp-add").is_displayed()
          and not driver.find_elements(By.CSS_SELECTOR, "button[data-address]")
          and driver.find_element(By.ID, "who-scope").text == "read")
    shot("suppressions-read")


def main():
    r = run("db", "init", "--db", db)
    if not check("db init", r.returncode == 0, r.stderr):
        return
    wtok = run("token", "add", "writer", "--scope", "write", "--db", db).stdout.strip()
    rtok = run("token", "add", "reader", "--db", db).stdout.strip()
    mdir = os.path.join(tmp, "msgs")
    os.makedirs(mdir)
    for i, (rcpt, status, diag, sender, ago) in enumerate(BOUNCES):
        with open(os.path.join(mdir, "%02d.eml" % i), "wb") as f:
            f.write(bounce(rcpt, status, diag, sender, NOW - ago * DAY + 3600, i))
    # the hostile one, dated yesterday so that the default range holds it
    with open("tests/fixtures/dashboard/xss.eml", "rb") as f:
        xss = f.read().replace(b"Mon, 30 Nov 2026 11:59:00 +0000",
                               email.utils.formatdate(NOW - DAY, usegmt=True).encode())
    with open(os.path.join(mdir, "xss.eml"), "wb") as f:
        f.write(xss)
    r = run("ingest", "--db", db, mdir)
    check("ingest the fixtures", r.returncode == 0, r.stdout + r.stderr)
    r = run("parse", "--format", "ndjson", os.path.join(mdir, "xss.eml"))
    xss_addr = json.loads(r.stdout)["recipient"] if r.returncode == 0 else ""
    check("the XSS fixture decodes", "<script>" in xss_addr, r.stdout)
    port = start()
    http_part(port, wtok, rtok)
    why = browser_available()
    if why:
        msg = "browser: the browser part needs " + ", ".join(why) + " (scripts/deps.sh test)"
        if os.environ.get("CI") == "true":
            check("chromium, chromedriver and selenium are installed in CI", False, msg)
        else:
            print(msg + ": skipped")
        return
    if os.environ.get("BK_EXEC"):
        print("browser: a cross build (BK_EXEC): the browser part is skipped")
        return
    browser_part(port, wtok, rtok, xss_addr)
    print("browser: screenshots in %s/" % shots)


try:
    main()
except SystemExit as e:
    print(e)
    failed += 1
except Exception as e:
    import traceback
    traceback.print_exc()
    failed += 1
finally:
    stop_all()
print("browser: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
