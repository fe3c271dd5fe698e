"""The document builder: field order, caps, chunking, hashing and language."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.embed import documents
from engine.embed.documents import (
    CHUNK_CHARS,
    Document,
    build_document,
    detect_language,
    document_hash,
    item_vector,
)
from engine.embed.embedder import bundled_model_path

ENGLISH = (
    "The old lighthouse keeper climbed the stairs every evening to light the lamp. "
    "Ships passing the rocky coast trusted that steady beam to guide them home."
)
FRENCH = (
    "Le vieux gardien du phare montait l'escalier chaque soir pour allumer la lampe. "
    "Les navires qui longeaient la côte rocheuse se fiaient à ce faisceau pour rentrer."
)
GERMAN = (
    "Der alte Leuchtturmwärter stieg jeden Abend die Treppe hinauf, um die Lampe anzuzünden. "
    "Die Schiffe an der felsigen Küste vertrauten diesem Licht auf dem Heimweg."
)

# A long spoken text, written for this test: one sentence per subtitle line.
SUBTITLE_LINES = [
    f"Line {n}: the crew checked the {thing} before the storm reached the harbour."
    for n, thing in enumerate(
        ["ropes", "sails", "engine", "radio", "charts", "anchor", "lamps", "pumps"] * 30
    )
]


def make_item(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": 7,
        "kind": "episode",
        "title": "Lights of the Northern Coast",
        "show": "Sea Stories",
        "show_description": "A weekly podcast about the sea.",
        "description": ENGLISH,
        "genres": ["History", "Documentary"],
        "people": ["Ada Marsh", "Tom Reed"],
        "chapters": [
            {"start": 0.0, "title": "Chapter 1", "end": 60.0},
            {"start": 60.0, "title": "The keeper's log", "end": 120.0},
            {"start": 120.0, "title": "Storm night", "end": None},
        ],
        "lyrics": None,
        "subtitles": None,
        "language": None,
        "year": 2021,
    }
    item.update(fields)
    return item


def test_fields_come_in_documented_order() -> None:
    doc = build_document(make_item(subtitles="We sailed at dawn."))
    lines = doc.text.split("\n")
    assert lines == [
        "Lights of the Northern Coast (2021)",
        "Genres: History, Documentary",
        ENGLISH,
        "Show: Sea Stories",
        "People: Ada Marsh, Tom Reed",
        "Chapters: The keeper's log; Storm night",  # generic "Chapter 1" dropped
    ]
    # Subtitles are searched as passages; with a description they stay out of the vector.
    assert "We sailed" not in doc.text
    assert doc.chunks == (doc.text,)
    assert doc.item_id == 7
    assert isinstance(doc, Document)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]


def test_people_capped_at_ten_and_deduplicated() -> None:
    people = [f"Person {n}" for n in range(15)]
    doc = build_document(make_item(people=["Person 0", *people], genres=["Drama", "drama"]))
    line = next(x for x in doc.text.split("\n") if x.startswith("People: "))
    assert line == "People: " + ", ".join(f"Person {n}" for n in range(10))
    assert "Genres: Drama\n" in doc.text


def test_long_description_is_cut_at_a_sentence_end_to_one_chunk() -> None:
    long_description = " ".join(SUBTITLE_LINES)  # about 18,000 characters
    doc = build_document(make_item(description=long_description, lyrics="la " * 3_000))
    assert len(doc.chunks) == 1
    head = doc.chunks[0]
    assert head.startswith(
        "Lights of the Northern Coast (2021)\nGenres: History, Documentary\nLine 0:"
    )
    assert len(head) <= CHUNK_CHARS
    assert head.endswith("harbour.")
    assert "la la" not in doc.text  # lyrics stand in only for a missing description


def test_a_long_chinese_description_is_cut_at_a_chinese_sentence_end() -> None:
    # Chinese puts no space after 。！？: the cut must still end a sentence, not split a word.
    sentences = [f"第{n}个故事讲的是一座海边小城的灯塔和守塔人的生活！" for n in range(60)]
    doc = build_document(make_item(title="灯塔", description="".join(sentences)))
    head = doc.chunks[0]
    assert len(head) <= CHUNK_CHARS
    assert head.endswith("生活！")


def test_show_description_only_stands_in_for_a_missing_description() -> None:
    with_own = build_document(make_item())
    assert "A weekly podcast about the sea." not in with_own.text
    without = build_document(make_item(description=None))
    assert "\nA weekly podcast about the sea.\nShow: Sea Stories\n" in without.text


def test_spoken_text_stands_in_when_nothing_describes_the_item() -> None:
    subtitles = "\n".join(SUBTITLE_LINES)
    doc = build_document(
        make_item(description=None, show_description=None, lyrics="Row, row.", subtitles=subtitles)
    )
    excerpt = doc.text.split("\n")[-1]
    assert excerpt.startswith("Row, row. Line 0: the crew")
    assert len(excerpt) <= documents.MAX_EXCERPT
    assert len(doc.chunks) == 1 and len(doc.chunks[0]) <= CHUNK_CHARS


def test_empty_fields() -> None:
    bare = {"id": 3, "title": "Solo", "genres": [], "people": [], "chapters": []}
    doc = build_document(bare)
    assert doc.text == "Solo"
    assert doc.chunks == ("Solo",)
    assert doc.language is None

    nothing = build_document({"id": 4, "title": "", "description": "   ", "lyrics": None})
    assert nothing.text == ""
    assert nothing.chunks == ()
    assert nothing.doc_hash == document_hash(())

    untitled = build_document({"id": 6, "title": "", "description": "Only words here."})
    assert untitled.chunks == ("Only words here.",)

    odd = build_document(
        {"id": 5, "title": "Odd", "genres": None, "people": "not a list", "chapters": [None, {}]}
    )
    assert odd.text == "Odd"


def test_the_chunk_fits_the_model_window() -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(bundled_model_path()) / "tokenizer.json"))
    for item in (
        make_item(description=ENGLISH * 8),
        make_item(description=None, show_description=None, subtitles=" ".join(SUBTITLE_LINES)),
        make_item(people=[f"Ngozi Adichie-Okonkwo {n}" for n in range(10)] * 2),
    ):
        (chunk,) = build_document(item).chunks
        assert len(tokenizer.encode(chunk).ids) <= 256


def test_hash_is_stable_and_follows_the_chunks() -> None:
    first = build_document(make_item())
    again = build_document(make_item())
    assert first.doc_hash == again.doc_hash
    assert len(first.doc_hash) == 32
    int(first.doc_hash, 16)
    # Fields outside the text leave the hash alone.
    assert build_document(make_item(id=99, kind="audio")).doc_hash == first.doc_hash
    assert build_document(make_item(title="Other title")).doc_hash != first.doc_hash
    assert build_document(make_item(people=["Someone Else"])).doc_hash != first.doc_hash


def test_hash_follows_the_doc_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = build_document(make_item()).doc_hash
    monkeypatch.setattr(documents, "DOC_VERSION", documents.DOC_VERSION + "-next")
    assert build_document(make_item()).doc_hash != before


def test_hash_keeps_chunk_boundaries() -> None:
    assert document_hash(["ab", "c"]) != document_hash(["a", "bc"])


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (FRENCH, "fr"), (GERMAN, "de")])
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "Toy Story", "S01E02", "12 34 56 !!!", "Das Boot"])
def test_detect_language_refuses_short_text(text: str) -> None:
    assert detect_language(text) is None


def test_item_language_wins_over_detection() -> None:
    assert build_document(make_item(description=FRENCH)).language == "fr"
    assert build_document(make_item(description=GERMAN)).language == "de"
    # The item's own tag, normalised to ISO 639-1, is kept even when the text says otherwise.
    assert build_document(make_item(description=FRENCH, language="eng")).language == "en"
    assert build_document(make_item(description=FRENCH, language="de-DE")).language == "de"
    # An unusable tag falls back to detection.
    assert build_document(make_item(description=GERMAN, language="xx-nonsense")).language == "de"


def test_item_vector_weights_the_head_double() -> None:
    head = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    others = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    vector = item_vector(np.vstack([head, others]))
    assert vector.dtype == np.float32
    assert np.isclose(np.linalg.norm(vector), 1.0)
    # 2·head + mean(others) = (2, 0.5, 0.5), normalised.
    expected = np.array([2.0, 0.5, 0.5]) / np.linalg.norm([2.0, 0.5, 0.5])
    assert np.allclose(vector, expected)
    single = item_vector(head[None, :])
    assert np.allclose(single, head)
    with pytest.raises(ValueError):
        item_vector(np.zeros((0, 3), dtype=np.float32))
