"""The CLI's recommendation commands: recommend, similar, eval.

Wiring (engine/cli.py): add the parsers with `add_recommend_parsers(sub)` and dispatch
`args.command in RECOMMEND_COMMANDS` to `run_recommend_command(library, args)`; `eval` needs
no library and may run before one is opened (`run_eval_command(args)`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.cli_output import print_json
from engine.recommend.ranking import Filters
from engine.recommend.rows import ROW_KINDS

if TYPE_CHECKING:
    from engine.library import Library
    from engine.recommend.recommender import Recommender

RECOMMEND_COMMANDS = ("recommend", "similar", "eval")


def add_recommend_parsers(sub: Any) -> None:
    rec = sub.add_parser("recommend", help="recommendation rows for a profile")
    rec.add_argument("--profile", help="profile name or id (default: the default profile)")
    rec.add_argument("--row", choices=ROW_KINDS, help="only this row")
    rec.add_argument("--kind", action="append", default=[], help="podcast, movie, episode...")
    rec.add_argument("--max-minutes", type=float, help="only items at most this long")
    rec.add_argument("--language", action="append", default=[], help="ISO 639-1 code")
    rec.add_argument("--show", type=int, help="only this show id")
    rec.add_argument("--json", action="store_true")

    similar = sub.add_parser("similar", help="items like one item (its More like this row)")
    similar.add_argument("item_id", type=int)
    similar.add_argument("--profile", help="apply this profile's exclusions")
    similar.add_argument("-k", type=int, default=10)
    similar.add_argument("--json", action="store_true")

    ev = sub.add_parser("eval", help="offline evaluation of the For you row")
    ev.add_argument("--items", required=True, type=Path, help="items.jsonl")
    ev.add_argument("--interactions", required=True, type=Path, help="interactions.csv")
    ev.add_argument("--mode", choices=("single", "household"), default="single")
    ev.add_argument("--out", type=Path, help="write one JSON line of top 10 ids per case")
    ev.add_argument("--cache-dir", type=Path, default=Path(".bench"), help="embedding cache")
    ev.add_argument("--without", action="append", default=[], help="leave out a signal (ablation)")
    ev.add_argument("--no-diversity", action="store_true", help="plain ranking, no MMR")
    ev.add_argument("--json", action="store_true")


def run_recommend_command(library: Library, args: argparse.Namespace) -> int:
    if args.command == "eval":
        return run_eval_command(args)
    recommender = _recommender(library)
    profile_id = _profile_id(library, args.profile)
    if args.command == "similar":
        row = recommender.more_like_this(args.item_id, profile_id, args.k)
        rows = [row]
    else:
        filters = Filters(
            kinds=tuple(args.kind),
            max_duration=args.max_minutes * 60 if args.max_minutes is not None else None,
            languages=tuple(args.language),
            show_id=args.show,
        )
        kinds = (args.row,) if args.row else ROW_KINDS
        rows = recommender.rows(profile_id, filters, kinds)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    for row in rows:
        print(f"== {row.title}")
        for item in row.items:
            print(f"{item.item_id:>6}  {item.score:>9.3f}  {item.title} — {item.reason}")
    return 0


def run_eval_command(args: argparse.Namespace) -> int:
    from engine.recommend.evaluate import run_eval
    from engine.recommend.strategies import SIGNALS

    unknown = set(args.without) - set(SIGNALS)
    if unknown:
        print(f"reelcast: unknown signal {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2

    def progress(done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            sys.stderr.write(f"\rcase {done}/{total}   ")
            sys.stderr.flush()

    result = run_eval(
        args.items,
        args.interactions,
        args.mode,
        args.out,
        cache_dir=args.cache_dir,
        signals=[s for s in SIGNALS if s not in set(args.without)],
        diversity=not args.no_diversity,
        progress=progress if sys.stderr.isatty() else None,
    )
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if args.json:
        print_json(result.as_dict())
    else:
        print(
            f"{result.mode}: HR@10 {result.hr:.4f}  NDCG@10 {result.ndcg:.4f}  "
            f"cases {result.cases}  latency p50 {result.latency_p50_ms:.1f} ms "
            f"p99 {result.latency_p99_ms:.1f} ms  ({result.seconds:.0f} s)"
        )
    return 0


def _recommender(library: Library) -> Recommender:
    return library.recommender()


def _profile_id(library: Library, name: str | None) -> int:
    from engine.library import LibraryError
    from engine.store.history_sql import HistorySql

    sql = HistorySql(library.database.db)
    if name is None:
        return sql.default_profile().id
    profile = sql.profile_by_name(name)
    if profile is None and name.isdigit():
        profile = sql.profile(int(name))
    if profile is None:
        raise LibraryError(f"no profile {name!r}")
    return profile.id
