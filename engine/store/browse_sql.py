"""Queries behind the Videos and Podcasts pages: ids in display order, shows, seasons, and the
light rows that list and grid views fetch a screenful at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.store.catalog import VISIBLE_SQL

if TYPE_CHECKING:
    from engine.store.plain import Db

# What each section of the browser lists. Loose files (no show) of a video root are films.
SECTIONS = {
    "films": "i.kind IN ('movie', 'video') AND i.show_id IS NULL",
    "loose_audio": "i.kind IN ('podcast', 'audio') AND i.show_id IS NULL",
    "show": "i.show_id = :show",
    "all": "1",
}
SORTS = {
    # A Chinese title by its pinyin (title_order), any other as itself.
    "title": "coalesce(i.title_order, i.title) COLLATE NOCASE, i.id",
    "added": "i.created_at DESC, i.id DESC",
    "newest": "coalesce(i.air_date, i.year, '') DESC, i.season DESC, i.episode DESC, i.id DESC",
    "oldest": "coalesce(i.air_date, i.year, '') , i.season, i.episode, i.id",
    "episode": "i.season IS NULL, i.season, i.episode IS NULL, i.episode, i.air_date, i.id",
    "duration": "i.duration IS NULL, i.duration, i.id",
}
STATES = {
    "all": "1",
    "unplayed": "coalesce(p.completed, 0) = 0 AND coalesce(p.position, 0) = 0",
    "in_progress": "coalesce(p.completed, 0) = 0 AND p.position > 0",
    "played": "p.completed = 1",
}
SHOW_KINDS = ("podcast", "tv")


@dataclass(frozen=True)
class BrowseQuery:
    section: str = "all"
    show_id: int | None = None
    season: int | None = None
    sort: str = "title"
    state: str = "all"
    text: str = ""  # a case-insensitive substring of the title

    def check(self) -> None:
        for name, value, allowed in (
            ("section", self.section, SECTIONS),
            ("sort", self.sort, SORTS),
            ("state", self.state, STATES),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if self.section == "show" and self.show_id is None:
            raise ValueError("the show section needs a show id")


_PROGRESS = "LEFT JOIN progress p ON p.item_id = i.id AND p.profile_id = :profile"
_FILE_STATE = """
    CASE
      WHEN EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id
                   AND f.missing = 0 AND f.offline = 0) THEN 'ok'
      WHEN EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id AND f.offline = 1) THEN 'offline'
      ELSE 'missing'
    END
"""


class BrowseSql:
    def __init__(self, db: Db) -> None:
        self.db = db
        # Items only in removed folders are hidden; most libraries have none, and skip the test.
        hidden = db.conn.execute("SELECT 1 FROM roots WHERE removed_at IS NOT NULL").fetchone()
        self._visible = VISIBLE_SQL if hidden is not None else "1"

    def item_ids(self, query: BrowseQuery, profile_id: int) -> list[int]:
        query.check()
        where = [SECTIONS[query.section], STATES[query.state], self._visible]
        params: dict[str, Any] = {"profile": profile_id, "show": query.show_id}
        if query.season is not None:
            where.append("i.season = :season")
            params["season"] = query.season
        if query.text.strip():
            # instr on lower() rather than LIKE: no escaping of % and _ in what people type.
            where.append("instr(lower(i.title), :text) > 0")
            params["text"] = query.text.strip().lower()
        sql = (
            f"SELECT i.id FROM items i {_PROGRESS} WHERE {' AND '.join(where)} "
            f"ORDER BY {SORTS[query.sort]}"
        )
        return [int(r[0]) for r in self.db.conn.execute(sql, params)]

    def shows(self, kind: str, profile_id: int, text: str = "") -> list[dict[str, Any]]:
        """Shows of one kind with episode counts, unplayed counts and the latest air date."""
        if kind not in SHOW_KINDS:
            raise ValueError(f"show kind must be one of {', '.join(SHOW_KINDS)}")
        filt = "AND instr(lower(s.title), :text) > 0" if text.strip() else ""
        sql = f"""
            SELECT s.id, s.title, s.description, s.artwork, count(i.id) AS episodes,
                   sum(coalesce(p.completed, 0) = 0) AS unplayed,
                   max(coalesce(i.air_date, i.year)) AS latest,
                   max(i.created_at) AS added
            FROM shows s JOIN items i ON i.show_id = s.id {_PROGRESS}
            WHERE s.kind = :kind AND {self._visible} {filt}
            GROUP BY s.id ORDER BY coalesce(s.title_order, s.title) COLLATE NOCASE, s.id
        """
        params = {"kind": kind, "profile": profile_id, "text": text.strip().lower()}
        return [dict(r) for r in self.db.query(sql, params)]

    def seasons(self, show_id: int) -> list[tuple[int | None, int]]:
        """(season, episode count) in order; None collects episodes with no season number."""
        rows = self.db.conn.execute(
            f"SELECT season, count(*) FROM items i WHERE show_id = ? AND {self._visible} "
            "GROUP BY season ORDER BY season IS NULL, season",
            (show_id,),
        )
        return [(r[0], int(r[1])) for r in rows]

    def rows(self, ids: Sequence[int], profile_id: int) -> dict[int, dict[str, Any]]:
        """The columns a list or grid shows, for many items in one query."""
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        sql = f"""
            SELECT i.id, i.kind, i.title, i.show_id, s.title AS show, i.season, i.episode,
                   i.air_date, i.year, i.duration, i.artwork, s.artwork AS show_artwork,
                   i.created_at, i.description,
                   coalesce(p.position, 0) AS position, coalesce(p.completed, 0) AS completed,
                   p.last_played_at, {_FILE_STATE} AS state
            FROM items i LEFT JOIN shows s ON s.id = i.show_id
            LEFT JOIN progress p ON p.item_id = i.id AND p.profile_id = ?
            WHERE i.id IN ({marks})
        """
        return {int(r["id"]): dict(r) for r in self.db.query(sql, (profile_id, *ids))}
