"""The Browse page's navigation: the list of sections and shows, the season picker, and the
pieces of loading them (the background read, the entries, each section's natural order).

Strings use translate("BrowsePage", …) literally: they were written in BrowsePage, whose
existing translations live under that context."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QListView, QWidget

from desktop.models.browse import ShowListModel
from engine.library import Library
from engine.store.browse_sql import BrowseQuery

__all__ = [
    "fetch_sections",
    "fill_seasons",
    "make_nav",
    "make_season_combo",
    "natural_sort",
    "set_sections",
]

Key = tuple[str, int | None]  # a ShowListModel key: section, show id


def make_nav(model: ShowListModel, parent: QWidget, podcasts: bool) -> QListView:
    nav = QListView(parent)
    nav.setModel(model)
    nav.setAccessibleName(
        QCoreApplication.translate("BrowsePage", "Shows")
        if podcasts
        else QCoreApplication.translate("BrowsePage", "Sections")
    )
    nav.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    nav.setIconSize(QSize(40, 40))
    nav.setSpacing(2)
    nav.setMinimumWidth(180)
    return nav


def make_season_combo(parent: QWidget) -> QComboBox:
    """Hidden until a show with numbered seasons is chosen."""
    combo = QComboBox(parent)
    combo.setAccessibleName(QCoreApplication.translate("BrowsePage", "Season"))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.hide()
    return combo


def fetch_sections(
    library: Library, podcasts: bool, profile: int | None
) -> tuple[list[dict[str, Any]], bool]:
    """Background: the shows, and whether there is loose audio (podcasts only)."""
    shows = library.shows("podcast" if podcasts else "tv", profile)
    # Loose audio only gets an entry when there is some.
    loose = podcasts and bool(library.browse(BrowseQuery("loose_audio"), profile))
    return shows, loose


def set_sections(model: ShowListModel, kind: str, shows: list[dict[str, Any]], loose: bool) -> bool:
    """Fill the navigation list; True when the page has anything to show at all."""
    if kind == "videos":
        model.set_shows(
            shows, before=[("films", QCoreApplication.translate("BrowsePage", "Films"))]
        )
    else:
        # Podcasts: the shows first, then loose audio files when there are any.
        other = (
            [("loose_audio", QCoreApplication.translate("BrowsePage", "Other audio"))]
            if loose
            else []
        )
        model.set_shows(shows, after=other)
    return bool(shows) or kind == "videos" or loose


def natural_sort(kind: str, key: Key | None) -> str:
    # Each section opens in its natural order: films by title, TV in episode order,
    # podcasts newest first.
    if key is None:
        return "title"
    if kind == "podcasts":
        return "newest"
    return "episode" if key[0] == "show" else "title"


def fill_seasons(combo: QComboBox, seasons: list[tuple[int | None, int]], keep: bool) -> bool:
    """Offer All seasons and each numbered one, keeping the chosen season when `keep`; True
    when the chosen season is gone (the items must be read again, all seasons)."""
    chosen = combo.currentData() if keep else None
    numbered = [season for season, _count in seasons if season is not None]
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(QCoreApplication.translate("BrowsePage", "All seasons"), None)
    for season in numbered:
        combo.addItem(
            QCoreApplication.translate("BrowsePage", "Season %1").replace("%1", str(season)),
            season,
        )
    at = combo.findData(chosen) if chosen is not None else 0
    combo.setCurrentIndex(max(at, 0))
    combo.blockSignals(False)
    combo.setVisible(bool(numbered))
    return chosen is not None and at < 0
