"""Switching the embedding model while queries run: every query is answered, and each answer
comes wholly from the old model's index or wholly from the new one."""

from __future__ import annotations

import json
import random
import shutil
import threading
from pathlib import Path

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


def test_queries_survive_a_model_switch(tmp_path: Path) -> None:
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
