"""Smaller finding of issue 11: `ddmt score` printed escape sequences in names raw to the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from toolkit.cli.main import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_ministries" / "belmara-mfa-2026.json"


def test_control_characters_in_names_reach_the_terminal_escaped(tmp_path: Path, capsys) -> None:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    doc["ministry"]["name"] = "Belmara \x1b[2J\x1b[31mRED\u202e"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    main(["score", str(path)])
    shown = capsys.readouterr()
    assert "\x1b" not in shown.out + shown.err and "\u202e" not in shown.out + shown.err
    assert "\\u001b[2J\\u001b[31mRED\\u202e" in shown.out + shown.err
