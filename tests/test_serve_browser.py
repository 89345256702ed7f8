"""evaltool serve in a real browser: Debian's chromium driven by Playwright (never a downloaded browser).

One server and one browser for the whole session.  The officer's path: both samples dropped on the page,
the findings seen, a warning explained, the checked copy downloaded and re-checked by the command line;
then the keyboard alone, and the English switch.  Screenshots of the main states go to
``test-output/serve/`` (not committed).  Skipped when /usr/bin/chromium or playwright is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaltool.text.catalogue import tr

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
MISTAKES, CORRECT = SAMPLES / "fengshun-2023-with-mistakes.xlsx", SAMPLES / "fengshun-2023.xlsx"
SHOTS = ROOT / "test-output" / "serve"
EXPLANATION = "系上年结转资金按决算数填列，尾差已核对"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no system chromium (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def written():
    """Every checked copy the page's server asked for: (explanations it carried, where it went)."""
    return []


@pytest.fixture(scope="session")
def serve(tmp_path_factory, written):
    from evaltool.outputs import checked
    from evaltool.web.server import Server

    real = checked.write_checked

    def spy(result, out_path, **kw):
        written.append((dict(result.explanations), out_path))
        return real(result, out_path, **kw)

    checked.write_checked = spy  # the session imports it where it writes, so it sees this one
    server = Server(0, root=str(tmp_path_factory.mktemp("serve"))).start()
    yield server
    server.close()
    checked.write_checked = real


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def page(browser, serve):
    """The page an officer has open: both samples checked (the tests below go on from there)."""
    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(serve.url)
    page.set_input_files("#files", [str(MISTAKES), str(CORRECT)])
    page.locator("#results article").nth(1).wait_for()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def choose_with_space(page):
    """Space on the focused file chooser opens it, as for a keyboard user.  Headless chromium now and then
    drops that key's activation (seen under load in a fresh clone: the chooser event never came), so the key
    is pressed again, each try waiting for the chooser event: no sleeping, and a chooser that never opens
    to the keyboard still fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(2):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press(" ")
            return chooser.value
        except PlaywrightTimeout:
            continue
    with page.expect_file_chooser(timeout=10_000) as chooser:  # the last try fails the test
        page.keyboard.press(" ")
    return chooser.value


def article(page, sample: Path):
    return page.locator("#results article", has_text=sample.name).first  # the first upload of it


def test_both_samples_checked_with_their_findings(page):
    shot(page, "1-results.png")
    assert page.url.endswith("/") and "token" not in page.url  # the token left the address bar
    mistakes = article(page, MISTAKES)
    assert mistakes.locator(".verdict").inner_text() == tr("verdict_word_fail", "zh")
    row = mistakes.locator("tr", has_text="SHR01")
    cells = row.locator("td").all_inner_texts()
    assert cells[:5] == ["SHR01", "收支情况!C5", "81.33%", "81.32%", "0.01"]
    assert "按 2369.93 ÷ 2914.41 重算为 81.32%" in cells[5]
    titles = mistakes.locator("h4").all_inner_texts()
    assert titles == [f"{tr('state_error', 'zh')} (7)", f"{tr('state_unexplained', 'zh')} (4)",
                      f"{tr('state_info', 'zh')} (12)"]
    correct = article(page, CORRECT)
    assert correct.locator(".verdict").inner_text() in (tr("verdict_word_ready", "zh"),
                                                        tr("verdict_word_pass_unexplained", "zh"))
    statuses = page.locator("#progress .status").all_inner_texts()
    assert len(statuses) == 2 and tr("verdict_word_fail", "zh") in statuses


def _warning_id(page) -> str:
    return article(page, MISTAKES).locator(".group-unexplained textarea").first.get_attribute("data-finding")


def _explains(copy: Path, finding_code: str, text: str) -> bool:
    """Whether the copy's 核查结果 holds ``text`` on the row of ``finding_code``."""
    import openpyxl

    ws = openpyxl.load_workbook(copy, read_only=True)["核查结果"]
    return any(row[0] == finding_code and text in [c for c in row if isinstance(c, str)]
               for row in ws.iter_rows(values_only=True))


def test_an_explained_warning_reaches_the_copy_and_the_command_line(page, serve, written, tmp_path):
    mistakes = article(page, MISTAKES)
    finding = _warning_id(page)
    code = finding.split(":")[0]
    box = mistakes.locator(f'textarea[data-finding="{finding}"]')
    box.fill(EXPLANATION)
    box.locator("xpath=ancestor::div[1]").get_by_role("button").click()
    explained = article(page, MISTAKES).locator(".group-explained")
    explained.wait_for()
    assert explained.locator("textarea").input_value() == EXPLANATION
    assert article(page, MISTAKES).locator(".verdict").inner_text() == tr("verdict_word_fail", "zh")  # errors remain
    shot(page, "2-explained.png")

    with page.expect_download() as info:
        article(page, MISTAKES).get_by_role("link", name=tr("web.download_checked", "zh")).click()
    copy = tmp_path / info.value.suggested_filename
    info.value.save_as(copy)
    assert copy.name == "fengshun-2023-with-mistakes.checked.xlsx"
    # the page set Result.explanations and the CLI's writer wrote this very copy with it
    entry = serve.session.done()[0]
    assert entry.explanations == {finding: EXPLANATION}
    assert written[-1] == ({finding: EXPLANATION}, entry.target)

    out = subprocess.run([sys.executable, "-m", "evaltool", "check", str(copy), "--format", "json",
                          "-o", str(tmp_path / "again.checked.xlsx")], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr  # the errors are still there; the copy reads as a workbook
    again = json.loads(out.stdout)["files"][0]
    assert again["error"] is None and again["counts"]["error"] == 7
    # the explanation is in the copy's 核查结果, and the command line carries it over and counts it
    assert _explains(copy, code, EXPLANATION)
    rechecked = next(f for f in again["findings"] if f["id"] == finding)
    assert (rechecked["explanation"], rechecked["state"]) == (EXPLANATION, "explained")
    assert again["states"]["explained"] == 1


def test_downloads_for_the_batch(page, tmp_path):
    for name in (tr("web.download_summary", "zh"), tr("web.download_template", "zh")):
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        info.value.save_as(tmp_path / info.value.suggested_filename)
        assert (tmp_path / info.value.suggested_filename).read_bytes()[:2] == b"PK"
    # a draft of a workbook with errors is refused with the command line's reason, in the page
    article(page, MISTAKES).get_by_role("link", name=tr("web.download_draft", "zh")).click()
    page.locator("#notice", has_text="7").wait_for()
    assert page.locator("#notice").inner_text() == tr("web.draft_refused", "zh", errors=7)


def test_a_dropped_file_is_checked(page):
    import base64

    before = page.locator("#results article").count()
    data = base64.b64encode(CORRECT.read_bytes()).decode()
    files = page.evaluate_handle("""(b64) => {
        const dt = new DataTransfer();
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], "拖入的自评表.xlsx"));
        return dt;
    }""", data)
    page.dispatch_event("#drop", "dragover", {"dataTransfer": files})
    page.dispatch_event("#drop", "drop", {"dataTransfer": files})
    dropped = page.locator("#results article").nth(before)
    dropped.wait_for()
    assert "拖入的自评表.xlsx" in dropped.locator("h3").inner_text()
    assert page.locator("#progress li").last.inner_text().startswith("拖入的自评表.xlsx")


def test_keyboard_only(browser, serve):
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.goto(serve.url)
    assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0  # DOM order rules
    # every control has a name a screen reader says
    page.get_by_label(tr("web.files_label", "zh")).wait_for()
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert order == ["中文", "English", "quit", "files", "priors", tr("web.download_summary", "zh"),
                     tr("web.download_template", "zh")]
    # choose a file from the keyboard: focus the chooser, press Space
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    chooser = choose_with_space(page)
    before = page.locator("#results article").count()  # what this launch checked before is listed too
    chooser.set_files(str(MISTAKES))
    page.locator("#results article").nth(before).wait_for()
    for box in page.locator("textarea").all():  # every box is named by its label
        label = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
        assert page.get_by_label(label, exact=True).count() >= 1 and label.startswith("单位说明：")
    # the first blank explanation: reached by Tab, typed, saved with Enter; focus stays on it
    blank = "el => el.tagName === 'TEXTAREA' && el.value === ''"
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate(f"({blank})(document.activeElement)"):
            break
    finding = page.evaluate("document.activeElement.dataset.finding")
    page.keyboard.type(EXPLANATION)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == tr("web.explain_save", "zh")
    page.keyboard.press("Enter")
    page.locator(f'.group-explained textarea[data-finding="{finding}"]:focus').wait_for()
    saved = page.evaluate("document.activeElement.closest('.explain-form').querySelector('.saved').textContent")
    assert saved == tr("web.explain_saved", "zh")
    shot(page, "3-keyboard.png")
    context.close()


def test_english_switch_keeps_the_results(page):
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    page.locator("#results article").nth(1).wait_for()
    assert page.locator("h1").inner_text() == tr("web.title", "en")
    assert article(page, MISTAKES).locator(".verdict").inner_text() == tr("verdict_word_fail", "en")
    titles = article(page, MISTAKES).locator("h4").all_inner_texts()
    assert titles[0] == f"{tr('state_error', 'en')} (7)"
    assert any(t.startswith(tr("state_explained", "en") + " (") for t in titles)
    shot(page, "4-english.png")
    with page.expect_navigation():
        page.get_by_role("link", name="中文").click()
    page.locator("#results article").nth(1).wait_for()


def test_quit_stops_the_server(browser, tmp_path):
    from evaltool.web.server import Server

    server = Server(0, root=str(tmp_path)).start()
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url)
    page.get_by_role("button", name=tr("web.quit", "zh")).click()
    page.get_by_text(tr("web.quit_done", "zh")).wait_for()
    server.wait()  # returns at once: 退出 stopped it
    assert not Path(server.session.folder).exists()
    context.close()


def test_last_years_workbook_chosen_with_the_keyboard(browser, tmp_path):
    """On a launch of its own (the shared one's department would be re-checked against it)."""
    from evaltool.web.server import Server
    from tests.test_serve_http import edited

    this, last = tmp_path / "本年.xlsx", tmp_path / "上年.xlsx"
    this.write_bytes(edited(carry_in=0))
    last.write_bytes(edited(year=2022, carry_out=12))
    server = Server(0, root=str(tmp_path)).start()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(server.url)
    page.set_input_files("#files", str(this))
    page.locator("#results article").wait_for()
    assert page.locator("#results tr", has_text="PRI01").count() == 0
    page.get_by_label(tr("web.priors_label", "zh")).wait_for()  # the chooser is named by its label
    for _ in range(5):  # 中文, English, 退出, this year's chooser, last year's
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "priors"
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "priors-help"
    choose_with_space(page).set_files(str(last))
    row = page.locator("#results article", has_text="本年.xlsx").locator("tr", has_text="PRI01")
    row.wait_for()  # this year's workbook checked again against it
    cells = row.locator("td").all_inner_texts()
    assert cells[:4] == ["PRI01", "收支情况!B15", "0.00", "12.00"]
    assert page.locator("#prior-list li").inner_text() == "上年.xlsx " + tr("web.prior_used", "zh", names="本年.xlsx")
    statuses = page.locator("#progress .status").all_inner_texts()  # this year's line says its new verdict
    assert statuses == [tr("verdict_word_fail", "zh"), tr("web.prior_used", "zh", names="本年.xlsx")]
    shot(page, "5-last-year.png")
    context.close()
    server.close()
