"""Headless Chromium for the report's browser test (Debian's chromium and chromium-driver).

The test setup installs them when they are missing (`apt-get`, as root, as CI runs), since
Selenium must not download a browser of its own: this machine reaches only package registries.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PACKAGES = ("chromium", "chromium-driver", "fonts-wqy-microhei")  # the font draws the Chinese


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"the browser test needs Debian packages {PACKAGES}; no apt-get here")
    quiet = {"check": True, "capture_output": True, "timeout": 600}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], **quiet, env=env)


@dataclass(frozen=True)
class Rendered:
    charts: int
    #: SVG elements drawn inside each chart's container, in page order
    drawn: list[int]
    console_errors: list[str]
    requests_outside: list[str]


#: counts, per plotly chart, the SVG marks it drew (bars, points, lines)
_DRAWN = """
return Array.from(document.querySelectorAll('.js-plotly-plot')).map(
  el => el.querySelectorAll('svg.main-svg .trace .point, svg.main-svg .trace path.js-line').length);
"""
_OUTSIDE = """
return performance.getEntriesByType('resource').map(e => e.name)
  .filter(n => !n.startsWith('file:') && !n.startsWith('data:'));
"""


def render(page: Path, screenshot: Path, width: int = 1280) -> Rendered:
    """Open `page` headless, wait for every chart, count what each drew, collect the console's
    errors and any request that left the file, and save a full-page screenshot."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    flags = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--window-size={width},1000")  # fmt: skip
    for flag in flags:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(page.resolve().as_uri())
        WebDriverWait(driver, 60).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        WebDriverWait(driver, 60).until(lambda d: all(n > 0 for n in d.execute_script(_DRAWN)))
        drawn = driver.execute_script(_DRAWN)
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        outside = driver.execute_script(_OUTSIDE)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(int(height) + 100, 16000))
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
        return Rendered(len(drawn), drawn, errors, outside)
    finally:
        driver.quit()
