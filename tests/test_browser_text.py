"""In Chromium: a link's or a file's text never becomes a link, an image or an icon (issue 20 B)."""

from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

pytestmark = pytest.mark.browser
HOSTILE_FILES = Path(__file__).parent / "data" / "hostile"
LINK = "[log in](https://evil.example/login)"
IMAGE = "![x](http://127.0.0.1:9/pixel.png)"
ICON = ":material/lock: www.evil.example bob@evil.example"


def foreign(server, page) -> dict:
    """Links, images and icons in the page's own content that came from outside text."""
    main = page.locator("[data-testid='stMain']")
    return {
        "links": main.locator("a[href*='evil'], a[href*='127.0.0.1:9'], a[href^='mailto:']").count(),
        "images": main.locator("img[src*='evil'], img[src*=':9/']").count(),
        "icons in alerts": main.locator("[data-testid='stAlert'] [data-testid='stIconMaterial']").count(),
    }


def watch_requests(server, page) -> list[str]:
    outside = []
    here = urlparse(server.url).netloc
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in (here, "") else None)
    return outside


@pytest.mark.parametrize(
    "path,query,shown",
    [
        ("walkthrough", {"lr": LINK, "seed": IMAGE, "hidden": ICON}, "The link's learning rate"),
        ("descent", {"rates": f"{IMAGE},![](//ev.il)"}, "Ignored learning rates"),
        ("grades", {"iterations": ICON}, "The link's number of iterations"),
    ],
)
def test_a_links_values_show_as_text_in_the_warning(server, page, path, query, shown):
    outside = watch_requests(server, page)
    link = "&".join(f"{k}={quote(v)}" for k, v in {"predict": "0", **query}.items())
    page.goto(f"{server.url}/{path}?{link}")
    alert = page.locator("[data-testid='stAlert']").filter(has_text=shown).first
    alert.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert foreign(server, page) == {"links": 0, "images": 0, "icons in alerts": 0}
    text = alert.inner_text().replace("\u2060", "")
    assert next(iter(query.values()))[:12] in text  # quoted as typed
    assert outside == []


def test_a_files_links_show_as_text_on_the_grades_page(server, page):
    outside = watch_requests(server, page)
    page.goto(f"{server.url}/grades?predict=0")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=60_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(0).set_input_files(
        str(HOSTILE_FILES / "links_in_cells.csv")
    )
    page.get_by_text("means passed?").first.wait_for(timeout=60_000)
    page.get_by_text("https\u2060://evil.example/login", exact=True).first.wait_for(
        timeout=30_000
    )  # an option, as text
    assert foreign(server, page) == {"links": 0, "images": 0, "icons in alerts": 0}
    assert outside == []
