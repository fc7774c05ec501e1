"""Safe YAML reading that remembers where every value came from.

The fact base is edited by hand and by moderators, so every problem must be
reported as ``file:line:column``. PyYAML's ``SafeLoader`` is the base; on top of
it this module:

* rejects duplicate keys (PyYAML silently keeps the last one);
* rejects anchors and aliases outright: the fact base needs none, and refusing
  them is the simplest complete defence against "billion laughs" expansion;
* refuses oversized input before parsing it;
* returns dicts and lists that carry the 1-based line and column of each entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_BYTES = 2 * 1024 * 1024


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


class LocatedDict(dict):
    """A mapping that knows where it and each of its keys stand in the file."""

    where: Where
    key_where: dict[str, Where]


class LocatedList(list):
    """A sequence that knows where it and each of its items stand in the file."""

    where: Where
    item_where: list[Where]


def _where(path: str, mark: yaml.Mark) -> Where:
    return Where(path, mark.line + 1, mark.column + 1)


def _make_loader(path: str) -> type[yaml.SafeLoader]:
    class LocatingLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise YamlError(
                    _where(path, event.start_mark), "YAML aliases (*name) are not allowed"
                )
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise YamlError(
                    _where(path, event.start_mark), "YAML anchors (&name) are not allowed"
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            if not isinstance(node, yaml.MappingNode):
                return super().construct_mapping(node, deep=deep)
            self.flatten_mapping(node)
            result = LocatedDict()
            result.where = _where(path, node.start_mark)
            result.key_where = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    raise YamlError(_where(path, key_node.start_mark), "keys must be text")
                if key in result:
                    first = result.key_where[key]
                    raise YamlError(
                        _where(path, key_node.start_mark),
                        f"duplicate key {key!r} (first at line {first.line})",
                    )
                result[key] = self.construct_object(value_node, deep=True)
                result.key_where[key] = _where(path, value_node.start_mark)
            return result

        def construct_sequence(self, node, deep=False):
            result = LocatedList(self.construct_object(child, deep=True) for child in node.value)
            result.where = _where(path, node.start_mark)
            result.item_where = [_where(path, child.start_mark) for child in node.value]
            return result

    LocatingLoader.add_constructor(
        "tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node)
    )
    LocatingLoader.add_constructor(
        "tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node)
    )
    return LocatingLoader


def load_located(text: str | bytes, path: str = "<text>"):
    """Parse one YAML document into located dicts and lists, or raise ``YamlError``."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise YamlError(
            Where(path, 1, 1), f"file is {size:,} bytes; the limit is {MAX_BYTES:,}"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlError(Where(path, 1, 1), f"not UTF-8 text ({exc.reason})") from None
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
