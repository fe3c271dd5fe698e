"""A library's first indexing chooses the model its items' languages call for (issue 16): a
Chinese library gets the multilingual model without being asked, an English one keeps the
bundled model, and a library that already has vectors is never switched by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.embed.model_catalog import USE_MULTILINGUAL
from engine.library import Library
from tests.mediagen import make_episodes
from tests.textgen import CHINESE_EPISODES

ENGLISH = [
    ("Glaciers", "Ice", "How glaciers carve valleys, and what their retreat tells us."),
    ("Tides", "Sea", "Why the sea rises and falls twice a day, told by a harbour master."),
]


def _indexed(library: Library, folder: Path) -> None:
    library.add_root(folder, "podcast")
    library.scan()
    library.index_now()


def _chinese(folder: Path) -> None:
    make_episodes(folder, [(t, "漫谈", d) for t, (d, _q) in CHINESE_EPISODES.items()])


def test_a_chinese_library_gets_the_multilingual_model_at_its_first_indexing(
    tmp_path: Path,
) -> None:
    _chinese(tmp_path / "播客")
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(tmp_path / "播客", "podcast")
        library.scan()
        assert library.settings().model_choice == ""
        library.index_now()
        settings = library.settings()
        assert (settings.model_path, settings.model_choice) == (
            USE_MULTILINGUAL.setting,
            "first-run",
        )
        assert library.model().embedder.model_id.startswith(f"{USE_MULTILINGUAL.key}@")
        # The reason, for Settings: the languages it detected are stored.
        advice = library.model_advice()
        assert advice.setting == USE_MULTILINGUAL.setting and advice.others == ("zh",)
        title, (_description, query) = next(iter(CHINESE_EPISODES.items()))
        assert library.search(query, k=1)[0]["title"] == title
    # The next start keeps it, and the choice is not made again.
    with Library(tmp_path / "data", workers=1) as library:
        library.index_now()
        assert library.settings().model_path == USE_MULTILINGUAL.setting
        assert library.model().embedder.model_id.startswith(f"{USE_MULTILINGUAL.key}@")


def test_an_english_library_keeps_the_bundled_model(tmp_path: Path) -> None:
    make_episodes(tmp_path / "Podcasts", ENGLISH)
    with Library(tmp_path / "data", workers=1) as library:
        _indexed(library, tmp_path / "Podcasts")
        settings = library.settings()
        assert (settings.model_path, settings.model_choice) == (None, "kept")
        assert library.model().embedder.model_id.startswith("all-MiniLM-L6-v2@")


def test_a_library_with_vectors_is_not_switched_by_it(tmp_path: Path) -> None:
    """A library indexed before this choice existed (its setting unset) that now gets Chinese
    items keeps its model: switching would re-embed everything unasked."""
    make_episodes(tmp_path / "Podcasts", ENGLISH)
    with Library(tmp_path / "data", workers=1) as library:
        _indexed(library, tmp_path / "Podcasts")
        library.update_settings(model_choice="")  # as an older library has it
        _chinese(tmp_path / "播客")
        _indexed(library, tmp_path / "播客")
        settings = library.settings()
        assert (settings.model_path, settings.model_choice) == (None, "kept")
        assert library.model().embedder.model_id.startswith("all-MiniLM-L6-v2@")


def test_the_users_choice_is_never_overridden(tmp_path: Path) -> None:
    _chinese(tmp_path / "播客")
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")  # picked the bundled model in Settings
        _indexed(library, tmp_path / "播客")
        assert library.settings().model_path is None
        assert library.model().embedder.model_id.startswith("all-MiniLM-L6-v2@")


def test_the_advice_counts_languages_not_regions() -> None:
    from engine.embed.model_catalog import OTHER_LANGUAGE_SHARE, advise_model

    # A feed's "zh-cn" and a detected "zh" are one language, named once.
    advice = advise_model({"zh-cn": 5, "zh": 3, "en": 2, "": 4})
    assert (advice.setting, advice.known, advice.other, advice.others) == (
        USE_MULTILINGUAL.setting,
        10,
        8,
        ("zh",),
    )
    assert advise_model({"en-gb": 9, "en": 1}).others == ()  # English in any region
    # Below the share, the bundled model stays advised; a language the multilingual model was
    # not trained for is named but not advised for.
    few = int(100 * OTHER_LANGUAGE_SHARE) - 1
    assert advise_model({"en": 100 - few, "de": few}).setting is None
    swahili = advise_model({"sw": 50, "en": 50})
    assert swahili.others == ("sw",) and swahili.setting is None


def test_an_empty_librarys_first_pass_does_not_decide(tmp_path: Path) -> None:
    """The app's index worker runs a pass at start, before the user adds a folder: the choice
    waits for items."""
    with Library(tmp_path / "data", workers=1) as library:
        library.index_now()  # nothing to embed yet
        assert library.settings().model_choice == ""
        _chinese(tmp_path / "播客")
        _indexed(library, tmp_path / "播客")
        assert library.settings().model_path == USE_MULTILINGUAL.setting


def test_a_sample_of_the_untagged_items_stands_for_all_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Languages are detected for a sample only (a large library's first indexing would wait
    for all of them), and the sample counts for every untagged item: 6 untagged Chinese items
    among 20 tagged English ones are 23 %, not the sample's 2 of 22."""
    from engine.embed import first_model

    monkeypatch.setattr(first_model, "SAMPLE", 2)
    english = [(f"Walk {n}", "Walks", ENGLISH[n % 2][2]) for n in range(20)]
    make_episodes(tmp_path / "Podcasts", english)
    _chinese(tmp_path / "播客")
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(tmp_path / "Podcasts", "podcast")
        library.add_root(tmp_path / "播客", "podcast")
        library.scan()
        with library.database.write() as db:  # as a feed's <language> tags them
            db.execute("UPDATE items SET language = 'en' WHERE title LIKE 'Walk %'")
        library.index_now()
        assert library.settings().model_path == USE_MULTILINGUAL.setting
