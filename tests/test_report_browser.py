"""The monthly report in a real browser (issue 11, part 1): headless Chromium opens the page
from disk with the network unused, every chart draws its marks, the console stays free of
errors, and a full-page screenshot is kept as a CI artifact (artifacts/report_<month>.png).

Time budget: installing Debian's chromium on a fresh machine takes a minute or two, the
rendering seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import ensure_chromium, render

from yibao.report import write_report

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(900)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_every_chart_renders_without_console_errors(small_warehouse, small_tier, tmp_path):
    month = small_tier.months[-1]
    files = write_report(small_warehouse / "warehouse.duckdb", month, tmp_path)
    ensure_chromium()
    screenshot = ARTIFACTS / f"report_{month}.png"
    screenshot.unlink(missing_ok=True)
    rendered = render(files.html, screenshot)
    assert rendered.charts == files.figures >= 6
    assert all(marks > 0 for marks in rendered.drawn), rendered.drawn
    assert rendered.console_errors == []
    assert rendered.requests_outside == []
    assert screenshot.stat().st_size > 100_000
    print(f"screenshot: {screenshot}")
