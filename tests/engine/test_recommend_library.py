"""Recommendations through the façade on a real scanned and embedded library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.library import Library
from tests.mediagen import make_audio

TOPICS = {
    "Glaciers": "How ice sheets carve valleys over millennia.",
    "Sea Ice": "Polar oceans freeze and thaw with the seasons.",
    "Opera": "Verdi, Puccini and the Italian stage.",
    "Jazz": "Bebop in New York clubs after the war.",
    "Comets": "Icy visitors from the outer solar system.",
}


def _titles(row: Any) -> list[str]:
    return [i.title for i in row.items]


def test_rows_follow_history_and_settings(tmp_path: Path) -> None:
    folder = tmp_path / "Podcasts"
    for n, (title, text) in enumerate(TOPICS.items()):
        show = folder / ("Earth" if n < 2 else f"Show {n}")
        show.mkdir(parents=True, exist_ok=True)
        make_audio(show / f"{n}.mp3", seconds=0.2, title=title, show=show.name, description=text)
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        ids = {item["title"]: int(item["id"]) for item in library.items()}
        profile = library.history.default_profile().id

        cold = library.recommendations(profile, kinds=["for-you"])
        assert cold and len(cold[0].items) == len(TOPICS)  # cold start still fills the row

        library.history.mark_watched(profile, ids["Glaciers"])
        library.history.not_interested(profile, ids["Comets"])
        (for_you,) = library.recommendations(profile, kinds=["for-you"])
        titles = [i.title for i in for_you.items]
        assert "Glaciers" not in titles and "Comets" not in titles  # watched, dismissed
        assert for_you.items[0].title.endswith("Sea Ice")
        assert for_you.items[0].reason.args["title"].endswith("Glaciers")

        (because,) = library.recommendations(profile, kinds=["because"])
        # Sea Ice is like Glaciers; the rest of this small library is not: one item, no padding.
        assert because.seed_id == ids["Glaciers"] and _titles(because) == ["Earth: Sea Ice"]
        library.update_settings(because_per_seed=1, because_merged=True)
        (merged,) = library.recommendations(profile, kinds=["because"])
        assert merged.title == "Because you watched" and len(merged.items) == 1

        like_this = library.more_like_this(ids["Opera"], profile, k=2)
        assert ids["Opera"] not in [i.item_id for i in like_this.items]
