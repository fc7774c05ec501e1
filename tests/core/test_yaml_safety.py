"""Hostile YAML: only safe loaders anywhere in the source; bombs, oversized and
over-deep files refused quickly and in bounded memory; YAML 1.1's surprising
numbers caught; every problem placed at a 1-based line and column.

(tests/core/test_loader.py covers duplicate keys, a small alias bomb, implicit
booleans and dates, and schema problems at their positions.)
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from bot.core.loader import load_factbase, parse_factbase
from bot.core.schema import FactBaseError
from bot.core.yamlsafe import MAX_BYTES, MAX_DEPTH, YamlError, load_located
from tests.conftest import REPO

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")


# --- safe loading only ---------------------------------------------------------------
UNSAFE_NAMES = {
    "load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all",
    "Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader",
    "UnsafeConstructor", "FullConstructor", "Constructor",
}  # fmt: skip
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}


def unsafe_yaml_uses(source: str, filename: str = "<source>") -> list[str]:
    """Every use of a PyYAML loader that can build arbitrary Python objects.

    ``yaml.load(...)`` passes only with ``Loader=`` one of the safe loaders; any
    mention of an unsafe loader, constructor or shortcut is reported, whether
    as ``yaml.X``, ``from yaml import X`` or ``getattr(yaml, "X")``.
    """
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("load", "load_all"):  # fmt: skip
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), node.args[1] if len(node.args) > 1 else None)  # fmt: skip
                name = loader.attr if isinstance(loader, ast.Attribute) else getattr(loader, "id", None)  # fmt: skip
                if name not in SAFE_LOADERS:
                    found.append(f"{where}: yaml.{node.func.attr} with Loader={name}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":  # fmt: skip
            if node.attr in UNSAFE_NAMES - {"load", "load_all"}:
                found.append(f"{where}: yaml.{node.attr}")
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "yaml"
        ):
            found += [f"{where}: from {node.module} import {a.name}" for a in node.names if a.name in UNSAFE_NAMES]  # fmt: skip
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and len(node.args) >= 2:  # fmt: skip
            target, name = node.args[0], node.args[1]
            if getattr(target, "id", None) == "yaml" and isinstance(name, ast.Constant) and name.value in UNSAFE_NAMES:  # fmt: skip
                found.append(f"{where}: getattr(yaml, {name.value!r})")
    return found


def test_the_source_uses_only_safe_yaml_loaders():
    files = [p for top in ("bot", "tests") for p in sorted((REPO / top).rglob("*.py"))]
    assert len(files) > 20
    found = [use for p in files for use in unsafe_yaml_uses(p.read_text(encoding="utf-8"), str(p.relative_to(REPO)))]  # fmt: skip
    assert not found, "unsafe YAML loading:\n" + "\n".join(found)


@pytest.mark.parametrize("code", [
    "import yaml\nyaml.load(text)",
    "import yaml\nyaml.load(text, Loader=yaml.Loader)",
    "import yaml\nyaml.load(text, yaml.FullLoader)",
    "import yaml\nyaml.unsafe_load(text)",
    "import yaml\nyaml.full_load(text)",
    "import yaml\nclass L(yaml.UnsafeLoader): pass",
    "from yaml import CLoader",
    "import yaml\ngetattr(yaml, 'UnsafeLoader')",
])  # fmt: skip
def test_the_scan_catches_each_unsafe_form(code):
    assert unsafe_yaml_uses(code)


@pytest.mark.parametrize("code", [
    "import yaml\nyaml.load(text, Loader=yaml.SafeLoader)",
    "import yaml\nyaml.safe_load(text)",
    "import yaml\nclass L(yaml.CSafeLoader): pass",
    "import yaml\ngetattr(yaml, 'CSafeLoader', yaml.SafeLoader)",
])  # fmt: skip
def test_the_scan_lets_safe_forms_pass(code):
    assert not unsafe_yaml_uses(code)


# --- bombs and oversized files: refused fast, in bounded memory --------------------------
def measured(call):
    """(exception raised, seconds, peak bytes allocated) for ``call``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the caller checks which
        raised = exc
    else:
        raised = None
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return raised, seconds, peak


BILLION_LAUGHS = 'lol: &lol "lol"\n' + "".join(
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}' if i > 1 else '*lol'] * 10)}]\n"
    for i in range(1, 10)
)  # 10**9 "lol"s if expanded


@pytest.mark.parametrize("document", [
    BILLION_LAUGHS,
    "big: &big " + "x" * 100_000 + "\n" + "".join(f"k{i}: *big\n" for i in range(10_000)),  # 1 GB of text
])  # fmt: skip
def test_alias_bombs_are_refused_fast_in_bounded_memory(document):
    raised, seconds, peak = measured(lambda: parse_factbase(document, "bomb.yaml"))
    assert isinstance(raised, FactBaseError) and "not allowed" in str(raised)
    assert seconds < 1.0
    assert peak < 20 * len(document) + 5_000_000, f"{peak:,} bytes"


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:  # sparse: MAX_BYTES of nothing, then a byte
        handle.seek(MAX_BYTES)
        handle.write(b"\n")
    raised, seconds, peak = measured(lambda: load_factbase(big))
    assert isinstance(raised, FactBaseError) and "the limit is" in str(raised)
    assert seconds < 0.1
    assert peak < 100_000, f"{peak:,} bytes: the file was read"


def test_oversized_text_is_refused_before_it_is_parsed():
    text = b"a: " + b"x" * MAX_BYTES
    raised, seconds, peak = measured(lambda: load_located(text, "big.yaml"))
    assert isinstance(raised, YamlError) and "the limit is" in str(raised)
    assert seconds < 0.1 and peak < 100_000


@pytest.mark.parametrize("document", [
    "a: " + "[" * 600 + "]" * 600,
    "a: " + "{a: " * 600 + "1" + "}" * 600,
    "a:\n" + "".join(" " * i + "-\n" for i in range(600)),
])  # fmt: skip
def test_deep_nesting_is_refused_not_a_recursion_error(document):
    raised, seconds, _ = measured(lambda: parse_factbase(document, "deep.yaml"))
    assert isinstance(raised, FactBaseError), repr(raised)
    assert f"nested deeper than {MAX_DEPTH} levels" in str(raised)
    assert seconds < 1.0


def test_very_deep_flow_nesting_does_not_crash_the_interpreter():
    # 50,000 "[" overflow libyaml's recursive C composer: a segfault, not an
    # exception, so it runs in a child process that must exit normally.
    code = (
        "from bot.core.loader import parse_factbase\n"
        "from bot.core.schema import FactBaseError\n"
        "try:\n    parse_factbase('a: ' + '[' * 50000 + ']' * 50000, 'deep.yaml')\n"
        "except FactBaseError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert "brackets open at once" in done.stdout


# --- YAML 1.1's surprising numbers ---------------------------------------------------
def problems_of(text: str) -> list[str]:
    with pytest.raises(FactBaseError) as info:
        parse_factbase(text, "f.yaml")
    return [str(p) for p in info.value.problems]


def position(text: str, offset: int) -> str:
    """``line:column``, 1-based, of ``offset`` in ``text``."""
    return f"{text.count(chr(10), 0, offset) + 1}:{offset - text.rfind(chr(10), 0, offset)}"


@pytest.mark.parametrize(("old", "new", "value", "why"), [
    ("    gate: 0\n", "    gate: 010\n", "010", "the number 8 (octal"),
    ("    gate: 0\n", "    gate: 0x10\n", "0x10", "the number 16 (hexadecimal"),
    ("{number: 12,", "{number: 1_2,", "1_2", "the number 12 ('_'"),
    ("score: {given: \"4/5\", value: 4,", "score: {given: \"4/5\", value: 1:30,", "1:30", "the number 90 (base 60"),
    ("score: {given: \"4/5\", value: 4,", "score: {given: \"4/5\", value: 1:30.5,", "1:30.5", "the number 90.5 (base 60"),
])  # fmt: skip
def test_surprising_numbers_are_caught_where_they_stand(old, new, value, why):
    text = MINIMAL.replace(old, new, 1)
    assert text != MINIMAL
    (problem,) = problems_of(text)
    offset = text.index(new) + new.index(value)
    assert problem.startswith(f"f.yaml:{position(text, offset)}: YAML reads {value} as {why}")


def test_quoted_and_plain_numbers_are_what_they_look_like():
    assert load_located('a: "010"\nb: 10\nc: -3\nd: 2.5\ne: "1:30"\n') == {"a": "010", "b": 10, "c": -3, "d": 2.5, "e": "1:30"}  # fmt: skip


# --- 1-based positions -------------------------------------------------------------
@pytest.mark.parametrize(("text", "where"), [
    ("\tkey: 1\n", "1:1"),  # the very first character: 1:1, never 0:0
    ("a: 1\nb: 2\nc: d: e\n", "3:5"),
    ("a: [1, 2\nb: 3\n", "2:2"),
    (b"a: \xff\n", "1:1"),  # not UTF-8
])  # fmt: skip
def test_syntax_errors_are_placed_at_1_based_line_and_column(text, where):
    with pytest.raises(YamlError) as info:
        load_located(text, "f.yaml")
    assert str(info.value).startswith(f"f.yaml:{where}: ")
