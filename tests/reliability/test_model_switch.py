"""Switching the embedding model while queries run: every query is answered, and each answer
comes wholly from the old model's index or wholly from the new one."""

from __future__ import annotations

import json
import random
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.embed.embedder import bundled_model_path
from engine.library import Library
from tests.mediagen import audio_template, clone_with_tags
from tests.textgen import description

QUERIES = ("glaciers and oceans", "a history of medicine", "chess and jazz")


def _other_model(tmp_path: Path) -> Path:
    """The bundled model with max pooling instead of mean: a different, valid local model."""
    folder = tmp_path / "max-pooled-minilm"
    shutil.copytree(bundled_model_path(), folder)
    config = folder / "1_Pooling" / "config.json"
    pooling = json.loads(config.read_text())
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    config.write_text(json.dumps(pooling))
    return folder


def _ranked(library: Library, query: str) -> tuple[int, ...]:
    return tuple(int(r["id"]) for r in library.search(query, k=5))


def _switch_while_held(
    library: Library,
    model: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: object,
    name: str,
    ask: Callable[[], None],
) -> None:
    """Run `ask` in a thread that, on reaching `target.<name>`, waits there until the switch
    to `model` is done: the narrowest window of a query against the old model."""
    real = getattr(target, name)
    reached, switched = threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is asker:  # only the asking thread waits
            reached.set()
            switched.wait()  # set below whatever happens
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, held)
    asker = threading.Thread(target=ask)
    asker.start()
    while not reached.wait(0.1) and asker.is_alive():
        pass  # until it is held, or it ended without reaching it (a failure, below)
    assert reached.is_set(), "the query never reached the held call"
    try:
        assert library.switch_model(str(model))
    finally:
        switched.set()
        asker.join()
    monkeypatch.undo()


def _talks(tmp_path: Path) -> Path:
    rng = random.Random(3)
    folder = tmp_path / "Podcasts"
    folder.mkdir()
    template = audio_template(seconds=0.2)
    for n in range(60):
        clone_with_tags(
            template,
            folder / f"e{n}.mp3",
            title=f"Talk {n}",
            show="Talks",
            description=description(rng, n),
        )
    return folder


def test_queries_survive_a_model_switch(tmp_path: Path) -> None:
    folder = _talks(tmp_path)
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        old_model = library.model().embedder.model_id
        before = {q: _ranked(library, q) for q in QUERIES}

        answers: list[tuple[str, tuple[int, ...]]] = []
        errors: list[BaseException] = []
        done = threading.Event()

        def ask() -> None:
            while not done.is_set():
                for query in QUERIES:
                    try:
                        answers.append((query, _ranked(library, query)))
                    except BaseException as exc:  # the assertion below reports it
                        errors.append(exc)

        asker = threading.Thread(target=ask)
        asker.start()
        try:
            assert library.switch_model(str(_other_model(tmp_path)))
        finally:
            done.set()
            asker.join()

        assert library.model().embedder.model_id != old_model
        assert library.settings().model_path is not None
        after = {q: _ranked(library, q) for q in QUERIES}
        assert errors == []
        assert len(answers) > len(QUERIES)  # queries really ran during the switch
        assert before != after  # the two models rank differently, so the check below can fail
        for query, ranked in answers:
            assert ranked in (before[query], after[query])


def test_a_search_caught_by_the_swap_answers_from_the_new_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The narrowest window: a search has picked the old model, and before it reads that
    model's index the switch swaps the new one in and closes the old index. The search must
    not rank from the closed (empty) index, which would leave keyword evidence alone."""
    folder = _talks(tmp_path)
    with Library(tmp_path / "data", workers=1) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        query = QUERIES[0]
        before = _ranked(library, query)
        answers: list[tuple[int, ...]] = []
        _switch_while_held(
            library,
            _other_model(tmp_path),
            monkeypatch,
            library.model().index,
            "snapshot",
            lambda: answers.append(_ranked(library, query)),
        )
        after = _ranked(library, query)
        assert before != after  # the models rank differently, so the check below can fail
        assert answers == [after]


def test_a_search_whose_model_stops_mid_query_asks_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the model in a child process (as the app runs it), the switch stops the old child
    while a search is about to embed its words there: the search is answered by the new
    model, not with an error."""
    folder = _talks(tmp_path)
    with Library(tmp_path / "data", workers=1, embed_in_child=True) as library:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        before = _ranked(library, QUERIES[1])
        # The same words in capitals (the model is uncased): not in the query cache, so the
        # search below embeds them in the old child.
        query = QUERIES[1].upper()
        answers: list[tuple[int, ...]] = []
        errors: list[BaseException] = []

        def ask() -> None:
            try:
                answers.append(_ranked(library, query))
            except BaseException as exc:  # reported below
                errors.append(exc)

        _switch_while_held(
            library, _other_model(tmp_path), monkeypatch, library.model().embedder, "embed", ask
        )
        after = _ranked(library, query)
        assert errors == []
        assert before != after
        assert answers == [after]


def test_the_switched_from_model_and_a_closed_librarys_model_are_freed(tmp_path: Path) -> None:
    """Their weights and runtime threads go at once: every library a process opened used to
    keep its model until the last page holding the embedder was collected (7.5 GB over the
    desktop tests)."""
    folder = _talks(tmp_path)
    library = Library(tmp_path / "data", workers=1)
    try:
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        _ranked(library, QUERIES[0])  # loads the model in this process
        old = library.model().embedder
        assert old.loaded
        assert library.switch_model(str(_other_model(tmp_path)))
        assert not old.loaded
        _ranked(library, QUERIES[0])
        new = library.model().embedder
        assert new.loaded
    finally:
        library.close()
    assert not new.loaded
