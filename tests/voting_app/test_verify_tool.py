"""`python -m voting.verify` and `python -m voting.tally` on bad input: exit 2 with one line on
stderr, never a traceback (deeply nested JSON included); a sound log exits 0, an altered one 1."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from voting import tally, verify
from voting.chain import chain_hash


def a_log(choices: list[str]) -> dict:
    entries, previous = [], ""
    for sequence, choice in enumerate(choices, start=1):
        payload = {
            "roll_entry": sequence,
            "category": "DNO",
            "group": f"G{sequence}",
            "answers": [{"question": 1, "choice": choice}],
            "reason": "",
        }
        digest = chain_hash(previous, sequence, payload)
        entries.append(
            {
                "sequence": sequence,
                "previous_hash": previous,
                "entry_hash": digest,
                "payload": payload,
            }
        )
        previous = digest
    return {
        "reference": "DCP 1",
        "head": {"length": len(entries), "hash": previous},
        "entries": entries,
    }


def run(tool, path: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if tool is tally:
        code = tally.main([path, *args], stdout=out, stderr=err)
    else:
        code = verify.main([path, *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_sound_log_agrees_and_an_altered_one_does_not(tmp_path) -> None:
    log = a_log(["proposal", "reject", "proposal"])
    path = tmp_path / "log.json"
    path.write_text(json.dumps(log))
    code, out, _ = run(verify, str(path))
    assert code == 0 and "DNO: 2 accepted proposal, 1 rejected" in out
    log["entries"][1]["payload"]["answers"][0]["choice"] = "proposal"
    path.write_text(json.dumps(log))
    code, out, _ = run(verify, str(path))
    assert code == 1 and "entry 2 was altered" in out
    del log["entries"][1]
    path.write_text(json.dumps(log))
    assert run(verify, str(path))[0] == 1


def test_bad_input_is_exit_2_with_one_line(tmp_path) -> None:
    for text in ("not json", "[]", '{"entries": [{"sequence": "x"}]}', "NaN"):
        path = tmp_path / "bad.json"
        path.write_text(text)
        code, out, err = run(verify, str(path))
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert run(verify, str(tmp_path / "missing.json"))[0] == 2


def test_deeply_nested_json_is_bad_input_not_a_crash(tmp_path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    for module in ("voting.tally", "voting.verify"):
        done = subprocess.run(
            [sys.executable, "-m", module, str(deep)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2, (module, done.stderr)
        assert "Traceback" not in done.stderr and "nested too deeply" in done.stderr
