"""``clausewright serve`` in a real browser: headless Chromium (Debian's chromium and
chromium-driver, which scripts/test.sh installs) driven through Selenium against the command's
own server. The Vietnam sample is loaded, its sections walked through (back included), an answer
typed and corrected, the institution changed at the review (the seat follows without reloading),
and the downloaded DOCX compared byte for byte with ``clausewright generate`` on the downloaded
answers file."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, need_soffice

from clausewright.cli.main import cli

pytestmark = pytest.mark.timeout(600)

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENSHOT = "CLAUSEWRIGHT_SCREENSHOT"  # set to a path to save a screenshot of the disputes page there (docs/serve.png)


def need_chromium() -> None:
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are required in CI; scripts/test.sh installs them")
        pytest.skip("chromium and chromium-driver are not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen([sys.executable, "-m", "clausewright", "serve", "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    url = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
    assert url, line
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield url.group(0)
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def browser(tmp_path):
    need_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--disable-gpu"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(0)
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting in the browser")
        time.sleep(0.1)


def _alive(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        return bool(element.tag_name)
    except StaleElementReferenceException:
        return False


def downloaded(folder: Path, suffix: str) -> Path:
    return wait_for(lambda: next((p for p in folder.iterdir() if p.name.endswith(suffix) and not p.name.endswith(".crdownload")), None), 120)


def test_vietnam_interview_back_edit_at_review_and_generate_match_the_cli(server, browser, tmp_path):
    need_soffice()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    def click(text: str) -> None:
        """Click a button or link by its text, and wait for the next page."""
        page = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.XPATH, f"//button[normalize-space()={text!r}] | //a[normalize-space()={text!r}]").click()
        wait_for(lambda: not _alive(page), 300)

    browser.get(server)
    assert "?token" not in browser.current_url  # the token left the address once the cookie was set
    browser.find_element(By.ID, "answers-file").send_keys(str(SAMPLES / "vietnam-supplier.yaml"))
    click("Load the answers")
    wait_for(lambda: "Loaded the answers of vietnam-supplier.yaml" in browser.page_source)

    # Walk every section with Next, then Back once: the answers stay.
    browser.get(server.split("?")[0] + "s/agreement")
    titles = []
    while "/review" not in browser.current_url:
        titles.append(browser.find_element(By.TAG_NAME, "h1").text)
        click(browser.find_element(By.CSS_SELECTOR, "button[value=next]").text)
    assert len(titles) >= 6 and titles[0].startswith("Agreement")
    browser.get(server.split("?")[0] + "s/commercial")
    amount = browser.find_element(By.ID, "in-f-commercial-minimum_order_value")
    amount.send_keys(Keys.CONTROL, "a")
    amount.send_keys("-5")  # explained as typed, with the schema's message, naming the currency
    wait_for(lambda: "'-5' is negative; an amount in USD is expected" in browser.find_element(By.ID, "st-f-commercial-minimum_order_value").text)
    amount.send_keys(Keys.CONTROL, "a")
    amount.send_keys("15000")
    wait_for(lambda: "negative" not in browser.find_element(By.ID, "st-f-commercial-minimum_order_value").text)
    click("‹ Back")
    assert "/s/parties" in browser.current_url
    assert browser.find_element(By.ID, "in-f-buyer-name").get_attribute("value") == "Acme Devices Ltd"

    # At the review, change the institution: the seat follows on the page, without reloading it.
    browser.get(server.split("?")[0] + "review")
    browser.find_element(By.CSS_SELECTOR, "a[href='/s/jurisdiction_disputes?from=review#f-disputes-institution']").click()
    if os.environ.get(SCREENSHOT):
        browser.save_screenshot(os.environ[SCREENSHOT])
    marker = browser.find_element(By.TAG_NAME, "h1")
    Select(browser.find_element(By.ID, "in-f-disputes-institution")).select_by_value("HKIAC")
    wait_for(lambda: Select(browser.find_element(By.ID, "in-f-disputes-seat")).first_selected_option.get_attribute("value") == "hong-kong")
    assert marker.is_displayed()  # the same page: no reload
    click("Save and return to the review")
    followed = wait_for(lambda: browser.find_element(By.CLASS_NAME, "followed").text)
    assert "Seat (legal place) of arbitration: Singapore → Hong Kong" in followed

    # Generate after the checks, download the DOCX and the answers, compare with the command line.
    browser.get(server.split("?")[0] + "generate")
    click("Generate the Word document")
    browser.find_element(By.CSS_SELECTOR, "a[href='/download/agreement']").click()
    docx = downloaded(browser.downloads, "-agreement.docx")
    browser.find_element(By.CSS_SELECTOR, "a[href='/download/answers']").click()
    answers = downloaded(browser.downloads, ".answers.yaml")
    assert "institution: HKIAC" in answers.read_text(encoding="utf-8")
    again = tmp_path / "again.docx"
    result = CliRunner().invoke(cli, ["generate", str(answers), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == docx.read_bytes()
    assert shutil.which("soffice") and (tmp_path / ".clausewright-serve.yaml").exists()  # autosaved in the folder it was started in
