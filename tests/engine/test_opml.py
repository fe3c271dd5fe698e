"""OPML subscription import: nested folders, URL hygiene, hostile and broken input."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from engine.ingest import opml
from engine.ingest.metadata import ReaderError
from engine.ingest.opml import Subscription, read_opml

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Podcast subscriptions</title>
    <dateCreated>Mon, 01 Jan 2024 10:00:00 +0000</dateCreated>
  </head>
  <body>
    <outline text="Tech">
      <outline text="Linux">
        <outline type="rss" text="Linux Pod" title="Linux Pod (title attr)"
                 xmlUrl="https://linux.example.com/feed.xml"
                 htmlUrl="https://linux.example.com/"/>
      </outline>
      <outline type="rss" text="Gadgets &amp; Co" xmlUrl="feed://gadgets.example.com/rss"/>
    </outline>
    <outline type="rss" title="Top Level Show" xmlUrl="https://top.example.com/rss"
             htmlUrl="javascript:alert(1)"/>
    <outline type="rss" text="Local file" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Duplicate" xmlUrl="https://top.example.com/rss"/>
    <outline text="Empty folder"/>
  </body>
</opml>
"""


def _write(tmp_path: Path, content: str | bytes, name: str = "subs.opml") -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_reads_nested_outlines(tmp_path: Path) -> None:
    subs = read_opml(_write(tmp_path, OPML))

    assert subs == [
        Subscription(
            title="Linux Pod",
            url="https://linux.example.com/feed.xml",
            html_url="https://linux.example.com/",
            folders=("Tech", "Linux"),
        ),
        Subscription(
            title="Gadgets & Co",
            url="http://gadgets.example.com/rss",
            html_url=None,
            folders=("Tech",),
        ),
        # javascript: web link dropped; file:// feed and the duplicate URL skipped.
        Subscription(title="Top Level Show", url="https://top.example.com/rss", html_url=None),
    ]


def test_declared_latin1_encoding(tmp_path: Path) -> None:
    doc = OPML.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Linux Pod", "Café Pod")
    subs = read_opml(_write(tmp_path, doc.encode("latin-1")))
    assert subs[0].title == "Café Pod"


def test_utf16_with_bom(tmp_path: Path) -> None:
    subs = read_opml(_write(tmp_path, OPML.replace('encoding="UTF-8"', "").encode("utf-16")))
    assert [s.url for s in subs] == [
        "https://linux.example.com/feed.xml",
        "http://gadgets.example.com/rss",
        "https://top.example.com/rss",
    ]


def test_xxe_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-OPML", encoding="utf-8")
    hostile = OPML.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
    ).replace('text="Linux Pod"', 'text="&xxe;"')
    with pytest.raises(ReaderError, match="entities") as err:
        read_opml(_write(tmp_path, hostile))
    assert "TOP-SECRET-OPML" not in str(err.value)


def test_xxe_hidden_in_utf16_is_refused(tmp_path: Path) -> None:
    hostile = '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    hostile += '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/>'
    hostile += "</body></opml>"
    with pytest.raises(ReaderError, match="entities"):
        read_opml(_write(tmp_path, hostile.encode("utf-16")))


def test_entity_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ['<!ENTITY e0 "lollollollollollollollollollol">']
    levels += [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE opml [' + "".join(levels) + "]>\n"
        '<opml version="2.0"><body><outline text="&e9;" xmlUrl="https://a.example/&e9;"/>'
        "</body></opml>"
    )
    with pytest.raises(ReaderError, match="entities"):
        read_opml(_write(tmp_path, bomb))


@pytest.mark.parametrize(
    "content",
    [
        "",
        "just some words",
        '<rss version="2.0"><channel><title>Not OPML</title></channel></rss>',
        "https://example.invalid/subscriptions.opml",  # must be read as text, never fetched
    ],
)
def test_non_opml_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    with pytest.raises(ReaderError, match="not an OPML file"):
        read_opml(_write(tmp_path, content))


def test_bad_encoding_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="encoding"):
        read_opml(_write(tmp_path, b'<opml version="2.0"><body>\xff\xfe\xfa</body></opml>'))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read OPML file"):
        read_opml(str(tmp_path / "nope.opml"))


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opml, "MAX_OPML_BYTES", 100)
    with pytest.raises(ReaderError, match="too large"):
        read_opml(_write(tmp_path, OPML))


def test_empty_body_gives_no_subscriptions(tmp_path: Path) -> None:
    assert read_opml(_write(tmp_path, '<opml version="1.0"><body></body></opml>')) == []
