"""Library log output from reader processes goes into the log file, never the terminal.

podcastparser logs "Cannot parse date" for a feed item with a bad date. Feeds are parsed in the
scanner's reader processes, which had no log handler: Python's last-resort handler printed the
line on stderr, and the log file never saw it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.logs import log_path
from tests.mediagen import make_audio

ROOT = Path(__file__).resolve().parents[2]

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Dateless Show</title>
    <item>
      <title>Episode One</title>
      <guid isPermaLink="false">dl-1</guid>
      <pubDate>sometime last spring</pubDate>
      <enclosure url="https://cdn.example.com/one.mp3" length="1000" type="audio/mpeg"/>
    </item>
  </channel>
</rss>
"""


def test_a_bad_feed_date_is_logged_not_printed(tmp_path: Path) -> None:
    show = tmp_path / "Podcasts" / "Dateless Show"
    show.mkdir(parents=True)
    (show / "feed.xml").write_text(FEED, encoding="utf-8")
    make_audio(show / "one.mp3", seconds=0.2, title="Episode One")
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REELCAST_LOG_FILE", None)  # as from a shell: only the CLI's own set-up counts
    base = [sys.executable, "-m", "engine.cli", "--data-dir", str(data)]
    subprocess.run(
        [*base, "library", "add", str(tmp_path / "Podcasts"), "--kind", "podcast"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    scan = subprocess.run(
        [*base, "scan", "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert scan.returncode == 0, scan.stderr
    assert scan.stderr == ""
    assert json.loads(scan.stdout)["added"] == 1  # stdout is the JSON and nothing else
    logged = log_path(data).read_text(encoding="utf-8")
    assert "podcastparser: Cannot parse date: 'sometime last spring'" in logged
    # The feed still matched: the episode took its title from it.
    items = subprocess.run(
        [*base, "items", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert [i["show"] for i in json.loads(items.stdout)] == ["Dateless Show"]
