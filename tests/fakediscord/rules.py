"""Discord's payload limits, so the fake refuses what Discord would refuse.

A bot that answers questions can easily produce a 2,001-character answer, a
26th autocomplete choice or a command description that is too long; against a
lenient fake those bugs would only show up in production. These checks cover
the limits such a bot can realistically hit, and answer the way Discord does:
``400 {"code": 50035, "message": "Invalid Form Body", "errors": {...}}`` with
the offending field's path, or ``50006 Cannot send an empty message``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256
MAX_ACTION_ROWS = 5
MAX_ROW_COMPONENTS = 5
MAX_CUSTOM_ID = 100
MAX_CHOICES = 25
MAX_CHOICE_NAME = 100
MAX_CHOICE_STRING_VALUE = 100
MAX_MODAL_TITLE = 45
MAX_COMMAND_NAME = 32
MAX_COMMAND_DESCRIPTION = 100
MAX_OPTIONS = 25
MAX_CHAT_INPUT_COMMANDS = 100
IS_COMPONENTS_V2 = 1 << 15

# Discord allows letters, digits, '-', '_' and apostrophes (and Devanagari/Thai);
# chat-input names must also be lower case.
_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")

EMPTY_MESSAGE = {"message": "Cannot send an empty message", "code": 50006}


class FormErrors:
    """Collects field errors and renders them as Discord's nested ``errors`` object."""

    def __init__(self) -> None:
        self._errors: list[tuple[tuple[str, ...], str, str]] = []

    def __bool__(self) -> bool:
        return bool(self._errors)

    def add(self, path: Sequence[str | int], code: str, message: str) -> None:
        self._errors.append((tuple(str(p) for p in path), code, message))

    def max_length(self, path: Sequence[str | int], value: Any, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: Sequence[str | int], value: Any, low: int, high: int) -> None:
        if value is None or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def body(self) -> dict[str, Any]:
        nested: dict[str, Any] = {}
        for path, code, message in self._errors:
            node = nested
            for key in path:
                node = node.setdefault(key, {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return {"message": "Invalid Form Body", "code": 50035, "errors": nested}


def check_message(data: Mapping[str, Any], errors: FormErrors, path: Sequence[str] = ()) -> None:
    """Field limits of a message create/edit body (content, embeds, components)."""
    path = tuple(path)
    errors.max_length((*path, "content"), data.get("content"), MAX_CONTENT)
    embeds = data.get("embeds") or []
    errors.max_length((*path, "embeds"), embeds, MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        at = (*path, "embeds", i)
        for key, limit in EMBED_LIMITS.items():
            errors.max_length((*at, key), embed.get(key), limit)
            total += len(embed.get(key) or "")
        fields = embed.get("fields") or []
        errors.max_length((*at, "fields"), fields, MAX_EMBED_FIELDS)
        for j, field in enumerate(fields):
            errors.length_between((*at, "fields", j, "name"), field.get("name"), 1, MAX_FIELD_NAME)
            errors.length_between(
                (*at, "fields", j, "value"), field.get("value"), 1, MAX_FIELD_VALUE
            )
            total += len(field.get("name") or "") + len(field.get("value") or "")
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        errors.max_length((*at, "footer", "text"), footer, MAX_FOOTER_TEXT)
        errors.max_length((*at, "author", "name"), author, MAX_AUTHOR_NAME)
        total += len(footer or "") + len(author or "")
    if total > MAX_EMBED_TOTAL:
        errors.add(
            (*path, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )
    components = data.get("components") or []
    if not (data.get("flags") or 0) & IS_COMPONENTS_V2:
        errors.max_length((*path, "components"), components, MAX_ACTION_ROWS)
        for i, row in enumerate(components):
            errors.max_length(
                (*path, "components", i, "components"), row.get("components"), MAX_ROW_COMPONENTS
            )
    _check_custom_ids(components, errors, (*path, "components"))


def _check_custom_ids(
    components: Sequence[Mapping[str, Any]], errors: FormErrors, path: tuple[str, ...]
) -> None:
    for i, component in enumerate(components):
        errors.max_length((*path, i, "custom_id"), component.get("custom_id"), MAX_CUSTOM_ID)
        _check_custom_ids(component.get("components") or [], errors, (*path, i, "components"))


def is_empty_message(message: Mapping[str, Any]) -> bool:
    """Whether Discord would refuse this message as empty (50006)."""
    return not (
        (message.get("content") or "").strip()
        or message.get("embeds")
        or message.get("attachments")
        or message.get("components")
        or message.get("poll")
        or message.get("sticker_ids")
    )


def check_autocomplete(
    data: Mapping[str, Any], errors: FormErrors, path: Sequence[str] = ()
) -> None:
    """An autocomplete result (callback type 8): at most 25 choices, names 1-100 characters."""
    path = tuple(path)
    choices = data.get("choices")
    if choices is None:
        errors.add((*path, "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return
    errors.max_length((*path, "choices"), choices, MAX_CHOICES)
    for i, choice in enumerate(choices):
        errors.length_between((*path, "choices", i, "name"), choice.get("name"), 1, MAX_CHOICE_NAME)
        if isinstance(choice.get("value"), str):
            errors.max_length(
                (*path, "choices", i, "value"), choice["value"], MAX_CHOICE_STRING_VALUE
            )


def check_modal(data: Mapping[str, Any], errors: FormErrors, path: Sequence[str] = ()) -> None:
    """A modal (callback type 9): custom_id, a title of at most 45 characters, 1-5 components."""
    path = tuple(path)
    errors.length_between((*path, "custom_id"), data.get("custom_id"), 1, MAX_CUSTOM_ID)
    errors.length_between((*path, "title"), data.get("title"), 1, MAX_MODAL_TITLE)
    errors.length_between((*path, "components"), data.get("components"), 1, MAX_ACTION_ROWS)


def check_commands(commands: Any, errors: FormErrors) -> None:
    """A bulk-overwrite body (PUT .../commands): names, descriptions, options and their order."""
    if not isinstance(commands, list):
        errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen: set[tuple[str, int]] = set()
    chat_input = 0
    for i, command in enumerate(commands):
        kind = command.get("type", 1)
        name = command.get("name")
        if kind == 1:
            chat_input += 1
            _check_chat_input_name(name, errors, (i, "name"))
            errors.length_between(
                (i, "description"), command.get("description"), 1, MAX_COMMAND_DESCRIPTION
            )
            _check_options(command.get("options") or [], errors, (i, "options"), parent=None)
        else:
            errors.length_between((i, "name"), name, 1, MAX_COMMAND_NAME)
            if command.get("description"):
                errors.add(
                    (i, "description"),
                    "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED",
                    "Context menu commands cannot have a description",
                )
        if (name, kind) in seen:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add((name, kind))
    if chat_input > MAX_CHAT_INPUT_COMMANDS:
        errors.add(
            (), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CHAT_INPUT_COMMANDS} or fewer in length."
        )


def _check_chat_input_name(name: Any, errors: FormErrors, path: tuple[str | int, ...]) -> None:
    if not isinstance(name, str) or not _COMMAND_NAME.match(name) or name != name.lower():
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_options(
    options: Sequence[Mapping[str, Any]],
    errors: FormErrors,
    path: tuple[str | int, ...],
    parent: int | None,
) -> None:
    """Options of a command (``parent`` None), a subcommand group (2) or a subcommand (1)."""
    errors.max_length(path, options, MAX_OPTIONS)
    names: set[str] = set()
    optional_seen = False
    nested = [o.get("type") in (1, 2) for o in options]
    if any(nested) and not all(nested):
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Subcommands cannot be mixed with other options",
        )
    for i, option in enumerate(options):
        at = (*path, i)
        kind = option.get("type")
        _check_chat_input_name(option.get("name"), errors, (*at, "name"))
        errors.length_between(
            (*at, "description"), option.get("description"), 1, MAX_COMMAND_DESCRIPTION
        )
        if option.get("name") in names:
            errors.add(
                (*at, "name"),
                "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                "Option names must be unique",
            )
        names.add(option.get("name"))
        if kind not in range(1, 12):
            errors.add(
                (*at, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {list(range(1, 12))}."
            )
        if (parent == 2 and kind != 1) or (parent == 1 and kind in (1, 2)):
            errors.add(
                (*at, "type"),
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Groups hold subcommands; subcommands hold no subcommands",
            )
        if kind in (1, 2):
            _check_options(option.get("options") or [], errors, (*at, "options"), parent=kind)
            continue
        if option.get("required"):
            if optional_seen:
                errors.add(
                    (*at, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = option.get("choices") or []
        if choices and option.get("autocomplete"):
            errors.add(
                (*at, "autocomplete"),
                "APPLICATION_COMMAND_OPTIONS_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set on options with choices",
            )
        errors.max_length((*at, "choices"), choices, MAX_CHOICES)
        for j, choice in enumerate(choices):
            errors.length_between(
                (*at, "choices", j, "name"), choice.get("name"), 1, MAX_CHOICE_NAME
            )
            if isinstance(choice.get("value"), str):
                errors.max_length(
                    (*at, "choices", j, "value"), choice["value"], MAX_CHOICE_STRING_VALUE
                )
