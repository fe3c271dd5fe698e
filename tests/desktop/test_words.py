"""Statuses as data, worded in the UI language (desktop/statuses.py), and the reason a card
gave carried to the detail page it opens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import reasons, statuses
from desktop.appearance import install_language
from desktop.models.errors import KIND, STAGE, WHEN, ErrorsModel
from desktop.tasks import Tasks
from desktop.views.index_status import IndexStatus
from desktop.views.main_window import MainWindow
from desktop.views.settings_tabs.folders import KIND as KIND_COLUMN
from desktop.views.settings_tabs.folders import STATE as STATE_COLUMN
from desktop.views.settings_tabs.folders import RootsModel
from engine.library import Library, LibraryError
from engine.watch.why import Why
from tests.mediagen import make_audio

WAIT = 120_000  # ms; the worker loads the embedding model before its first "idle"
ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[QApplication]:
    assert install_language(qapp, "zh_CN") == "zh_CN"
    yield qapp
    install_language(qapp, "en")  # a translation is app-wide: the next test is in English


def _english(text: str, *paths: Path) -> list[str]:
    """English words left in `text` once the paths it names are taken out."""
    for path in sorted((str(p) for p in paths), key=len, reverse=True):
        text = text.replace(path, "")
    return ENGLISH.findall(text)


def test_in_chinese_the_status_bar_folders_and_problems_show_no_english(
    chinese: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    podcasts = tmp_path / "Podcasts"
    podcasts.mkdir()
    make_audio(podcasts / "a.mp3", seconds=0.2, title="Alpha", show="Show")
    (podcasts / "broken.mp3").write_bytes(b"\x00not audio at all" * 64)
    gone = tmp_path / "USB drive"
    gone.mkdir()
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(podcasts, "podcast")
        library.add_root(gone, "mixed")
        gone.rmdir()  # a drive unplugged: the scan finds its folder offline
        library.scan()

        # The folders in Settings: their kind and state.
        roots = RootsModel()
        roots.set_roots(library.roots())
        assert sorted(r.state for r in library.roots()) == ["offline", "online"]
        for row in range(roots.rowCount()):
            for column in (KIND_COLUMN, STATE_COLUMN):
                text = str(roots.index(row, column).data())
                assert text and not _english(text), text

        status = IndexStatus(library)
        qtbot.addWidget(status)
        library.start_watching(status.on_worker_status, force_polling=True)
        up_to_date = QApplication.translate("Statuses", "Up to date")
        assert up_to_date != "Up to date"
        qtbot.waitUntil(lambda: status.label.text() == up_to_date, timeout=WAIT)
        qtbot.waitUntil(lambda: str(podcasts) in status.watch.toolTip(), timeout=WAIT)
        indexing = library.indexing_status()
        assert indexing is not None
        assert [w.why.kind for w in indexing.watchers] == ["polling_requested"]
        shown = [
            status.label.text(),
            status.label.toolTip(),
            status.watch.text(),
            status.watch.toolTip(),
            status.pause.text(),
        ]
        for text in shown:
            assert not _english(text, podcasts), text
        library.stop_watching()

        # Problems: what kind, what went wrong and when, in words (the file's name and folder
        # are the user's; the reader's own detail stays as the reader gave it).
        model = ErrorsModel()
        model.set_errors(library.errors())
        assert model.rowCount() == 1
        for column in (KIND, STAGE, WHEN):
            text = str(model.index(0, column).data())
            assert text and not _english(text), text
        assert not _english(model.count_text())

        # The library's refusals, as the Settings and welcome pages show them.
        with pytest.raises(LibraryError) as refused:
            library.add_root(podcasts, "podcast")
        assert refused.value.kind == "already_in_library"
        text = statuses.library_error(refused.value)
        assert str(podcasts) in text and not _english(text, podcasts), text


# Every way a folder can be watched, as the engine reports it, and the names in it that stay
# as they are (a kernel setting, a file system's name).
WHYS = [
    (Why("not_started"), ()),
    (Why("native"), ()),
    (Why("polling_requested", {"interval": 2.0}), ()),
    (Why("remote_fs", {"fstype": "cifs", "fuse": False, "interval": 2.0}), ("cifs",)),
    (
        Why("remote_fs", {"fstype": "fuse.sshfs", "fuse": True, "interval": 0.5}),
        ("FUSE", "fuse", "sshfs"),
    ),
    (
        Why("watch_limit", {"watched": 10, "folders": 99, "interval": 2.0}),
        ("fs.inotify.max_user_watches",),
    ),
    (
        Why("watch_limit", {"watched": None, "folders": None, "interval": 2.0}),
        ("fs.inotify.max_user_watches",),
    ),
    (Why("instance_limit", {"interval": 2.0}), ("fs.inotify.max_user_instances",)),
    (Why("folder_missing"), ()),
]


def test_in_chinese_every_watch_state_is_worded(chinese: QApplication) -> None:
    for why, names in WHYS:
        text = statuses.watching(why)
        for name in names:
            text = text.replace(name, "")
        assert text and not ENGLISH.findall(text), (why, statuses.watching(why))


def test_the_detail_page_opened_from_home_says_why_under_the_title(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "Podcasts"
    for n, title in enumerate(("Glaciers", "Opera", "Jazz")):
        (folder / f"Show {n}").mkdir(parents=True)
        make_audio(folder / f"Show {n}" / f"{n}.mp3", seconds=0.2, title=title, show=f"S{n}")
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        profile = library.history.default_profile().id
        opera = next(int(i["id"]) for i in library.items() if i["title"] == "Opera")
        session = library.history.start_session(profile, opera)
        library.history.end_session(session, 0.05, 0.2)  # in progress: the hero features it
        tasks = Tasks()
        window = MainWindow(library, tasks, watch=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        home = window.home
        qtbot.waitUntil(lambda: home.hero.item_id == opera, timeout=WAIT)
        reason = home.reason_of(opera)
        assert reason is not None and reasons.text(reason)

        with qtbot.waitSignal(window.detail.loaded, timeout=WAIT):
            home.hero.more.click()  # the hero's (and a card's) way to the item's page
        view = window.detail
        assert view.item_id() == opera
        assert view.reason_label.text() == f"Recommended: {reasons.text(reason)}"
        assert view.reason_label.isVisibleTo(view)
        # Under the title, above the metadata line, as the card had it under its title.
        assert view.title_label.y() < view.reason_label.y() < view.subtitle_label.y()
        window.close()
        tasks.wait()


def test_row_headings_are_worded_from_data_not_from_the_engines_english(
    chinese: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    from desktop.views.home import HomeView
    from engine.library import Row

    with Library(tmp_path / "data", workers=1) as library:
        tasks = Tasks()
        home = HomeView(library, tasks)
        qtbot.addWidget(home)
        try:
            # The engine's English title is for the CLI; a changed wording there must not
            # leave the UI in English (the old code looked the English titles up).
            popular = Row("for-you", "Start here", (), heading="popular")
            because = Row("because", "Since you saw Alien", (), seed_id=1, seed_title="异形")
            worded = [home._row_title(popular), home._row_title(because)]
            assert worded[1].count("异形") == 1
            for text in worded:
                assert not _english(text), text
        finally:
            tasks.wait()


def test_in_chinese_the_model_tab_names_the_model_and_its_languages_once(
    chinese: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    """A feed's zh-cn and a detected zh are one language; the model's name in a sentence has
    no mnemonic left in it (the translation's "(&M)")."""
    from desktop.views.settings_dialog import SettingsDialog
    from tests.mediagen import make_episodes
    from tests.textgen import CHINESE_EPISODES

    episodes = [(t, "漫谈", d) for t, (d, _q) in CHINESE_EPISODES.items()]
    make_episodes(tmp_path / "播客", episodes)
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(tmp_path / "播客", "podcast")
        library.scan()
        with library.database.write() as db:  # as a feed tagged half of them
            db.execute("UPDATE items SET language = 'zh-cn' WHERE id % 2 = 0")
        library.index_now()  # the rest are detected: zh
        tasks = Tasks()
        dialog = SettingsDialog(library, tasks)
        qtbot.addWidget(dialog)
        tab = dialog.model_tab
        with qtbot.waitSignal(tab.adviceShown, timeout=WAIT):
            pass
        advice, current = tab.advice.text(), tab.current_label.text()
        tasks.wait()
    assert "多语言模型" in current and "(M)" not in current and "&" not in current
    assert "(M)" not in advice and "&" not in advice
    assert advice.count("中文") == 1  # one language, however many regions tagged it


def test_lists_of_names_use_the_ui_languages_separator(chinese: QApplication) -> None:
    from desktop.views.detail_sections import facts_text

    film = {"genres": ["剧情", "爱情"], "people": ["梁朝伟", "张曼玉"]}
    text = facts_text(film)
    assert "剧情、爱情" in text and "梁朝伟、张曼玉" in text
    install_language(chinese, "en")
    assert "剧情, 爱情" in facts_text(film)


def test_the_profile_every_library_starts_with_is_named_in_the_ui_language(
    chinese: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    from desktop.views.profile_switcher import ProfileSwitcher

    with Library(tmp_path / "data", workers=1) as library:
        seeded = library.history.default_profile()
        assert seeded.name == "Default"  # the engine's data, in English
        tasks = Tasks()
        switcher = ProfileSwitcher(library, tasks)
        qtbot.addWidget(switcher)
        qtbot.waitUntil(lambda: switcher.current_profile_id() is not None, timeout=WAIT)
        tasks.wait()
        assert switcher.itemText(0) == "默认"
        library.history.rename_profile(seeded.id, "Ana")  # a name the user gave stays
        assert statuses.profile_name(library.history.default_profile()) == "Ana"
