"""The grades page in real headless Chromium: uploads, predictions, a download, a hostile file."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent / "data"
CHART = ".js-plotly-plot"


def open_grades(server, page):
    page.goto(f"{server.url}/grades")
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 4", timeout=60_000)


def test_upload_grades_then_this_year_and_download_predictions(server, page, tmp_path):
    open_grades(server, page)
    uploads = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    uploads.nth(0).set_input_files(str(DATA / "utf8_bom_crlf_quoted.csv"))
    # the grade columns it read (data grids keep their cells in hidden DOM)
    page.get_by_text("Smith, Ann").first.wait_for(state="attached", timeout=60_000)
    uploads.nth(1).set_input_files(str(DATA / "this_year.csv"))
    button = page.get_by_role("button", name="Download the predictions (CSV)")
    button.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    with page.expect_download() as info:
        button.click()
    saved = tmp_path / "predictions.csv"
    info.value.save_as(saved)
    text = saved.read_text()
    assert "chance of passing" in text and "prediction" in text
    assert "\n'=cmd" in text  # the formula in this year's file is neutralised


def test_a_hostile_file_shows_our_message(server, page):
    open_grades(server, page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(0).set_input_files(
        str(DATA / "spreadsheet_renamed.csv")
    )
    alert = page.get_by_text("this is a zip file or an .xlsx spreadsheet")
    alert.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []
