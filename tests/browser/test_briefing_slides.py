"""The briefing on the big screen: presentation mode walked slide by slide with a clicker's keys, at 1920x1080
and 1366x768, measuring that nothing scrolls, that the type is big enough for a room, that no slide is more
than half empty, and that the force map takes its half of the slide with 22 px labels."""

from __future__ import annotations

import json
import re

import pytest

from taskforce.briefing.contents import SLIDES
from tests.browser.conftest import save_screenshot, wait_until_rendered

pytestmark = pytest.mark.browser

TOTAL = len(SLIDES)
# Every element that scrolls or overflows its box, every piece of text and its size, and whether the footer
# covers anything.
MEASURE = """() => {
  const scrolling = [];
  for (const element of document.querySelectorAll('*')) {
    const overflow = getComputedStyle(element).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && element.scrollHeight > element.clientHeight + 1)
      scrolling.push(element.getAttribute('data-testid') || element.tagName);
  }
  if (document.documentElement.scrollHeight > innerHeight + 1) scrolling.push('document');
  const texts = [];
  for (const element of document.querySelectorAll('[data-testid="stMain"] *')) {
    const ownText = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    const box = element.getBoundingClientRect();
    if (!ownText || box.width === 0 || box.height === 0) continue;
    texts.push({size: parseFloat(getComputedStyle(element).fontSize), svg: element instanceof SVGElement,
                text: element.textContent.trim().slice(0, 40)});
  }
  const footer = document.querySelector('.st-key-slide_footer').getBoundingClientRect();
  let lowest = 0;
  for (const element of document.querySelectorAll('[data-testid="stMainBlockContainer"] *')) {
    if (element.closest('.st-key-slide_footer') || element.closest('.st-key-slide_keys_more')) continue;
    const box = element.getBoundingClientRect();
    if (box.height > 0) lowest = Math.max(lowest, box.bottom);
  }
  const hidden = selector => { const found = document.querySelector(selector);
                               return !found || found.getBoundingClientRect().width === 0; };
  const content = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
  return {scrolling, texts, covered: lowest > footer.top + 1, footerTop: footer.top, lowest,
          emptyShare: (footer.top - lowest) / innerHeight, contentTop: content.top,
          text: document.querySelector('[data-testid="stMain"]').innerText,
          sidebarHidden: hidden('[data-testid="stSidebar"]'), toolbarHidden: hidden('[data-testid="stToolbar"]'),
          controlsHidden: hidden('[data-testid="stSelectbox"]') && hidden('[data-testid="stCode"]')};
}"""


def _on_slide(page, number: int) -> None:
    page.get_by_text(f"Slide {number} of {TOTAL}").first.wait_for(timeout=60_000)
    wait_until_rendered(page)


def _check_slide(page, number: int, smallest_html: float, smallest_any: float) -> None:
    measured = page.evaluate(MEASURE)
    where = f"slide {number} at {page.viewport_size}"
    assert measured["scrolling"] == [], f"{where} scrolls: {measured['scrolling']}"
    assert not measured["covered"], f"{where}: the footer covers content ({measured})"
    assert measured["sidebarHidden"] and measured["toolbarHidden"] and measured["controlsHidden"], where
    small = [
        text
        for text in measured["texts"]
        if text["size"] < smallest_any or (not text["svg"] and text["size"] < smallest_html)
    ]
    assert small == [], f"{where}: text too small for the room: {small[:5]}"
    assert page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible(), where
    assert measured["emptyShare"] <= 0.5, f"{where} is more than half empty: {measured['emptyShare']:.0%} blank"
    said = measured["text"]
    assert not re.search(r"\b0 of \d+|not received|\b0 late", said), f"{where} says a count as nobody says it"
    assert "in the previous period" not in said, f"{where} mixes a count into a change column"


@pytest.mark.parametrize(
    ("width", "height", "smallest_html", "smallest_any"), [(1920, 1080, 22, 16), (1366, 768, 16, 16)]
)
def test_presentation_walks_every_slide_without_scrolling(
    open_page, dashboard_url, width, height, smallest_html, smallest_any
):
    """Body text at least 22 px at 1080 high, nothing under 16 px at 768; the marking and "slide n of m" on
    every slide; the Right key moves on."""
    loaded = open_page("/briefing?present=1", width=width, height=height)
    page = loaded.page
    for number in range(1, TOTAL + 1):
        _on_slide(page, number)
        _check_slide(page, number, smallest_html, smallest_any)
        save_screenshot(page, f"presenting_{width}x{height}_slide_{number}")
        if number < TOTAL:
            page.keyboard.press("ArrowRight")
    assert loaded.outside_requests(dashboard_url) == []


def test_a_clickers_keys_move_between_slides_and_esc_leaves(open_page):
    page = open_page("/briefing?present=1&slide=3", width=1366, height=768).page
    _on_slide(page, 3)
    for key, expected in [("PageDown", 4), ("Space", 5), ("PageUp", 4), ("ArrowLeft", 3), ("End", TOTAL), ("Home", 1)]:
        page.keyboard.press(key)
        _on_slide(page, expected)
        assert f"slide={expected}" in page.url, (key, page.url)
    page.keyboard.press("Escape")
    page.wait_for_function("!location.search.includes('present=1')", timeout=60_000)
    wait_until_rendered(page)
    assert page.get_by_role("button", name="Present").is_visible()
    save_screenshot(page, "briefing_after_presenting_1366x768")


def test_the_present_button_opens_presentation_mode(open_page):
    page = open_page("/briefing?slide=2", width=1920, height=1080).page
    save_screenshot(page, "briefing_page_1920x1080")
    page.get_by_role("button", name="Present").click()
    page.wait_for_function("location.search.includes('present=1')", timeout=60_000)
    _on_slide(page, 2)
    assert page.evaluate(MEASURE)["sidebarHidden"]


# The force map as the browser has it: the deck's box, the slide's, and the deck's own layer settings (the
# spec Streamlit hands deck.gl, read from the component's props: the labels are drawn on a canvas).
DECK = """() => {
  const element = document.querySelector('[data-testid="stDeckGlJsonChart"]');
  const box = element.getBoundingClientRect();
  let spec = null;
  for (const node of [element, ...element.querySelectorAll('*')]) {
    const key = Object.keys(node).find(name => name.startsWith('__reactFiber$'));
    for (let fiber = key && node[key]; fiber && !spec; fiber = fiber.return) {
      const props = fiber.memoizedProps;
      if (props && props.element && typeof props.element.json === 'string') spec = props.element.json;
    }
    if (spec) break;
  }
  return {width: box.width, height: box.height, left: box.left, top: box.top, right: box.right,
          bottom: box.bottom, slideWidth: innerWidth, slideHeight: innerHeight, spec,
          zoom: element.currentCSSZoom ?? parseFloat(getComputedStyle(element).zoom || '1')};
}"""


@pytest.mark.parametrize(("width", "height", "smallest_label"), [(1920, 1080, 22), (1366, 768, 16)])
def test_the_force_map_takes_half_the_slide_with_labels_for_a_room(open_page, width, height, smallest_label):
    """The map fills the left half of the slide, inside the window and above the footer, and its labels are drawn
    at 22 px at 1080 high, scaling with the window (16 px at 768, the room's floor): the deck's text size times
    the zoom the page gives the deck, since the labels are on a canvas."""
    page = open_page("/briefing?present=1&slide=4", width=width, height=height).page
    _on_slide(page, 4)
    deck = page.evaluate(DECK)
    save_screenshot(page, f"presenting_{width}x{height}_force_map")
    assert deck["width"] >= 0.45 * deck["slideWidth"], deck
    assert deck["left"] >= 0 and deck["right"] <= width and deck["top"] >= 0, "the map is outside the window"
    labels = [layer for layer in json.loads(deck["spec"])["layers"] if layer["@@type"] == "TextLayer"]
    assert labels and all(layer.get("sizeUnits", "pixels") == "pixels" for layer in labels), labels
    drawn_sizes = [layer["getSize"] * deck["zoom"] for layer in labels]
    assert min(drawn_sizes) >= smallest_label - 0.01, (drawn_sizes, deck["zoom"])
    footer = page.evaluate("document.querySelector('.st-key-slide_footer').getBoundingClientRect().top")
    assert deck["bottom"] <= footer + 1, "the map runs under the footer"
    assert footer - deck["bottom"] <= 0.12 * height, f"the map stops {footer - deck['bottom']:.0f} px above the footer"
