"""The Videos page on a 100k-item library: `Library.browse` of every film, handing the ids to
`ItemListModel`, and scrolling a real `QTableView` (offscreen) page by page, each page painted,
so `data()` runs for the visible rows and the model reads blocks through `Library.item_rows`.

Baseline, in the same run: one `item_rows` call of 64 ids, the query a cold block costs.
The library is built the way the recommend bench builds it (rows straight into the store).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from engine.library import Library
from engine.store.browse_sql import BrowseQuery
from tests.bench.recommend_bench import _build, _pct

_DIM = 8  # vectors are stored by the shared builder but unused here: keep them tiny
_ROW_HEIGHT = 36


def _ms(fn: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        clock = time.perf_counter()
        fn()
        out.append((time.perf_counter() - clock) * 1000)
    return out


def _row(name: str, values: list[float], note: str = "") -> str:
    return f"| {name} | {statistics.median(values):.2f} | {_pct(values, 99):.2f} | {note} |"


def run(items: int = 100_000, pages: int = 50, repeats: int = 20) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

    from desktop.models.browse import BLOCK, ItemListModel

    app = QApplication.instance() or QApplication([])
    with (
        tempfile.TemporaryDirectory(prefix="reelcast-browse-bench-") as tmp,
        Library(Path(tmp) / "data", workers=1) as library,
    ):
        started = time.monotonic()
        _build(library, items, _DIM, "browse-bench", np.random.default_rng(7))
        built = time.monotonic() - started
        profile = library.history.default_profile().id
        films_query = BrowseQuery("films", sort="title")
        ids = library.browse(films_query, profile)

        browse_ms = _ms(lambda: library.browse(films_query, profile), repeats)
        newest = BrowseQuery("films", sort="newest", state="unplayed")
        newest_ms = _ms(lambda: library.browse(newest, profile), repeats)
        text = BrowseQuery("films", sort="title", text="jazz")
        text_ms = _ms(lambda: library.browse(text, profile), repeats)

        rng = random.Random(3)
        starts = [rng.randrange(0, len(ids) - BLOCK) for _ in range(100)]
        block_ms = []
        for start in starts:  # baseline: the one query a cold block costs
            chunk = ids[start : start + BLOCK]
            clock = time.perf_counter()
            library.item_rows(chunk, profile)
            block_ms.append((time.perf_counter() - clock) * 1000)

        model = ItemListModel(library, lambda: profile)
        set_ms = []
        for n in range(repeats):
            # Alternate lists so every call is a real reset, not the same-ids refresh.
            chosen = ids if n % 2 == 0 else ids[:-1]
            clock = time.perf_counter()
            model.set_ids(chosen)
            set_ms.append((time.perf_counter() - clock) * 1000)
        model.set_ids(ids)

        table = QTableView()
        table.setModel(model)
        vertical = table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(_ROW_HEIGHT)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.resize(1000, 800)
        table.show()
        app.processEvents()
        per_page = max(1, table.viewport().height() // _ROW_HEIGHT)
        bar = table.verticalScrollBar()

        def paint_at(row: int) -> float:
            clock = time.perf_counter()
            bar.setValue(row)  # per-item scrolling: the value is the top row
            table.viewport().repaint()  # paints now: data() for every visible cell
            app.processEvents()  # and anything the scroll posted
            return (time.perf_counter() - clock) * 1000

        roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole)
        columns = range(model.columnCount())

        def data_at(row: int) -> float:
            # What a paint asks of the model for one page, without the drawing.
            clock = time.perf_counter()
            for r in range(row, row + per_page):
                for c in columns:
                    index = model.index(r, c)
                    for role in roles:
                        model.data(index, role)
            return (time.perf_counter() - clock) * 1000

        model.invalidate()
        scroll_ms = [paint_at(page * per_page) for page in range(pages)]
        model.invalidate()
        data_ms = [data_at(page * per_page) for page in range(pages)]
        model.invalidate()
        jumps = [rng.randrange(0, len(ids) - per_page) for _ in range(pages)]
        jump_ms = [data_at(row) for row in jumps]
        warm_ms = [data_at(row) for row in jumps]  # the same pages again, all cached
        table.close()

    lines = [
        f"{items:,} items ({len(ids):,} films), built in {built:.0f} s; QTableView offscreen, "
        f"{per_page} rows a page, blocks of {BLOCK}",
        "",
        "| operation | p50 ms | p99 ms | note |",
        "|---|---|---|---|",
        _row("baseline: item_rows of 64 ids", block_ms, "one query, the cost of a cold block"),
        _row("browse: all films by title", browse_ms, f"{len(ids):,} ids"),
        _row("browse: unplayed films, newest", newest_ms, ""),
        _row("browse: films, title filter", text_ms, '"jazz"'),
        _row("ItemListModel.set_ids", set_ms, "model reset, nothing fetched"),
        _row(f"scroll {pages} pages: data()", data_ms, "a new block every ~3 pages"),
        _row(f"scroll {pages} pages: data() + paint", scroll_ms, "QTableView.repaint"),
        _row(f"jump to {pages} random pages: data()", jump_ms, "every page cold: 1-2 blocks"),
        _row("same pages again: data()", warm_ms, "all rows cached"),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(run(args.items, args.pages, args.repeats))
