"""The terminal door: validate, stats, ask --json, the console, and the installed script."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.console import run_command
from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.store import Store
from tests.conftest import DATA_FILE


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RUNON_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    return tmp_path


def test_validate_ok_prints_one_summary_line(capsys):
    assert main(["facts", "validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "ok," in out[0] and "facts" in out[0]


def test_validate_lists_each_problem_with_position(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text(DATA_FILE.read_text(encoding="utf-8").replace("    gate: 0\n", "    gate: 20\n", 1).replace("sources: [blog-full]", "sources: [nobody]", 1), encoding="utf-8")  # fmt: skip
    assert main(["facts", "validate", str(broken)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert any(f"{broken}:" in line and "gate" in line for line in err)
    assert any("unknown source 'nobody'" in line for line in err)
    assert err[-1].endswith("2 problems")


def test_stats(capsys):
    assert main(["facts", "stats"]) == 0
    out = capsys.readouterr().out
    assert "Facts per review" in out and "Facts per episode gate" in out and "journey" in out


def test_ask_json_has_the_documented_keys(capsys):
    assert main(["ask", "Who plays Mi-joo?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"answer", "found", "sources", "facts", "withheld"}
    assert data["found"] is True and "Shin Se-kyung" in data["answer"] and data["sources"]


def test_ask_json_withholds_past_watched_and_reveals_tagged(capsys):
    main(["ask", "What happens to Dan-ah's father?", "--json"])
    held = json.loads(capsys.readouterr().out)
    assert held["withheld"] > 0 and "dies" not in held["answer"]
    main(["ask", "What happens to Dan-ah's father?", "--json", "--watched", "16"])
    seen = json.loads(capsys.readouterr().out)
    assert "||" in seen["answer"] and seen["withheld"] == 0
    main(["ask", "What happens to Dan-ah's father?", "--json", "--reveal"])
    revealed = json.loads(capsys.readouterr().out)
    assert "||" in revealed["answer"]


def test_ask_json_says_it_does_not_know(capsys):
    main(["ask", "Is there a season 2?", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is False and data["facts"] == [] and "I don't know" in data["answer"]


def test_ask_rejects_an_impossible_progress(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "x", "--watched", "17"])


async def test_console_commands_and_progress_survive_a_restart(tmp_path):
    engine = Engine(load_factbase())
    path = tmp_path / "console.sqlite3"
    async with Store.open(path) as store:
        assert "Saved" in await run_command("/progress set 13", engine, store)
        assert "Shin Se-kyung" in await run_command("/cast", engine, store)
        assert "Unknown command" in await run_command("/nope", engine, store)
    async with Store.open(path) as store:
        assert "through episode 13" in await run_command("/progress show", engine, store)
        recap = await run_command("/recap", engine, store)
        assert "Recap through episode 13" in recap and "break up" in recap
        assert "Im Si-wan" in await run_command("who plays seon-gyeom?", engine, store)


def test_installed_script_answers_without_a_token(tmp_path):
    beside = Path(sys.executable).parent / "runon-bot"
    script = str(beside) if beside.exists() else shutil.which("runon-bot")
    if script is None:
        pytest.skip("runon-bot is not installed on PATH")
    result = subprocess.run([script, "ask", "Who plays Mi-joo?"], capture_output=True, text=True, timeout=30, env={"PATH": "", "RUNON_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert result.returncode == 0 and "Shin Se-kyung" in result.stdout


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path):
    # `runon-bot console < commands | head -1`: the pipe closes while the bot writes.
    code = "import sys; from bot.cli import main; sys.exit(main(['console']))"
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"RUNON_DATA_DIR": str(tmp_path), "PATH": ""})  # fmt: skip
    child.stdout.readline()
    child.stdout.close()
    _, err = child.communicate(b"/cast\n/ratings\n/episodes\n" * 50, timeout=30)
    assert child.returncode == 141, err.decode()
    assert b"Traceback" not in err
