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

MEDIAELCH_EPISODES_NFO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<episodes>
  <episodedetails>
    <title>The Ascent</title><showtitle>High Peaks</showtitle>
    <season>2</season><episode>3</episode><runtime>44</runtime>
    <plot>They climb.</plot>
    <uniqueid type="tvdb" default="true">7001</uniqueid>
    <uniqueid type="imdb">tt7000003</uniqueid>
  </episodedetails>
  <episodedetails>
    <title>The Descent</title><showtitle>High Peaks</showtitle>
    <season>2</season><episode>4</episode><runtime>46</runtime>
    <plot>They come down.</plot>
    <uniqueid type="tvdb" default="true">7002</uniqueid>
  </episodedetails>
</episodes>
"""

MUSIC_VIDEO_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<musicvideo>
  <title>Paper Lanterns</title>
  <artist>The Night Owls</artist>
  <artist>Mara Quill</artist>
  <album>Harbour Lights</album>
  <year>2016</year>
  <genre>Indie</genre>
  <director>Ivo Lens</director>
  <plot>Filmed at night on the pier.</plot>
</musicvideo>
"""

SEASON_NFO = """<?xml version="1.0" encoding="UTF-8"?>
<season>
  <seasonnumber>3</seasonnumber>
  <title>Season Three</title>
  <showtitle>Great Show</showtitle>
  <genre>Mystery</genre>
</season>
"""

STREAMS_MOVIE_NFO = """<movie>
  <title>Wide Film</title>
  <uniqueid type="imdb" default="true">tt0062622</uniqueid>
  <uniqueid type="tmdb">62</uniqueid>
  <uniqueid type="homepage">https://example.org/not-an-id</uniqueid>
  <ratings><rating name="imdb" max="10" default="true"><value>8.3</value><votes>700,001</votes>
  </rating></ratings>
  <fileinfo><streamdetails>
    <video><codec>hevc</codec><width>3840</width><height>1606</height>
      <durationinseconds>8940</durationinseconds></video>
    <audio><codec>truehd</codec><language>eng</language><channels>8</channels></audio>
    <subtitle><language>fre</language></subtitle>
  </streamdetails></fileinfo>
</movie>
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
