"""One query, one embedding: the Search page asks for items and for passages with the same words,
often on two threads at once, and the model embeds the query once for both."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from engine.embed.embedder import Embedder
from engine.library import Library
from engine.library_queries import QueryVectors
from tests.engine.test_passages import LIGHTHOUSE, QUERY, _episode
from tests.transcriptgen import filler_cues, with_cue, write_vtt


class Counting:
    """A real embedder, counting the texts it is asked to embed (under another id if given)."""

    def __init__(self, embedder: Embedder, model_id: str | None = None) -> None:
        self.inner = embedder
        self.model_id = model_id or embedder.model_id
        self.dim = embedder.dim
        self.texts: list[str] = []
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Any:
        with self._lock:
            self.texts.extend(texts)
        return self.inner.embed(texts, batch_size)

    def load(self) -> None:
        self.inner.load()


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("queries")
    folder = tmp / "Pods"
    folder.mkdir()
    _episode(folder, "one", "Episode one")
    write_vtt(folder / "one.vtt", with_cue(filler_cues(900, seed=1), 600.0, LIGHTHOUSE))
    with Library(tmp / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        yield library


def _count_embeds(library: Library, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    embedder = library.model().embedder
    asked: list[str] = []
    real = embedder.embed

    def embed(texts: Sequence[str], batch_size: int = 32) -> Any:
        asked.extend(texts)
        return real(texts, batch_size)

    monkeypatch.setattr(embedder, "embed", embed)
    return asked


def test_items_and_passages_for_one_query_embed_it_once(
    indexed: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _count_embeds(indexed, monkeypatch)
    items = indexed.search(QUERY, k=3)
    said = indexed.search_passages(QUERY, k=3)
    assert items and items[0]["title"] == "Episode one"
    assert said and abs(said[0]["start_s"] - 600.0) < 10.0
    assert asked == [QUERY]
    indexed.search(QUERY, k=3)  # typed again: still known
    assert asked == [QUERY]
    indexed.search_passages("a storm at sea", k=3)
    assert asked == [QUERY, "a storm at sea"]


def test_two_threads_searching_at_once_embed_the_query_once(
    indexed: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _count_embeds(indexed, monkeypatch)
    query = "sailors rescued by a keeper"
    start = threading.Barrier(2)
    found: dict[str, Any] = {}

    def run(name: str, search: Any) -> None:
        start.wait()
        found[name] = search(query, k=3)

    threads = [
        threading.Thread(target=run, args=("items", indexed.search)),
        threading.Thread(target=run, args=("passages", indexed.search_passages)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found["items"] and found["passages"]
    assert asked == [query]


def test_another_model_embeds_again_and_the_cache_stays_small(indexed: Library) -> None:
    real = indexed.model().embedder
    first, other = Counting(real), Counting(real, "another-model")
    queries = QueryVectors(size=2)
    vector = queries.vector(first, "harbour")
    assert np.array_equal(queries.vector(first, "harbour"), vector)
    assert first.texts == ["harbour"]
    queries.vector(other, "harbour")  # another model's vectors do not compare: embed again
    assert other.texts == ["harbour"]
    for text in ("a", "b", "harbour"):  # only the last two are kept
        queries.vector(other, text)
    assert other.texts == ["harbour", "a", "b", "harbour"]
    with pytest.raises(ValueError):
        vector[0] = 1.0  # shared by every search: read-only
