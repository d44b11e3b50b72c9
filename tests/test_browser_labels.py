"""No label cut short (issue 36): every page in German, the longest of the four languages, at
1400 px and on a 390 px phone, in real Chromium.  Every widget label, metric label, option,
button and tab is measured: its text's extent against every box around it that clips (an
ellipsis, ``overflow: hidden``); a label that wraps is fine, one that is cut is not.  The
screenshots land in ``test-artifacts/labels-*.png``, to look at."""

import pytest
from browser import ARTIFACTS

pytestmark = pytest.mark.browser

# Each page with the settings that show the most of its controls, and the charts it draws.
PAGES = {
    "home": ("", 1),
    "walkthrough": ("walkthrough?dataset=xor&hidden=4", 3),
    "backprop": ("backprop", 2),
    "descent": ("descent", 3),
    "grades": ("grades", 4),
    "teach": ("teach", 0),
}
# What a reader reads as a label: widgets' labels, the metrics', options, buttons, tabs, expanders.
LABELS = ", ".join(
    [
        "[data-testid='stWidgetLabel']",
        "[data-testid='stMetricLabel']",
        "[data-testid='stMetricValue']",
        "[data-testid='stRadio'] [role='radiogroup'] label",
        "[data-testid='stSelectbox']",
        "[data-testid='stMultiSelect']",
        "[data-testid='stButtonGroup'] button",
        "[data-testid='stButton'] button",
        "[data-testid='stPageLink']",
        "[data-testid='stSidebarNav'] a",
        "[role='tab']",
        "[data-testid='stExpander'] summary",
        "[role='listbox'] [role='option']",
        "[data-testid='stCheckbox'] label",
    ]
)
# Each element of a label that holds text, and whether any box around it cuts that text: the text's
# own extent (a Range, which ignores clipping) wider than a clipping ancestor's inside, or an element
# with an ellipsis whose text is wider than it.
CUT = """([scope, selector]) => {
    const cut = [];
    const clips = (s) => s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
    for (const root of document.querySelectorAll(selector.split(', ').map(s => scope + ' ' + s).join(', '))) {
        if (!root.getClientRects().length) continue;  // not shown (a collapsed sidebar's, a closed tab's)
        for (const el of [root, ...root.querySelectorAll('*')]) {
            if (el.matches('input[role=combobox]')) {  // a menu's chosen option is its input's value
                if (el.value && el.scrollWidth > el.clientWidth + 1) cut.push(el.value.slice(0, 120));
                continue;
            }
            const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!own || !el.getClientRects().length) continue;
            const range = document.createRange();
            range.selectNodeContents(el);
            const text = range.getBoundingClientRect();
            if (!text.width) continue;
            let short = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow === 'ellipsis';
            for (let a = el; a && a !== document.body && !short; a = a.parentElement) {
                const s = getComputedStyle(a);
                if (a === document.documentElement || !clips(s)) continue;
                if (s.overflowX === 'auto' || s.overflowX === 'scroll') {
                    if (a.scrollWidth > a.clientWidth + 1 && a.scrollLeft === 0 && a.contains(root)
                        && !a.matches('[data-testid=stMain], [data-testid=stSidebarContent], section')) short = true;
                    continue;  // a box that scrolls sideways shows the rest on a swipe; one with a bar is flagged
                }
                const box = a.getBoundingClientRect(), left = box.left + a.clientLeft;
                if (text.left < left - 1 || text.right > left + a.clientWidth + 1) short = true;
            }
            if (short) cut.push(el.textContent.trim().slice(0, 120));
        }
    }
    return [...new Set(cut)];
}"""


def settle(page, charts):
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=90_000
        )
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.locator("[data-testid='stSidebar']").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(500)  # the last widgets' fonts and widths


def open_sidebar(page):
    """On a phone the sidebar starts closed: open it, so its labels are measured as a reader sees them."""
    expand = page.locator("[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button")
    if expand.count() and expand.first.is_visible():
        expand.first.click()
        page.wait_for_timeout(600)  # its slide-in


def close_sidebar(page):
    """A phone's sidebar left open on the last page covers this one's main part: close it."""
    if page.locator("[data-testid='stSidebar'][data-collapsed='false']").count():
        page.locator(
            "[data-testid='stSidebarCollapseButton'] button, [data-testid='stSidebarCollapseButton']"
        ).first.click()
        page.wait_for_timeout(600)


def options_cut(page, scope):
    """Each menu opened in turn, its options measured (a menu draws them only when open)."""
    cut = []
    menus = page.locator(scope).locator(
        "[data-testid='stSelectbox'] input[role=combobox], [data-testid='stMultiSelect'] input"
    )
    for i in range(menus.count()):
        menu = menus.nth(i)
        if not menu.is_visible() or menu.is_disabled():
            continue
        menu.scroll_into_view_if_needed()
        menu.click()
        try:
            page.locator("[role='listbox'] [role='option']").first.wait_for(timeout=3_000)
            cut += page.evaluate(CUT, ["body", "[role='listbox'] [role='option']"])
        except Exception:  # a menu that opens nothing (no options left to pick)
            pass
        page.keyboard.press("Escape")
        page.wait_for_timeout(150)
    return cut


def labels_cut(page, name, phone):
    """What is cut on the page; on a phone the main part first, then the sidebar, opened over it."""
    if not phone:
        page.screenshot(path=str(ARTIFACTS / f"labels-{name}-laptop.png"), full_page=True)
        return page.evaluate(CUT, ["body", LABELS]) + options_cut(page, "body")
    close_sidebar(page)
    page.screenshot(path=str(ARTIFACTS / f"labels-{name}-phone.png"), full_page=True)
    found = page.evaluate(CUT, ["[data-testid='stMain']", LABELS]) + options_cut(page, "[data-testid='stMain']")
    open_sidebar(page)
    page.screenshot(path=str(ARTIFACTS / f"labels-{name}-phone-sidebar.png"))
    return (
        found
        + page.evaluate(CUT, ["[data-testid='stSidebar']", LABELS])
        + options_cut(page, "[data-testid='stSidebar']")
    )


@pytest.mark.parametrize("phone", [False, True], ids=["1400px", "390px-phone"])
def test_no_label_is_cut_in_german(server, browser, phone):
    size = {"width": 390, "height": 5000} if phone else {"width": 1400, "height": 2400}  # tall: a whole page per photo
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    cut = {}
    try:
        for name, (path, charts) in PAGES.items():
            page.goto(f"{server.url}/{path}{'&' if '?' in path else '?'}lang=de")
            settle(page, charts)
            found = labels_cut(page, name, phone)
            if name == "teach":  # the lesson builder
                if phone:  # the sidebar, opened, covers the tabs
                    close_sidebar(page)
                page.get_by_role("tab", name="Eine Lektion zum Verteilen").click()
                page.wait_for_timeout(1_500)
                found += labels_cut(page, "teach-lesson", phone)
            if found:
                cut[name] = sorted(set(found))
            assert page.locator("[data-testid='stException']").count() == 0, name
    finally:
        context.close()
    assert cut == {}, "\n".join(f"{name}: {' | '.join(texts)}" for name, texts in cut.items())
