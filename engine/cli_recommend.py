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
from engine.recommend.reasons import Reason
from engine.recommend.rows import ROW_KINDS, Row

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
    ev.add_argument(
        "--ablation", action="store_true", help="also score each signal left out, in one pass"
    )
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
        print_json([row_json(r) for r in rows])
        return 0
    for row in rows:
        print(f"== {row.title}")
        for item in row.items:
            print(
                f"{item.item_id:>6}  {item.score:>9.3f}  {item.title} — {reason_text(item.reason)}"
            )
    return 0


def row_json(row: Row) -> dict[str, Any]:
    """A row as the CLI's JSON: each item's reason as data ({"kind", "args"}, stable) and as
    `reason_text`, the English the plain output prints."""
    out = row.as_dict()
    for entry, item in zip(out["items"], row.items, strict=True):
        entry["reason_text"] = reason_text(item.reason)
    return out


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _votes(reason: Reason) -> str:
    rating, votes = float(reason.get("rating", 0)), int(reason.get("votes", 0))
    return f"rated {rating:.1f}/10 by {votes:,} people"


def reason_text(reason: Reason) -> str:
    """Plain English for the CLI; titles marked *Title*, numbers kept (a developer's view).
    The window never shows this: desktop/reasons.py words reasons in the UI language."""
    a = reason.args
    sim = f" (similarity {float(a.get('similarity', 0)):.2f})" if "similarity" in a else ""
    match reason.kind:
        case "liked_self":
            return "You liked this"
        case "because_liked":
            return f"Because you liked *{a['title']}*{sim}"
        case "because_watched":
            return f"Because you watched *{a['title']}*{sim}"
        case "watched_with":
            return f"Often watched with *{a['title']}* on this computer"
        case "similar_to":
            return f"Similar to *{a['title']}*{sim}"
        case "popular":
            return f"Popular: {_votes(reason)}"
        case "variety":
            return "Picked for variety"
        case "start_popular":
            return f"A popular pick to start with: {_votes(reason)}"
        case "start":
            return "A pick to start with"
        case "explore":
            return "From your library"
        case "continue":
            left = a.get("remaining")
            tail = f", {float(left) / 60:.0f} min left" if left is not None else ""
            return f"You stopped at {_clock(float(a['position']))}{tail}"
        case "next_in_show":
            return f"Next in *{a['show']}*" + (" (you follow it)" if a.get("followed") else "")
        case "watched_by":
            return f"Watched by {' and '.join(a['names'])} (taste match {float(a['match']):.2f})"
        case "added_days_ago":
            days = int(a["days"])
            return "Added today" if days == 0 else f"Added {days} day{'s' if days != 1 else ''} ago"
    return reason.kind


def run_eval_command(args: argparse.Namespace) -> int:
    from engine.recommend.evaluate import ablation_variants, run_eval
    from engine.recommend.strategies import SIGNALS

    unknown = set(args.without) - set(SIGNALS)
    if unknown:
        print(f"reelcast: unknown signal {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2

    signals = [s for s in SIGNALS if s not in set(args.without)]

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
        signals=signals,
        diversity=not args.no_diversity,
        progress=progress if sys.stderr.isatty() else None,
        variants=ablation_variants(args.mode, signals) if args.ablation else None,
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
        for name, (hr, nd) in result.variants.items():
            print(f"  without {name}: HR@10 {hr:.4f}  NDCG@10 {nd:.4f}")
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
