#!/usr/bin/python3
"""The web console in a real browser: Debian's Chromium driven by selenium (python3-selenium,
chromium-driver). Run by ConsoleBrowserTests against a running portdailyd with a prepared store;
every fact it needs comes in one JSON argument. Exits non-zero, naming the step, on any failure.

Scenarios (issue 22): an officer signs in, opens the day, opens a late report, acknowledges it
and sees the badge change; a dispatcher uploads a CSV with one bad line, sees that line's error,
then cancels a voyage; an admin opens the figures and the charts are drawn. Throughout: no
console errors in the browser and no request to another host. Screenshots go to a folder.
"""
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

facts = json.loads(sys.argv[1])
base = facts["base"]
shots = facts["screenshots"]
os.makedirs(shots, exist_ok=True)
base_host = urlparse(base).netloc
step = "start"


def fail(message):
    print(f"FAILED at {step}: {message}", file=sys.stderr)
    sys.exit(1)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = facts.get("chromium", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,1000",
                     "--lang=zh-CN", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-default-apps", "--disable-sync", "--disable-extensions"]:
        options.add_argument(argument)
    # What a browser in a Chinese office sends: the pages come in Chinese until switched.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(facts.get("chromedriver", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    return driver


def check_clean(driver):
    """No console errors; no request to any host but the daemon's."""
    for entry in driver.get_log("browser"):
        if entry.get("level") in ("SEVERE", "ERROR"):
            fail(f"console error: {entry.get('message')}")
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "chrome", "devtools"):
            continue
        if parsed.netloc != base_host:
            fail(f"request to another host: {url}")


def shot(driver, name):
    driver.save_screenshot(os.path.join(shots, f"{name}.png"))


def wait_for(driver, css, seconds=10):
    try:
        return WebDriverWait(driver, seconds).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        shot(driver, "failure")
        body = driver.find_element(By.TAG_NAME, "main").text if driver.find_elements(By.TAG_NAME, "main") else driver.page_source
        fail(f"no {css} on {driver.current_url}: {body[:600]}")


def sign_in(driver, who):
    global step
    step = f"sign-in as {who['name']}"
    driver.get(base + "/ui/reports")
    if "/ui/login" not in driver.current_url:
        fail(f"an anonymous visit was not sent to the sign-in page: {driver.current_url}")
    shot(driver, "sign-in")
    driver.find_element(By.ID, "username").send_keys(who["name"])
    driver.find_element(By.ID, "password").send_keys(who["password"])
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, "#user-name")
    if driver.find_element(By.ID, "user-name").text != who["name"]:
        fail("the page does not name the signed-in user")


def scenario(who):
    """A scenario: a fresh browser signed in as `who`, checked for console errors and other hosts at the end."""
    def wrap(body):
        def run():
            driver = browser()
            try:
                sign_in(driver, facts[who])
                body(driver)
                check_clean(driver)
            finally:
                driver.quit()
        return run
    return wrap


@scenario("officer")
def officer(driver):
    global step
    step = "officer opens the day"
    driver.get(f"{base}/ui/reports?date={facts['day']}")
    wait_for(driver, "table.reports")
    before = int(driver.find_element(By.ID, "count-unacknowledged").text)
    late_rows = driver.find_elements(By.XPATH, "//table[contains(@class,'reports')]//tr[.//span[contains(@class,'late')]]")
    if not late_rows:
        fail("no report with a late badge in the officer's list")
    row_id = late_rows[0].get_attribute("id")
    if "todo" not in late_rows[0].find_element(By.CSS_SELECTOR, ".ack-state").get_attribute("class"):
        fail("the late report is not shown as unacknowledged")
    shot(driver, "officer-reports")
    step = "officer opens the late report"
    late_rows[0].find_element(By.CSS_SELECTOR, "a").click()
    wait_for(driver, "form.acknowledge")
    shot(driver, "officer-report")
    step = "officer acknowledges"
    driver.find_element(By.ID, "remark").send_keys("已阅 checked by the duty officer")
    driver.find_element(By.ID, "acknowledge").click()
    wait_for(driver, "p.notice")
    if "已阅 checked by the duty officer" not in driver.find_element(By.CSS_SELECTOR, "table.acknowledgements").text:
        fail("the acknowledgement with its remark is not listed")
    shot(driver, "officer-acknowledged")
    step = "officer sees the badge change"
    driver.get(f"{base}/ui/reports?date={facts['day']}")
    wait_for(driver, "table.reports")
    state = driver.find_element(By.CSS_SELECTOR, f"#{row_id} .ack-state").get_attribute("class")
    if "ok" not in state:
        fail(f"the badge did not change to acknowledged: {state}")
    after = int(driver.find_element(By.ID, "count-unacknowledged").text)
    if after != before - 1:
        fail(f"unacknowledged count went from {before} to {after}")
    if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != "zh-CN":
        fail("a browser asking for Chinese did not get Chinese")
    step = "officer switches the language"
    driver.find_element(By.ID, "language-switch").click()
    try:
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    except Exception:
        pass
    if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != "en" or "Daily reports" not in driver.title:
        fail(f"the switch did not show English: {driver.title}")
    shot(driver, "officer-reports-english")


@scenario("dispatcher")
def dispatcher(driver):
    global step
    step = "dispatcher opens the upload page"
    driver.get(base + "/ui/upload")
    wait_for(driver, "form.upload")
    zone = ZoneInfo(facts["timeZone"])
    now = datetime.now(zone)
    departed = now - timedelta(minutes=1)
    if departed.date() != now.date():
        departed = now + timedelta(minutes=1)
    arrived = departed + timedelta(minutes=20)
    header = "movementId,operator,mmsi,job,departedAt,fromArea,fromBerth,arrivedAt,toArea,toBerth,servedShipImo,servedShipName,personsAboard,remarks"
    stamp = int(time.time())
    good = [f"B{stamp}-{i},{facts['operator']},{facts['mmsi']},escort,{(departed + timedelta(seconds=i)).isoformat()},beijiang,B1,"
            f"{(arrived + timedelta(seconds=i)).isoformat()},nanjiang,N2,,,4,上传测试" for i in (1, 2)]
    bad = f"B{stamp}-9,{facts['operator']},{facts['mmsi']},escort,not-a-time,beijiang,,{arrived.isoformat()},nanjiang,,,,4,"
    lines = [header, good[0], bad, good[1]]
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "航次.csv")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\r\n".join(lines) + "\r\n")
    step = "dispatcher uploads a CSV with one bad line"
    driver.find_element(By.ID, "file").send_keys(path)
    driver.find_element(By.ID, "upload").click()
    wait_for(driver, "#upload-result")
    if driver.find_element(By.ID, "count-accepted").text != "2" or driver.find_element(By.ID, "count-rejected").text != "1":
        fail("the counts are not 2 accepted, 1 refused: " + driver.find_element(By.ID, "upload-result").text)
    refused = driver.find_elements(By.CSS_SELECTOR, "#refused tbody tr")
    if len(refused) != 1:
        fail(f"expected one refused line, got {len(refused)}")
    cells = [cell.text for cell in refused[0].find_elements(By.TAG_NAME, "td")]
    # The API's numbering: the second data row after the header.
    if cells[0] != "2" or cells[1] != "departedAt":
        fail(f"the refused line is not record 2, field departedAt: {cells}")
    shot(driver, "dispatcher-upload")
    step = "dispatcher cancels a voyage"
    row = wait_for(driver, f"#voyage-B{stamp}-1")
    row.find_element(By.CSS_SELECTOR, "input[name=reason]").send_keys("重复录入 entered twice")
    row.find_element(By.CSS_SELECTOR, "form.cancel button").click()
    wait_for(driver, "p.notice")
    row = wait_for(driver, f"#voyage-B{stamp}-1")
    if not row.find_elements(By.CSS_SELECTOR, ".badge.withdrawn"):
        fail("the cancelled voyage is not marked cancelled")
    shot(driver, "dispatcher-cancelled")


@scenario("admin")
def admin(driver):
    global step
    step = "admin opens the figures"
    driver.get(f"{base}/ui/figures?from={facts['from']}&to={facts['to']}")
    wait_for(driver, "svg#chart-reports")
    for chart in ("chart-reports", "chart-cross", "chart-fuel"):
        svg = driver.find_element(By.ID, chart)
        lines = svg.find_elements(By.CSS_SELECTOR, "polyline.series")
        if not lines or not lines[0].get_attribute("points"):
            fail(f"{chart} has no series drawn")
        if svg.size["width"] < 300 or svg.size["height"] < 100:
            fail(f"{chart} is not drawn at a readable size: {svg.size}")
    if driver.find_element(By.ID, "figure-consolidated").text in ("", "0"):
        fail("no consolidated reports counted")
    shot(driver, "admin-figures")
    step = "admin opens the administration page"
    driver.get(base + "/ui/admin")
    wait_for(driver, "table.users")
    shot(driver, "admin-page")


for scenario in [globals()[name] for name in facts.get("only", ["officer", "dispatcher", "admin"])]:
    scenario()
print("all scenarios passed")
