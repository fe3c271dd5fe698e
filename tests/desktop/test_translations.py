"""The shipped Simplified Chinese translation: it loads and changes the UI, every message is
translated with its placeholders and accelerators kept, the .qm is compiled from the .ts, and
the .ts holds every string desktop/ asks to translate (`make translations` refreshes both)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from desktop.appearance import default_translations_dir, install_language
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.library import Library

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "reelcast_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent
LUPDATE = BIN / "pyside6-lupdate"
LRELEASE = BIN / "pyside6-lrelease"
# As in the Makefile's `translations` target.
LUPDATE_OPTIONS = "-source-language en -target-language zh_CN -no-obsolete -locations none".split()

# %1..%99 (Qt's arguments) and {name} (str.format fields).
PLACEHOLDER = re.compile(r"%\d+|\{[A-Za-z_][A-Za-z0-9_]*\}")
# "&X" marks a keyboard accelerator; "&&" is a literal ampersand.
ACCELERATOR = re.compile(r"(?<!&)&(?!&)(\w)")

Key = tuple[str, str, str]  # context, source, disambiguation comment


def _messages(ts: Path) -> dict[Key, ET.Element]:
    # The .ts is our own file, written by lupdate: the standard parser is fine for it.
    root = ET.parse(ts).getroot()
    found: dict[Key, ET.Element] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = message
    return found


def _tool(tool: Path) -> Path:
    if not tool.exists():
        # PySide6 (a dependency) ships the tools: missing means a broken install, not a skip.
        pytest.fail(f"{tool.name} is not installed next to this Python")
    return tool


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    # A translation is app-wide: leave the next test in English even when this one fails.
    yield qapp
    install_language(qapp, "en")


def test_chinese_applies_to_new_widgets_and_english_comes_back(
    app: QApplication, library: Library
) -> None:
    assert default_translations_dir() == TS.parent
    tasks = Tasks()
    windows: list[MainWindow] = []
    try:
        assert install_language(app, "zh_CN") == "zh_CN"
        windows.append(MainWindow(library, tasks, watch=False))
        sidebar = [windows[0].sidebar.item(i).text() for i in range(windows[0].sidebar.count())]
        assert sidebar[:5] == ["主页", "视频", "播客", "搜索", "历史记录"]
        assert not any(text.isascii() for text in sidebar), sidebar
        # The menus are built outside the window class; they must find their context too.
        menus = [a.text() for a in windows[0].menuBar().actions()]
        assert menus[:3] == ["文件(&F)", "转到(&G)", "查看(&V)"]
        assert not any(text.isascii() for text in menus), menus

        assert install_language(app, "en") == "en"
        windows.append(MainWindow(library, tasks, watch=False))
        assert windows[1].sidebar.item(0).text() == "Home"
        # Widgets built earlier keep their strings (the app asks for a restart).
        assert windows[0].sidebar.item(0).text() == "主页"
    finally:
        # Both home pages started loading rows; delete the windows before those results are
        # delivered, so no follow-up load (which would load the model) starts after the test.
        tasks.wait()
        for window in windows:
            window.close()
            shiboken6.delete(window)
        QApplication.processEvents()
        tasks.wait()


def test_every_message_is_translated_with_its_placeholders() -> None:
    messages = _messages(TS)
    assert len(messages) > 100
    problems: list[str] = []
    for (context, source, _comment), message in messages.items():
        translation = message.find("translation")
        assert translation is not None
        # A plural message ("%n problems") has one form per plural rule: Chinese has one.
        forms = [f.text or "" for f in translation.findall("numerusform")]
        texts = forms if message.get("numerus") == "yes" else [translation.text or ""]
        for text in texts:
            where = f"{context}: {source!r} -> {text!r}"
            if translation.get("type") in ("unfinished", "obsolete", "vanished") or not text:
                problems.append(f"not finished: {where}")
                continue
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"placeholders differ: {where}")
            if ("%n" in source) != ("%n" in text):
                problems.append(f"%n lost: {where}")
            wanted = [c.upper() for c in ACCELERATOR.findall(source)]
            if [c.upper() for c in ACCELERATOR.findall(text)] != wanted:
                problems.append(f"accelerator differs: {where}")
            if source.endswith("…") and not text.endswith("…"):
                problems.append(f"trailing … lost: {where}")
    assert not problems, "\n".join(problems)


def test_shipped_qm_is_compiled_from_the_shipped_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [str(_tool(LRELEASE)), str(TS), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert QM.read_bytes() == fresh.read_bytes(), (
        f"{QM.name} is not the compiled {TS.name}: run `make translations`"
    )


def test_ts_holds_every_string_in_desktop(tmp_path: Path) -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").rglob("*.py"))
    extracted = tmp_path / "extracted.ts"
    # The same extraction as `make translations`, into a fresh file.
    subprocess.run(
        [str(_tool(LUPDATE)), *sources, *LUPDATE_OPTIONS, "-ts", str(extracted)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    wanted = set(_messages(extracted))
    shipped = set(_messages(TS))
    assert wanted, "lupdate found no strings in desktop/"
    missing = sorted(wanted - shipped)
    stale = sorted(shipped - wanted)
    lines = [f"  missing  {c}: {s!r}" + (f" ({m})" if m else "") for c, s, m in missing]
    lines += [f"  no longer used  {c}: {s!r}" + (f" ({m})" if m else "") for c, s, m in stale]
    assert not lines, (
        f"{TS.name} is out of date with desktop/: run `make translations`, translate the new "
        "entries in the .ts, then run `make translations` again.\n" + "\n".join(lines)
    )


# --- plural forms, reasons, fonts --------------------------------------------------------------

TS_EN = TS.with_name("reelcast_en.ts")


def test_english_plural_forms_are_complete_and_compiled(tmp_path: Path) -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").rglob("*.py"))
    extracted = tmp_path / "plurals.ts"
    options = [o if o != "zh_CN" else "en" for o in LUPDATE_OPTIONS] + ["-pluralonly"]
    subprocess.run(
        [str(_tool(LUPDATE)), *sources, *options, "-ts", str(extracted)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert set(_messages(extracted)) == set(_messages(TS_EN)), "run `make translations`"
    for (context, source, _comment), message in _messages(TS_EN).items():
        forms = [f.text or "" for f in message.iter("numerusform")]
        assert len(forms) == 2 and all("%n" in f for f in forms), (context, source, forms)
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(_tool(LRELEASE)), str(TS_EN), "-qm", str(fresh)], check=True)
    assert TS_EN.with_suffix(".qm").read_bytes() == fresh.read_bytes()


def test_counts_use_plural_forms(app: QApplication, library: Library) -> None:
    from desktop.models.errors import ErrorsModel

    install_language(app, "en")
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=False)
    try:
        window._error_count(1)
        assert window.errors_button.text() == "⚠ 1 problem"
        window._error_count(2)
        assert window.errors_button.text() == "⚠ 2 problems"
        model = ErrorsModel()
        model.set_errors([{"path": "/m/a.mkv", "stage": "read", "error": "bad", "at": ""}])
        assert model.count_text() == "1 file could not be read"
        model.set_errors(
            [
                {"path": "/m/a.mkv", "stage": "read", "error": "bad", "at": ""},
                {"path": "/m/b.mkv", "stage": "read", "error": "bad", "at": ""},
                {"path": "/m/b.nfo", "stage": "sidecar", "error": "bad", "at": ""},
            ]
        )
        assert model.count_text() == "2 files could not be read, 1 warning"
        assert install_language(app, "zh_CN") == "zh_CN"
        assert model.count_text() == "2 个文件无法读取，1 个警告"
    finally:
        tasks.wait()
        window.close()
        shiboken6.delete(window)
        QApplication.processEvents()
        tasks.wait()


def test_a_cards_reason_is_translated(app: QApplication, library: Library) -> None:
    from PySide6.QtCore import Qt

    from desktop import reasons
    from desktop.models.rows import RowItemsModel
    from engine.library import RowItem
    from engine.recommend.reasons import KINDS, Reason

    because = Reason("because_watched", {"title": "Alien", "item_id": 12, "similarity": 0.82})
    items = [
        RowItem(1, "Aliens", 1.0, because),
        RowItem(2, "99% Invisible: Ep. 5", 0.5, Reason("next_in_show", {"show": "99% Invisible"})),
        RowItem(3, "New", 0.1, Reason("added_days_ago", {"days": 3})),
    ]
    model = RowItemsModel(library)
    model.set_items(items)
    english = [model.index(n, 0).data(RowItemsModel.ReasonRole) for n in range(3)]
    assert english == ["Because you watched Alien", "Next in 99% Invisible", "Added 3 days ago"]
    assert "0.82" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # the number: tooltip

    assert install_language(app, "zh_CN") == "zh_CN"
    chinese = [model.index(n, 0).data(RowItemsModel.ReasonRole) for n in range(3)]
    assert chinese == ["因为你看过 Alien", "99% Invisible 的下一集", "3 天前添加"]
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "<i>Alien</i>" in tip and "相似度" in tip
    # Every kind of reason the engine gives has its Chinese words.
    samples = {
        "title": "X",
        "item_id": 1,
        "similarity": 0.5,
        "rating": 7.5,
        "votes": 10,
        "position": 60,
        "remaining": 600,
        "show": "S",
        "names": ["Ana"],
        "match": 0.5,
        "days": 2,
    }
    for kind in KINDS:
        line = reasons.text(Reason(kind, samples))
        assert line and not line.isascii(), (kind, line)


def test_a_language_no_font_can_draw_is_warned_about(app: QApplication, library: Library) -> None:
    from desktop import glyphs

    assert glyphs.can_draw("Home") and not glyphs.can_draw("\U0010fffd")  # a private codepoint
    assert install_language(app, "zh_CN") == "zh_CN"
    tasks = Tasks()
    window = MainWindow(library, tasks, watch=False)
    try:
        drawable = glyphs.can_draw("主页视频播客搜索历史记录")
        # Without a CJK font (as on this CI machine) the window says so, without a dialog.
        assert window.language_warning.isHidden() == drawable
        assert not window.check_glyphs("\U0010fffd")
        assert not window.language_warning.isHidden()
        assert "fonts-noto-cjk" in window.language_warning.text()
        assert window.check_glyphs("Home") and window.language_warning.isHidden()
    finally:
        tasks.wait()
        window.close()
        shiboken6.delete(window)
        QApplication.processEvents()
        tasks.wait()
