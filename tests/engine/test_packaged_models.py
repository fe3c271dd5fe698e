"""A model whose weights ship inside a package (engine/embed/packaged_models.py): the
multilingual Universal Sentence Encoder. Chosen with the setting `package:use-multilingual-v3`,
switched to and from the bundled model (384 → 512 dimensions), in process and in the child."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.embed.embedder import make_embedder
from engine.embed.model_catalog import BUNDLED_SCALE, USE_MULTILINGUAL, similarity_scale
from engine.library import Library
from engine.library_errors import LibraryError
from engine.recommend.search import DEFAULT
from tests.mediagen import make_episodes
from tests.textgen import CHINESE_EPISODES as EPISODES

SETTING = USE_MULTILINGUAL.setting


def _library_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "播客"
    make_episodes(folder, [(t, "漫谈", d) for t, (d, _query) in EPISODES.items()])
    return folder


def _first_titles(library: Library) -> list[str | None]:
    firsts = []
    for _title, (_description, query) in EPISODES.items():
        results = library.search(query, k=3)
        firsts.append(results[0]["title"] if results else None)
    return firsts


def test_a_library_switches_to_the_multilingual_model_and_back(tmp_path: Path) -> None:
    folder = _library_folder(tmp_path)
    with Library(tmp_path / "data", workers=1) as library:
        # The user picked the bundled model (else the first indexing would choose this one).
        library.update_settings(model_choice="user")
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        bundled = library.model().embedder.model_id
        assert library.model().embedder.dim == 384
        before = _first_titles(library)

        assert library.switch_model(SETTING)
        active = library.model()
        assert active.embedder.model_id.startswith("use-multilingual-v3@")
        assert active.embedder.dim == 512  # a new index of its own size beside the old one
        after = _first_titles(library)
        assert after == list(EPISODES)  # every paraphrase finds its episode first
        assert before != after  # the English-only model does not: the check above can fail
        assert library.settings().model_path == SETTING

        assert library.switch_model(None)  # back to the bundled model
        assert library.model().embedder.model_id == bundled
        assert _first_titles(library) == before


def test_the_cut_off_sits_on_the_multilingual_models_own_scale(tmp_path: Path) -> None:
    """USE's similarities sit lower than MiniLM's (a relevant item ~0.39 against ~0.52): with
    the bundled model's cut-off a good English match for a Chinese episode was "closest"."""
    folder = _library_folder(tmp_path)
    with Library(tmp_path / "data", workers=1) as library:
        library.update_settings(model_choice="user")
        library.add_root(folder, "podcast")
        library.scan()
        library.index_now()
        assert library.switch_model(SETTING)
        first = library.search("what yeast does when dough rises", k=3)[0]
        assert first["title"] == "面包的科学"
        assert first["score"] < DEFAULT.match_at  # below the bundled model's cut-off...
        assert first["match"]  # ...and above the multilingual model's
        assert not library.search("what yeast does when dough rises", k=3)[1]["match"]


def test_similarity_scales_map_the_bundled_models_anchors_onto_their_own() -> None:
    scale = USE_MULTILINGUAL.scale
    assert scale.threshold(BUNDLED_SCALE.unrelated) == pytest.approx(scale.unrelated)
    assert scale.threshold(BUNDLED_SCALE.relevant) == pytest.approx(scale.relevant)
    assert BUNDLED_SCALE.threshold(0.45) == pytest.approx(0.45)
    assert similarity_scale("use-multilingual-v3@0.2.1+0db566fd0af8") == scale
    assert similarity_scale("local:my-model@abc") == BUNDLED_SCALE
    tuned = DEFAULT.on_scale(scale)
    assert tuned.match_at < DEFAULT.match_at and tuned.keyword_weight == DEFAULT.keyword_weight


def test_the_model_runs_in_the_child_process_too() -> None:
    texts = [description for description, _query in EPISODES.values()] + ["A cat on a mat."]
    here = make_embedder(SETTING)
    child = make_embedder(SETTING, isolated=True)
    try:
        assert child.model_id == here.model_id
        np.testing.assert_allclose(child.embed(texts), here.embed(texts), atol=1e-5)
    finally:
        child.close()  # type: ignore[attr-defined]


def test_an_unknown_packaged_model_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    with (
        Library(tmp_path / "data", workers=1) as library,
        pytest.raises(LibraryError, match="package:use-multilingual-v3"),
    ):
        library.switch_model("package:no-such-model")
