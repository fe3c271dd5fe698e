"""Shared by the NFO reader tests: sample Kodi NFO files and the helpers that write them
and read back the one warning."""

from __future__ import annotations

from pathlib import Path

from engine.ingest.metadata import Metadata

MOVIE_NFO = """<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<movie>
  <title>The Film</title>
  <outline>Short outline.</outline>
  <plot>A &lt;b&gt;long&lt;/b&gt; plot
     about   things.</plot>
  <runtime>102</runtime>
  <genre>Drama</genre>
  <genre>Comedy / Romance</genre>
  <premiered>2019-05-17</premiered>
  <year>2019</year>
  <ratings>
    <rating name="tmdb" max="10"><value>6.1</value><votes>50</votes></rating>
    <rating name="imdb" max="10" default="true"><value>7.8</value><votes>12,345</votes></rating>
  </ratings>
  <userrating>0</userrating>
  <director>Jane Director</director>
  <credits>Sam Writer</credits>
  <actor><name>Alice Actor</name><role>Hero</role></actor>
  <actor><name>Bob Actor</name></actor>
  <thumb aspect="poster">https://image.example.org/poster.jpg</thumb>
  <thumb aspect="poster">poster.jpg</thumb>
  <playcount>3</playcount>
  <lastplayed>2023-01-02 20:15:00</lastplayed>
  <resume><position>754.5</position><total>6120.0</total></resume>
  <language>English</language>
</movie>
https://www.themoviedb.org/movie/12345
"""

EPISODE_NFO = """<?xml version="1.0" encoding="utf-8"?>
<episodedetails>
  <title>Pilot</title>
  <showtitle>Great Show</showtitle>
  <season>1</season>
  <episode>2</episode>
  <aired>2010-09-20</aired>
  <plot>Things happen.</plot>
  <rating>8.5</rating>
  <votes>99</votes>
  <playcount>0</playcount>
  <resume><position>0.000000</position><total>0.000000</total></resume>
</episodedetails>
"""

MULTI_EPISODE_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>Part One</title><season>2</season><episode>5</episode><plot>First half.</plot>
</episodedetails>
<?xml version="1.0" encoding="UTF-8"?>
<episodedetails>
  <title>Part Two</title><season>2</season><episode>6</episode><plot>Second half.</plot>
</episodedetails>
"""

TVSHOW_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<tvshow>
  <title>Great Show</title>
  <plot>A show about great things.</plot>
  <genre>Sci-Fi</genre>
  <genre>Drama</genre>
  <thumb aspect="poster">art/show-poster.jpg</thumb>
</tvshow>
"""


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def only_warning(meta: Metadata, path: str) -> str:
    assert len(meta.warnings) == 1, meta.warnings
    warned_path, message = meta.warnings[0]
    assert warned_path == path
    return message
