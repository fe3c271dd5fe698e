"""Settings dialog, profile switcher, theme and language against a real library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop import appearance
from desktop.tasks import Tasks
from desktop.views.profile_switcher import ProfileSwitcher
from desktop.views.settings_dialog import SettingsDialog
from engine.library import Library
from tests.desktop.recording import RecordingLibrary
from tests.mediagen import make_audio, make_episodes
from tests.textgen import CHINESE_EPISODES

SWITCH = 120_000  # ms; a model switch loads the model (seconds)


def open_dialog(qtbot: QtBot, library: Library, tasks: Tasks) -> SettingsDialog:
    dialog = SettingsDialog(library, tasks)
    qtbot.addWidget(dialog)
    return dialog


def reopened(library: Library) -> Library:
    """A second Library on the same data dir: what the next start of the app would read."""
    return Library(library.data_dir, workers=1)


# --- settings persist ----------------------------------------------------------------------


def test_appearance_and_indexing_changes_persist(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    dialog = open_dialog(qtbot, library, tasks)
    assert dialog.appearance_tab.theme.currentData() == "system"
    assert dialog.indexing_tab.immediate.isChecked()
    assert not dialog.indexing_tab.batch_changes.isEnabled()

    with qtbot.waitSignal(dialog.themeChanged) as theme:
        dialog.appearance_tab.set_theme("dark")
    assert theme.args == ["dark"]
    with qtbot.waitSignal(dialog.languageChanged) as language:
        dialog.appearance_tab.set_language("zh_CN")
    assert language.args == ["zh_CN"]
    dialog.indexing_tab.batched.setChecked(True)
    assert dialog.indexing_tab.batch_changes.isEnabled()
    dialog.indexing_tab.batch_changes.setValue(20)
    dialog.indexing_tab.batch_seconds.setValue(30)
    qtbot.waitUntil(lambda: not dialog.is_saving())
    assert dialog.status.text() and not dialog.status.is_error
    dialog.close()

    with reopened(library) as again:
        settings = again.settings()
    assert (settings.theme, settings.ui_language) == ("dark", "zh_CN")
    assert (settings.index_mode, settings.batch_changes, settings.batch_seconds) == (
        "batched",
        20,
        30.0,
    )
    # A new dialog shows what was saved.
    second = open_dialog(qtbot, library, tasks)
    assert second.appearance_tab.theme.currentData() == "dark"
    assert second.appearance_tab.language.currentData() == "zh_CN"
    assert second.indexing_tab.batched.isChecked()
    assert second.indexing_tab.batch_changes.value() == 20


def test_changes_made_just_before_closing_are_saved(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    dialog = SettingsDialog(library, tasks)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.appearance_tab.set_theme("light")
    dialog.indexing_tab.batched.setChecked(True)  # queued behind the theme write
    dialog.close()
    qtbot.waitUntil(lambda: library.settings().index_mode == "batched")
    assert library.settings().theme == "light"


# --- folders -------------------------------------------------------------------------------


def test_folders_add_change_kind_remove(
    qtbot: QtBot, qtmodeltester: object, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    folder = tmp_path / "Shows"
    folder.mkdir()
    dialog = open_dialog(qtbot, library, tasks)
    model = dialog.folders_tab.model
    assert model.rowCount() == 0

    with qtbot.waitSignal(dialog.foldersChanged):
        dialog.add_folder(str(folder), "podcast")
    (root,) = library.roots()
    assert (root.kind, model.rowCount()) == ("podcast", 1)
    assert model.index(0, 0).data() == root.path
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    with qtbot.waitSignal(dialog.foldersChanged):
        dialog.set_folder_kind(root.id, "mixed")
    assert library.roots()[0].kind == "mixed"

    # The table's own editor path: an edit of the kind column asks for the change.
    with qtbot.waitSignal(dialog.foldersChanged):
        assert model.setData(model.index(0, 1), "video", Qt.ItemDataRole.EditRole)
    assert library.roots()[0].kind == "video"
    assert not model.setData(model.index(0, 1), "cartoons", Qt.ItemDataRole.EditRole)

    with qtbot.waitSignal(dialog.foldersChanged):
        dialog.remove_folder(root.id)
    assert library.roots() == []
    assert model.rowCount() == 0


def test_bad_folder_shows_an_error_and_changes_nothing(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, library, tasks)
    changed: list[bool] = []
    dialog.foldersChanged.connect(lambda: changed.append(True))
    dialog.add_folder(str(tmp_path / "no such folder"), "video")
    qtbot.waitUntil(lambda: dialog.folders_tab.status.is_error)
    assert "not a folder" in dialog.folders_tab.status.text()
    assert library.roots() == [] and not changed


def test_remove_asks_first_and_says_history_stays(
    qtbot: QtBot,
    library: Library,
    tasks: Tasks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    library.add_root(folder, "podcast")
    dialog = open_dialog(qtbot, library, tasks)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> object:
        def question(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
            asked.append(text)
            return button

        return question

    dialog.folders_tab.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.folders_tab.ask_remove_folder()
    assert len(library.roots()) == 1  # "No" keeps it
    assert "history stay" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.foldersChanged):
        dialog.folders_tab.ask_remove_folder()
    assert library.roots() == []


# --- profiles ------------------------------------------------------------------------------


def test_profiles_add_rename_interests_default_delete(
    qtbot: QtBot, qtmodeltester: object, library: Library, tasks: Tasks
) -> None:
    dialog = open_dialog(qtbot, library, tasks)
    tab = dialog.profiles_tab
    default = library.history.default_profile()
    assert tab.model.rowCount() == 1 and not tab.delete_button.isEnabled()

    with qtbot.waitSignal(dialog.profilesChanged):
        tab.add_profile("Kids")
    kids = library.history.profile("Kids")
    assert tab.selected_id() == kids.id and tab.delete_button.isEnabled()
    qtmodeltester.check(tab.model)  # type: ignore[attr-defined]

    with qtbot.waitSignal(dialog.profilesChanged):
        tab.rename_profile(kids.id, "Children")
    assert library.history.profile(kids.id).name == "Children"
    assert tab.model.index(tab.model.row_of(kids.id), 0).data() == "Children"

    # Typing interests saves them (after a pause, or at once when the dialog closes).
    with qtbot.waitSignal(dialog.profilesChanged):
        tab.interests.setPlainText("dinosaurs and volcanoes")
    assert library.history.profile(kids.id).interests == "dinosaurs and volcanoes"

    with qtbot.waitSignal(dialog.profilesChanged):
        tab.add_profile("Kids")  # the old name is free again
    tab.rename_profile(kids.id, "Kids")  # ...and now taken by the new profile
    qtbot.waitUntil(lambda: tab.status.is_error)
    assert "already a profile" in tab.status.text()

    tab.delete_profile(default.id)  # the default profile cannot go
    qtbot.waitUntil(lambda: "default profile cannot" in tab.status.text())

    with qtbot.waitSignal(dialog.profilesChanged):
        tab.make_default(kids.id)
    assert library.history.default_profile().id == kids.id
    with qtbot.waitSignal(dialog.profilesChanged):
        tab.delete_profile(default.id)
    assert default.id not in [p.id for p in library.history.profiles()]
    assert tab.model.rowCount() == 2


def test_profile_delete_confirmation_says_history_goes(
    qtbot: QtBot, library: Library, tasks: Tasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    guest = library.history.add_profile("Guest")
    dialog = open_dialog(qtbot, library, tasks)
    tab = dialog.profiles_tab
    tab.list.setCurrentIndex(tab.model.index(tab.model.row_of(guest.id), 0))
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.waitSignal(dialog.profilesChanged):
        tab.ask_delete_profile()
    assert "viewing history" in asked[0] and "Guest" in asked[0]
    assert [p.name for p in library.history.profiles()] == [library.history.default_profile().name]


def test_interests_typed_just_before_closing_are_saved(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    dialog = open_dialog(qtbot, library, tasks)
    dialog.show()
    dialog.profiles_tab.save_timer.setInterval(600_000)  # only closing can save it in time
    dialog.profiles_tab.interests.setPlainText("  jazz  ")
    dialog.close()
    default = library.history.default_profile().id
    qtbot.waitUntil(lambda: library.history.profile(default).interests == "jazz")


# --- the profile switcher ------------------------------------------------------------------


def test_profile_switcher_switches_persists_and_manages(
    qtbot: QtBot, library: Library, tasks: Tasks
) -> None:
    default = library.history.default_profile()
    kids = library.history.add_profile("Kids")
    switcher = ProfileSwitcher(library, tasks)
    qtbot.addWidget(switcher)
    assert switcher.accessibleName() == "Profile"
    qtbot.waitUntil(lambda: switcher.current_profile_id() == default.id)  # read in the background
    assert switcher.itemText(switcher.count() - 1) == "Manage profiles…"

    with qtbot.waitSignal(switcher.profileChanged) as changed:
        switcher.set_profile(kids.id)
    assert changed.args == [kids.id] and switcher.current_profile_id() == kids.id
    qtbot.waitUntil(lambda: not switcher.writer.busy())
    with reopened(library) as again:
        assert again.settings().profile_id == kids.id

    # The next start opens with the same profile.
    second = ProfileSwitcher(library, tasks)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.profileChanged) as started:  # pages began on the default
        pass
    assert started.args == [kids.id]
    assert second.current_profile_id() == kids.id and second.currentText() == "Kids"

    # "Manage profiles…" asks for the settings and keeps the profile.
    with qtbot.waitSignal(switcher.manageRequested):
        switcher.setCurrentIndex(switcher.count() - 1)
    assert switcher.current_profile_id() == kids.id and switcher.currentText() == "Kids"

    # A rename shows after reload; a deleted current profile falls back to the default.
    library.history.rename_profile(kids.id, "Children")
    with qtbot.waitSignal(switcher.loaded):
        switcher.reload()
    assert switcher.currentText() == "Children"
    library.history.delete_profile(kids.id)
    with qtbot.waitSignal(switcher.profileChanged) as fallback:
        switcher.reload()
    assert fallback.args == [default.id] and switcher.currentText() == default.name


def test_profile_switcher_by_keyboard(qtbot: QtBot, library: Library, tasks: Tasks) -> None:
    kids = library.history.add_profile("Kids")
    switcher = ProfileSwitcher(library, tasks)
    qtbot.addWidget(switcher)
    qtbot.waitUntil(lambda: switcher.current_profile_id() is not None)
    switcher.show()
    switcher.setFocus()
    with qtbot.waitSignal(switcher.profileChanged) as changed:
        qtbot.keyClick(switcher, Qt.Key.Key_Down)
    assert changed.args == [kids.id]


# --- theme and language --------------------------------------------------------------------


def window_lightness() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


def test_apply_theme_dark_light_and_back_to_system(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    native = appearance.style_name(app)
    try:
        appearance.apply_theme(app, "dark")
        assert window_lightness() < 100
        assert appearance.style_name(app) == "fusion"
        widget = QWidget()
        qtbot.addWidget(widget)
        base = widget.palette().color(QPalette.ColorRole.Base)
        text = widget.palette().color(QPalette.ColorRole.Text)
        assert base.lightness() < text.lightness()  # light text on dark fields

        appearance.apply_theme(app, "light")
        assert window_lightness() > 180
        assert appearance.style_name(app) == "fusion"
        # "system": Reelcast's look in the OS's light or dark (offscreen reports neither: light).
        appearance.apply_theme(app, "system")
        assert appearance.style_name(app) == "fusion"
        assert window_lightness() > 180
        assert app.styleSheet()
    finally:
        appearance.apply_theme(app, "native")
    assert appearance.style_name(app) == native
    assert app.palette().resolveMask() == 0  # nothing overridden: the platform's own palette
    assert not app.styleSheet()


def compile_translation(folder: Path) -> Path:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    assert lrelease.exists(), "pyside6-lrelease is part of PySide6"
    source = folder / "reelcast_zh_CN.ts"
    source.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="zh_CN"><context><name>SettingsTest</name>'
        "<message><source>Good evening</source><translation>晚上好</translation></message>"
        "</context></TS>\n",
        encoding="utf-8",
    )
    compiled = folder / "reelcast_zh_CN.qm"
    subprocess.run([str(lrelease), str(source), "-qm", str(compiled)], check=True)
    assert compiled.is_file()
    return folder


def test_install_language_translates_and_back_to_english(
    qapp: QApplication, tmp_path: Path
) -> None:
    app = qapp
    folder = compile_translation(tmp_path)

    def text() -> str:
        return QCoreApplication.translate("SettingsTest", "Good evening")

    try:
        assert appearance.install_language(app, "zh_CN", translations_dir=folder) == "zh_CN"
        assert text() == "晚上好"
        # Installing again replaces, never stacks: one app translation at a time.
        assert appearance.install_language(app, "zh_CN", translations_dir=folder) == "zh_CN"
        assert text() == "晚上好"
    finally:
        assert appearance.install_language(app, "en", translations_dir=folder) == "en"
    assert text() == "Good evening"
    # No file for a language: English, and no error.
    assert appearance.install_language(app, "zh_CN", translations_dir=tmp_path / "none") == "en"
    assert text() == "Good evening"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "reelcast_zh_CN.qm").write_bytes(b"not a translation")
    assert appearance.install_language(app, "zh_CN", translations_dir=broken) == "en"


def test_default_translations_dir_is_resources_next_to_the_package() -> None:
    folder = appearance.default_translations_dir()
    assert folder == Path(appearance.__file__).resolve().parent.parent / "resources" / (
        "translations"
    )


# --- the embedding model -------------------------------------------------------------------


def test_switch_to_a_folder_that_is_no_model_shows_why_and_keeps_the_model(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    folder = tmp_path / "not a model"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello")
    dialog = open_dialog(qtbot, library, tasks)
    tab = dialog.model_tab
    assert tab.bundled.isChecked() and not tab.path_edit.isEnabled()
    changed: list[bool] = []
    dialog.modelChanged.connect(lambda: changed.append(True))

    tab.local.setChecked(True)
    tab.path_edit.setText(str(folder))
    assert tab.switch_button.isEnabled()
    tab.switch_button.click()
    assert tab.is_busy() and not tab.switch_button.isEnabled()
    assert "Preparing" in tab.status.text()
    qtbot.waitUntil(lambda: not tab.is_busy(), timeout=SWITCH)
    assert tab.status.is_error
    assert "not a sentence-transformers model" in tab.status.text()
    assert library.settings().model_path is None and not changed
    assert "Bundled" in tab.current_label.text()


def test_real_switch_to_a_local_folder_and_back(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    # The bundled model's own folder, picked as a "local folder": a real switch (another
    # model id, so the library is embedded again) that takes seconds, not minutes.
    from engine.embed.embedder import bundled_model_path

    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(folder / "a.mp3", seconds=0.2, title="Glaciers", description="Ice carving.")
    library.add_root(folder, "podcast")
    library.scan()
    model_folder = bundled_model_path()
    dialog = open_dialog(qtbot, library, tasks)
    progress: list[int] = []
    dialog.model_tab.progress.valueChanged.connect(progress.append)

    with qtbot.waitSignal(dialog.modelChanged, timeout=SWITCH):
        dialog.switch_model(model_folder)
    assert not dialog.model_tab.status.is_error
    assert library.settings().model_path == model_folder
    assert model_folder in dialog.model_tab.current_label.text()
    assert progress  # the embedding pass reported

    with qtbot.waitSignal(dialog.modelChanged, timeout=SWITCH):
        dialog.switch_model(None)
    assert library.settings().model_path is None
    assert "Bundled" in dialog.model_tab.current_label.text()


def test_a_chinese_library_gets_the_multilingual_model_says_why_and_can_switch_back(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    from engine.embed.model_catalog import USE_MULTILINGUAL

    folder = tmp_path / "播客"
    chinese = [(t, "漫谈", d) for t, (d, _query) in list(CHINESE_EPISODES.items())[:2]]
    glaciers = "How glaciers carve valleys, and what their retreat tells us about climate."
    make_episodes(folder, [*chinese, ("Glaciers", "Ice", glaciers)])
    library.add_root(folder, "podcast")
    library.scan()
    library.index_now()  # the first indexing: the items' languages choose the model

    dialog = open_dialog(qtbot, library, tasks)
    tab = dialog.model_tab
    with qtbot.waitSignal(tab.adviceShown, timeout=SWITCH):  # counted in the background
        pass
    button = tab.packaged[USE_MULTILINGUAL.setting]
    assert button.isChecked() and not tab.bundled.isChecked()
    assert "Multilingual model" in tab.current_label.text()
    assert tab.advice.isVisibleTo(tab)
    assert "2 of 3 items" in tab.advice.text() and "中文" in tab.advice.text()
    assert "chosen when the library was first indexed" in tab.advice.text()
    # The multilingual model embeds the library and the queries (keyword search alone would
    # find 茶馆 for these words too: they share 老店).
    assert library.model().embedder.model_id.startswith(f"{USE_MULTILINGUAL.key}@")
    assert library.search("老城区喝茶听书的老店", k=1)[0]["title"] == "茶馆里的故事"

    # The user can always pick: back to the bundled model, then the advice offers a switch.
    tab.bundled.setChecked(True)
    with qtbot.waitSignal(dialog.modelChanged, timeout=SWITCH):
        tab.switch_button.click()
    assert not tab.status.is_error
    assert (library.settings().model_path, library.settings().model_choice) == (None, "user")
    assert "Bundled" in tab.current_label.text()
    assert "switch to it" in tab.advice.text()
    assert library.model().embedder.model_id.startswith("all-MiniLM-L6-v2@")


def test_an_english_library_is_not_advised_another_model(
    qtbot: QtBot, library: Library, tasks: Tasks, tmp_path: Path
) -> None:
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    make_audio(
        folder / "a.mp3",
        seconds=0.2,
        title="Glaciers",
        description="How glaciers carve valleys, and what their retreat tells us about climate.",
    )
    library.add_root(folder, "podcast")
    library.scan()
    library.index_now()
    dialog = open_dialog(qtbot, library, tasks)
    with qtbot.waitSignal(dialog.model_tab.adviceShown, timeout=SWITCH):
        pass
    assert not dialog.model_tab.advice.isVisibleTo(dialog.model_tab)


def test_the_model_tab_counts_the_librarys_languages_off_the_ui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # A GROUP BY over every item: tens of milliseconds on a large library, so not where the
    # dialog is being built (tests/desktop/recording.py records each call's thread).
    library = RecordingLibrary(tmp_path / "data", workers=1)
    tasks = Tasks()
    try:
        dialog = open_dialog(qtbot, library, tasks)
        with qtbot.waitSignal(dialog.model_tab.adviceShown, timeout=SWITCH):
            pass
        assert "model_advice" in library.call_log.names()
        assert "model_advice" not in library.call_log.on_ui_thread()
    finally:
        tasks.wait()
        library.close()
