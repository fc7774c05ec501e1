"""Safe YAML reading that remembers where every value came from.

The fact base is edited by hand and by moderators, so every problem must be
reported as ``file:line:column``. PyYAML's ``SafeLoader`` is the base; on top of
it this module:

* rejects duplicate keys (PyYAML silently keeps the last one);
* rejects aliases outright (and merge keys): the fact base needs none, and
  refusing them is the simplest complete defence against "billion laughs";
* refuses oversized input before parsing it, and nesting deeper than ``MAX_DEPTH``
  (libyaml composes recursively in C: ``[`` 30,000 times over crashes the interpreter);
* refuses numbers YAML 1.1 reads in a surprising way (``010`` is 8, ``1:30`` is 90);
* returns dicts and lists that carry the 1-based line and column of each entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32  # the fact base nests 5 levels deep
# Flow brackets counted before parsing, quoted ones too (an upper bound): far below
# what overflows the C stack, far above anything a real file holds.
MAX_FLOW_BRACKETS = 1000
_BRACKETS = re.compile(r"[\[\]{}]")
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class Where:
    """A 1-based position in a named file."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class YamlError(Exception):
    """The text is not YAML this project accepts; ``where`` says where."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class Positions(dict):
    """Positions by key or index, kept as PyYAML marks and made ``Where`` only when
    asked: a file has tens of thousands of them and nearly all are never needed."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def __getitem__(self, key) -> Where:
        mark = super().__getitem__(key)
        return mark if isinstance(mark, Where) else _where(self.path, mark)

    def get(self, key, default=None):
        # dict.get would bypass __getitem__ and hand back a raw libyaml mark
        return self[key] if key in self else default  # noqa: SIM401


class LocatedDict(dict):
    """A mapping that knows where it and each of its keys stand in the file."""

    where: Where
    key_where: dict[str, Where]


class _MarkList(list):
    """Item positions, converted to ``Where`` on access (see ``Positions``)."""

    def __init__(self, path: str, marks: list) -> None:
        super().__init__(marks)
        self.path = path

    def __getitem__(self, index):
        mark = super().__getitem__(index)
        return mark if isinstance(mark, Where) else _where(self.path, mark)

    def __iter__(self):
        return (self[i] for i in range(len(self)))


class LocatedList(list):
    """A sequence that knows where it and each of its items stand in the file."""

    where: Where
    item_where: list[Where]


def _where(path: str, mark: yaml.Mark) -> Where:
    return Where(path, mark.line + 1, mark.column + 1)


# libyaml's parser when PyYAML has it (six times faster on the shipped file),
# else the pure-Python one; both are the *safe* loaders.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _make_loader(path: str) -> type[yaml.SafeLoader]:
    class LocatingLoader(_BASE_LOADER):
        depth = 0

        def child(self, node):
            # An alias is the same node met twice. Refusing it here, before any
            # expansion, is a complete defence against "billion laughs".
            if node in self.constructed_objects or node in self.recursive_objects:
                raise YamlError(_where(path, node.start_mark), "YAML anchors and aliases (&name, *name) are not allowed")  # fmt: skip
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise YamlError(_where(path, node.start_mark), f"nested deeper than {MAX_DEPTH} levels")  # fmt: skip
            try:
                return self.construct_object(node, deep=True)
            finally:
                self.depth -= 1

        def construct_yaml_int(self, node):
            value = super().construct_yaml_int(node)
            if not _PLAIN_INT.fullmatch(node.value):
                raise YamlError(
                    _where(path, node.start_mark), _surprising_number(node.value, value)
                )
            return value

        def construct_yaml_float(self, node):
            value = super().construct_yaml_float(node)
            if ":" in node.value:  # base 60: 1:30.5 is 90.5
                raise YamlError(
                    _where(path, node.start_mark), _surprising_number(node.value, value)
                )
            return value

        def construct_mapping(self, node, deep=False):
            if not isinstance(node, yaml.MappingNode):
                raise YamlError(_where(path, node.start_mark), "expected a mapping")
            result = LocatedDict()
            result.where = _where(path, node.start_mark)
            result.key_where = marks = Positions(path)
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlError(_where(path, key_node.start_mark), "YAML merge keys (<<) are not allowed")  # fmt: skip
                key = self.child(key_node)
                if not isinstance(key, str):
                    raise YamlError(_where(path, key_node.start_mark), "keys must be text")
                if key in result:
                    first = result.key_where[key]
                    raise YamlError(
                        _where(path, key_node.start_mark),
                        f"duplicate key {key!r} (first at line {first.line})",
                    )
                result[key] = self.child(value_node)
                marks[key] = value_node.start_mark
            return result

        def construct_sequence(self, node, deep=False):
            result = LocatedList(self.child(item) for item in node.value)
            result.where = _where(path, node.start_mark)
            result.item_where = _MarkList(path, [item.start_mark for item in node.value])
            return result

    LocatingLoader.add_constructor(
        "tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node)
    )
    LocatingLoader.add_constructor(
        "tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node)
    )
    LocatingLoader.add_constructor("tag:yaml.org,2002:int", LocatingLoader.construct_yaml_int)
    LocatingLoader.add_constructor("tag:yaml.org,2002:float", LocatingLoader.construct_yaml_float)
    return LocatingLoader


def _surprising_number(text: str, value: object) -> str:
    digits = text.lstrip("+-").lower()
    why = (
        "base 60" if ":" in text
        else "hexadecimal" if digits.startswith("0x")
        else "binary" if digits.startswith("0b")
        else "octal, because of the leading 0" if digits.startswith("0")
        else "'_' is ignored"
    )  # fmt: skip
    return f"YAML reads {text} as the number {value} ({why}); write the number plainly, or quote it if it is text"  # fmt: skip


def _too_deep(text: str, path: str) -> YamlError | None:
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_BRACKETS:
                offset = match.start()
                line = text.count("\n", 0, offset) + 1
                column = offset - text.rfind("\n", 0, offset)
                return YamlError(Where(path, line, column), f"more than {MAX_FLOW_BRACKETS} brackets open at once; the fact base never nests that deep")  # fmt: skip
        elif depth:
            depth -= 1
    return None


def load_located(text: str | bytes, path: str = "<text>"):
    """Parse one YAML document into located dicts and lists, or raise ``YamlError``."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise YamlError(Where(path, 1, 1), f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlError(Where(path, 1, 1), f"not UTF-8 text ({exc.reason})") from None
    if (deep := _too_deep(text, path)) is not None:
        raise deep
    loader = _make_loader(path)(text)
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _where(path, mark) if mark else Where(path, 1, 1)
        raise YamlError(where, exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlError(Where(path, 1, 1), str(exc)) from None
    finally:
        loader.dispose()
