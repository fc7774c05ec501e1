"""Gateway payloads shaped the way Discord (API v10) sends them.

These builders deliberately do not import discord.py: they describe what
*Discord* puts on the wire, so a test exercises discord.py's parsing instead of
echoing its own serialisation back at it.

Application-command interactions are built from the command as the fake
recorded it at sync time (``fake.command("ping")``), so ``data.id``,
``data.name``, ``data.type`` and ``data.guild_id`` are the ones the bot
registered, and the options are checked against the synced schema: a test can
only send what a Discord client could actually send (right option types,
required options present, choices respected).
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum, IntFlag
from typing import Any

DISCORD_EPOCH_MS = 1420070400000


class SnowflakeGenerator:
    """Discord-shaped ids, as strings the way the API sends them.

    The creation time sits in the top bits (so ``discord.utils.snowflake_time``
    gives a sensible answer) and every id is strictly greater than the previous
    one, so ordering assertions hold even within one millisecond.
    """

    def __init__(self, worker: int = 1, process: int = 0) -> None:
        self._low_bits = ((worker & 0x1F) << 17) | ((process & 0x1F) << 12)
        self._increment = itertools.count()
        self._last = 0

    def __call__(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | self._low_bits | (next(self._increment) & 0xFFF)
        value = max(value, self._last + 1)
        self._last = value
        return str(value)


new_id = SnowflakeGenerator()

# Fixed ids so tests can assert on them without threading values around.
DEFAULT_APPLICATION_ID = "1180000000000000001"
DEFAULT_BOT_USER_ID = DEFAULT_APPLICATION_ID  # a bot user shares its application's id
DEFAULT_GUILD_ID = "1180000000000000100"
DEFAULT_CHANNEL_ID = "1180000000000000200"
DEFAULT_USER_ID = "1180000000000000300"

# Per-guild upload limit Discord reports in interactions (10 MiB for unboosted guilds).
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class Permission(IntFlag):
    """The permission bits these builders use (Discord's bit positions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    ADMINISTRATOR = 1 << 3
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    CHANGE_NICKNAME = 1 << 26
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38


# What an ordinary member of an ordinary server may do in a text channel.
MEMBER_PERMISSIONS = (
    Permission.CREATE_INSTANT_INVITE
    | Permission.ADD_REACTIONS
    | Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.CONNECT
    | Permission.SPEAK
    | Permission.CHANGE_NICKNAME
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.SEND_MESSAGES_IN_THREADS
)
# What a bot invited with the usual "send messages, embeds, files" scopes may do.
BOT_PERMISSIONS = (
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.ADD_REACTIONS
    | Permission.SEND_MESSAGES_IN_THREADS
)


class InteractionType(IntEnum):
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class OptionType(IntEnum):
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class ComponentType(IntEnum):
    ACTION_ROW = 1
    BUTTON = 2
    STRING_SELECT = 3
    TEXT_INPUT = 4
    USER_SELECT = 5
    ROLE_SELECT = 6
    MENTIONABLE_SELECT = 7
    CHANNEL_SELECT = 8
    SECTION = 9
    TEXT_DISPLAY = 10
    CONTAINER = 17
    LABEL = 18


class InteractionContextType(IntEnum):
    GUILD = 0
    BOT_DM = 1
    PRIVATE_CHANNEL = 2


def timestamp(when: datetime | None = None) -> str:
    """An ISO-8601 timestamp as Discord formats them."""
    return (when or datetime.now(UTC)).isoformat()


# --- entities -----------------------------------------------------------------


def user(
    id: str | None = None,
    username: str = "runon-fan",
    *,
    global_name: str | None = None,
    bot: bool = False,
) -> dict[str, Any]:
    """A user object; ``id`` defaults to ``DEFAULT_USER_ID``."""
    payload: dict[str, Any] = {
        "id": id or DEFAULT_USER_ID,
        "username": username,
        "global_name": global_name,
        "discriminator": "0",
        "avatar": None,
        "avatar_decoration_data": None,
        "public_flags": 0,
        "collectibles": None,
        "primary_guild": None,
    }
    if bot:
        payload["bot"] = True
    return payload


def bot_user(id: str = DEFAULT_BOT_USER_ID, username: str = "runon-test-bot") -> dict[str, Any]:
    """The bot's own user, as /users/@me and READY report it."""
    payload = user(id, username, bot=True)
    payload.update(discriminator="4821", verified=True, mfa_enabled=False, flags=0, email=None)
    return payload


def member(
    of: Mapping[str, Any] | None = None,
    *,
    roles: Sequence[str] = (),
    permissions: int = MEMBER_PERMISSIONS,
    nick: str | None = None,
) -> dict[str, Any]:
    """A guild member as interactions carry it: with ``user`` and the computed ``permissions``."""
    return {
        "user": dict(of or user()),
        "roles": list(roles),
        "nick": nick,
        "avatar": None,
        "banner": None,
        "premium_since": None,
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "communication_disabled_until": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "unusual_dm_activity_until": None,
        "permissions": str(int(permissions)),
    }


def role(
    id: str | None = None,
    name: str = "fans",
    *,
    permissions: int = 0,
    position: int = 1,
) -> dict[str, Any]:
    return {
        "id": id or new_id(),
        "name": name,
        "permissions": str(int(permissions)),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def text_channel(
    id: str | None = None,
    *,
    guild_id: str = DEFAULT_GUILD_ID,
    name: str = "general",
    position: int = 0,
    permissions: int | None = None,
) -> dict[str, Any]:
    """A guild text channel; interactions add the invoking member's ``permissions`` in it."""
    payload: dict[str, Any] = {
        "id": id or DEFAULT_CHANNEL_ID,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }
    if permissions is not None:
        payload["permissions"] = str(int(permissions))
    return payload


def dm_channel(recipient: Mapping[str, Any], id: str | None = None) -> dict[str, Any]:
    """The DM channel between the bot and ``recipient``."""
    return {
        "id": id or new_id(),
        "type": 1,
        "last_message_id": None,
        "flags": 0,
        "recipients": [dict(recipient)],
    }


def guild(
    id: str | None = None,
    name: str = "Run On Fans",
    *,
    channels: Sequence[Mapping[str, Any]] | None = None,
    roles: Sequence[Mapping[str, Any]] = (),
    members: Sequence[Mapping[str, Any]] = (),
    owner_id: str = DEFAULT_USER_ID,
) -> dict[str, Any]:
    """A full GUILD_CREATE payload (``FakeDiscord(guilds=[...])`` sends it after READY).

    ``id`` defaults to ``DEFAULT_GUILD_ID`` and ``channels`` to one text channel
    ``DEFAULT_CHANNEL_ID``; ``@everyone`` (whose id is the guild's) is always there.
    """
    guild_id = id or DEFAULT_GUILD_ID
    if channels is None:
        channels = [text_channel(guild_id=guild_id)]
    everyone = role(guild_id, "@everyone", permissions=MEMBER_PERMISSIONS, position=0)
    return {
        "id": guild_id,
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": owner_id,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "features": [],
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "vanity_url_code": None,
        "application_id": None,
        "roles": [everyone, *map(dict, roles)],
        "emojis": [],
        "stickers": [],
        # GUILD_CREATE-only fields
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "large": False,
        "unavailable": False,
        "member_count": max(len(members), 1),
        "voice_states": [],
        "members": [dict(m) for m in members],
        "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in channels],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": True,
    }


def attachment(
    filename: str,
    *,
    size: int,
    url: str,
    content_type: str | None = None,
    id: str | None = None,
) -> dict[str, Any]:
    """An attachment as an ATTACHMENT option's ``resolved`` entry carries it.

    ``fake.add_attachment(...)`` builds one whose ``url`` the fake serves, so
    the bot can download it.
    """
    payload: dict[str, Any] = {
        "id": id or new_id(),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "ephemeral": True,
    }
    if content_type is not None:
        payload["content_type"] = content_type
    return payload


# --- where an interaction happens -----------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where an interaction happens and who triggers it.

    Build with :func:`in_guild` or :func:`in_dm`; :meth:`of` recovers it from an
    earlier interaction, so a follow-on click or modal submit comes from the
    same person in the same place.
    """

    user: Mapping[str, Any]
    channel: Mapping[str, Any]
    guild_id: str | None = None
    member: Mapping[str, Any] | None = None
    app_permissions: int = BOT_PERMISSIONS
    locale: str = "en-US"
    guild_locale: str = "en-US"

    @classmethod
    def of(cls, interaction: Mapping[str, Any]) -> Where:
        guild_id = interaction.get("guild_id")
        if guild_id is None:
            return cls(
                user=interaction["user"],
                channel=interaction["channel"],
                app_permissions=int(interaction["app_permissions"]),
                locale=interaction["locale"],
            )
        return cls(
            user=interaction["member"]["user"],
            channel=interaction["channel"],
            guild_id=guild_id,
            member=interaction["member"],
            app_permissions=int(interaction["app_permissions"]),
            locale=interaction["locale"],
            guild_locale=interaction.get("guild_locale", "en-US"),
        )


def in_guild(
    guild_payload: Mapping[str, Any] | None = None,
    *,
    channel: Mapping[str, Any] | None = None,
    by: Mapping[str, Any] | None = None,
    roles: Sequence[str] = (),
    permissions: int = MEMBER_PERMISSIONS,
    app_permissions: int = BOT_PERMISSIONS,
    locale: str = "en-US",
) -> Where:
    """An interaction in a guild text channel.

    With ``guild_payload`` (one the fake was configured with) the interaction
    happens in that guild's first text channel; without it, in
    ``DEFAULT_GUILD_ID``/``DEFAULT_CHANNEL_ID``, which the bot only knows from the
    interaction itself (like a guild that has not sent GUILD_CREATE).
    """
    guild_id = guild_payload["id"] if guild_payload else DEFAULT_GUILD_ID
    if channel is None:
        if guild_payload:
            channel = next(c for c in guild_payload["channels"] if c["type"] == 0)
        else:
            channel = text_channel(guild_id=guild_id)
    channel = {**channel, "guild_id": guild_id, "permissions": str(int(permissions))}
    who = by or user()
    return Where(
        user=who,
        channel=channel,
        guild_id=guild_id,
        member=member(who, roles=roles, permissions=permissions),
        app_permissions=app_permissions,
        locale=locale,
        guild_locale=guild_payload.get("preferred_locale", "en-US") if guild_payload else "en-US",
    )


def in_dm(by: Mapping[str, Any] | None = None, *, locale: str = "en-US") -> Where:
    """An interaction in the user's DM with the bot (no guild, ``user`` instead of ``member``)."""
    who = by or user()
    return Where(user=who, channel=dm_channel(who), app_permissions=BOT_PERMISSIONS, locale=locale)


# --- interactions ---------------------------------------------------------------


def _interaction(
    type_: InteractionType,
    data: dict[str, Any],
    where: Where,
    *,
    application_id: str,
    message: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": new_id(),
        "application_id": application_id,
        "type": int(type_),
        "data": data,
        "token": secrets.token_urlsafe(48),
        "version": 1,
        "locale": where.locale,
        "app_permissions": str(int(where.app_permissions)),
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "channel": dict(where.channel),
        "channel_id": where.channel["id"],
    }
    if where.guild_id is not None:
        payload.update(
            guild_id=where.guild_id,
            guild={"id": where.guild_id, "locale": where.guild_locale, "features": []},
            guild_locale=where.guild_locale,
            member=dict(where.member or member(where.user)),
            context=int(InteractionContextType.GUILD),
            authorizing_integration_owners={"0": where.guild_id},
        )
    else:
        payload.update(
            user=dict(where.user),
            context=int(InteractionContextType.BOT_DM),
            # A guild-installed app used from its bot DM: the guild-install owner is "0".
            authorizing_integration_owners={"0": "0"},
        )
    if message is not None:
        payload["message"] = dict(message)
    return payload


def slash_command(
    command: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
    *,
    sub: str | None = None,
    where: Where | None = None,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND (type 2) interaction for a synced chat-input command.

    ``command`` is the synced command (``fake.command("name")``); ``sub`` names a
    subcommand, ``"group subcommand"`` for one inside a group; ``options`` maps
    option names to values, checked against the synced schema. Values: ``str``,
    ``int``, ``bool``, ``float``; a :func:`user` or :func:`member` payload for
    USER/MENTIONABLE, a :func:`role` for ROLE, a channel for CHANNEL, an
    :func:`attachment` for ATTACHMENT (these also fill ``data.resolved``).
    """
    return _command_interaction(
        InteractionType.APPLICATION_COMMAND, command, options or {}, sub, where, focused=None
    )


def autocomplete(
    command: Mapping[str, Any],
    options: Mapping[str, Any],
    *,
    focused: str,
    sub: str | None = None,
    where: Where | None = None,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction.

    ``options[focused]`` is what the user has typed so far (always a string, as
    Discord sends it); the option must have ``autocomplete`` on in the synced
    schema. Required options may be missing, since the user is still typing.
    """
    if focused not in options:
        raise ValueError(f"the focused option {focused!r} needs a value in options")
    return _command_interaction(
        InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
        command,
        options,
        sub,
        where,
        focused=focused,
    )


def _command_interaction(
    type_: InteractionType,
    command: Mapping[str, Any],
    values: Mapping[str, Any],
    sub: str | None,
    where: Where | None,
    *,
    focused: str | None,
) -> dict[str, Any]:
    if command.get("type", 1) != 1:
        raise ValueError(f"{command['name']!r} is not a chat-input (slash) command")
    where = where or in_guild()
    resolved: dict[str, dict[str, Any]] = {}
    schema, wrap = _descend(command, sub)
    leaf = _build_options(
        command["name"],
        schema,
        values,
        resolved,
        focused=focused,
        in_guild=where.guild_id is not None,
    )
    data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
    options = wrap(leaf)
    if options:
        data["options"] = options
    if resolved:
        data["resolved"] = resolved
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return _interaction(type_, data, where, application_id=command["application_id"])


def _descend(command: Mapping[str, Any], sub: str | None) -> tuple[list[dict[str, Any]], Any]:
    """Find the options schema a (sub)command takes and how to nest its options."""
    schema: list[dict[str, Any]] = list(command.get("options", []))
    has_subcommands = any(
        o["type"] in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP) for o in schema
    )
    if sub is None:
        if has_subcommands:
            names = [o["name"] for o in schema]
            raise ValueError(f"/{command['name']} has subcommands {names}: pass sub=")
        return schema, lambda leaf: leaf
    path = sub.split()
    chain: list[tuple[str, int]] = []
    for name in path:
        found = next(
            (
                o
                for o in schema
                if o["name"] == name
                and o["type"] in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)
            ),
            None,
        )
        if found is None:
            raise ValueError(f"/{command['name']} has no subcommand path {sub!r}")
        chain.append((name, found["type"]))
        schema = list(found.get("options", []))
    if chain[-1][1] != OptionType.SUB_COMMAND:
        raise ValueError(f"{sub!r} is a group: name one of its subcommands too")

    def wrap(leaf: list[dict[str, Any]]) -> list[dict[str, Any]]:
        nested = leaf
        for name, type_ in reversed(chain):
            nested = [{"name": name, "type": type_, "options": nested}]
        return nested

    return schema, wrap


_PLAIN_TYPES: dict[int, tuple[type, ...]] = {
    OptionType.STRING: (str,),
    OptionType.INTEGER: (int,),
    OptionType.BOOLEAN: (bool,),
    OptionType.NUMBER: (int, float),
}


def _build_options(
    command_name: str,
    schema: list[dict[str, Any]],
    values: Mapping[str, Any],
    resolved: dict[str, dict[str, Any]],
    *,
    focused: str | None,
    in_guild: bool,
) -> list[dict[str, Any]]:
    by_name = {o["name"]: o for o in schema}
    built: list[dict[str, Any]] = []
    for name, value in values.items():
        spec = by_name.get(name)
        if spec is None:
            raise ValueError(f"/{command_name} has no option {name!r} (it has {sorted(by_name)})")
        option: dict[str, Any] = {"name": name, "type": spec["type"]}
        if name == focused:
            if not spec.get("autocomplete"):
                raise ValueError(
                    f"option {name!r} of /{command_name} does not have autocomplete on"
                )
            if not isinstance(value, str):
                raise TypeError("an autocomplete focused value is what the user typed: a str")
            option.update(value=value, focused=True)
        else:
            option["value"] = _option_value(command_name, spec, value, resolved, in_guild=in_guild)
        built.append(option)
    if focused is None:
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
        if missing:
            raise ValueError(f"/{command_name} requires options {missing}")
    return built


def _option_value(
    command_name: str,
    spec: Mapping[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
    *,
    in_guild: bool,
) -> Any:
    type_ = spec["type"]
    where = f"option {spec['name']!r} of /{command_name}"
    if type_ in _PLAIN_TYPES:
        if (isinstance(value, bool) and type_ != OptionType.BOOLEAN) or not isinstance(
            value, _PLAIN_TYPES[type_]
        ):
            raise TypeError(f"{where} is {OptionType(type_).name}, got {value!r}")
        choices = spec.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(
                f"{where} only takes its choices {[c['value'] for c in choices]}, got {value!r}"
            )
        if type_ == OptionType.STRING:
            if not spec.get("min_length", 0) <= len(value) <= spec.get("max_length", 6000):
                raise ValueError(f"{where}: length of {value!r} is outside its min/max_length")
        elif type_ != OptionType.BOOLEAN:
            low, high = spec.get("min_value"), spec.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"{where}: {value!r} is outside [{low}, {high}]")
        return value
    if not isinstance(value, Mapping) or ("id" not in value and "user" not in value):
        raise TypeError(
            f"{where} is {OptionType(type_).name}: pass the entity's payload, got {value!r}"
        )
    if type_ == OptionType.ATTACHMENT:
        resolved.setdefault("attachments", {})[value["id"]] = dict(value)
        return value["id"]
    if type_ == OptionType.CHANNEL:
        allowed = spec.get("channel_types")
        if allowed and value["type"] not in allowed:
            raise ValueError(f"{where} takes channel types {allowed}, got {value['type']}")
        resolved.setdefault("channels", {})[value["id"]] = {
            "id": value["id"],
            "name": value.get("name"),
            "type": value["type"],
            "permissions": value.get("permissions", str(int(MEMBER_PERMISSIONS))),
            "parent_id": value.get("parent_id"),
            "flags": value.get("flags", 0),
        }
        return value["id"]
    is_role = "permissions" in value and "name" in value and "user" not in value
    if type_ == OptionType.ROLE or (type_ == OptionType.MENTIONABLE and is_role):
        if not is_role:
            raise TypeError(f"{where} takes a role payload")
        resolved.setdefault("roles", {})[value["id"]] = dict(value)
        return value["id"]
    if type_ in (OptionType.USER, OptionType.MENTIONABLE):
        the_user = value.get("user", value)
        resolved.setdefault("users", {})[the_user["id"]] = dict(the_user)
        if in_guild:
            the_member = value if "user" in value else member(the_user)
            resolved.setdefault("members", {})[the_user["id"]] = {
                k: v for k, v in the_member.items() if k != "user"
            }
        return the_user["id"]
    raise ValueError(f"{where}: option type {type_} is not supported by these builders")


def walk_components(components: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Every component in a message or modal, depth first (rows, sections, containers, labels)."""
    for component in components:
        yield component
        yield from walk_components(component.get("components", []))
        for key in ("accessory", "component"):
            if key in component:
                yield from walk_components([component[key]])


def custom_id(message: Mapping[str, Any], prefix: str) -> str:
    """The custom_id of the one component in ``message`` whose custom_id starts with ``prefix``."""
    found = [
        c["custom_id"]
        for c in walk_components(message.get("components", []))
        if isinstance(c.get("custom_id"), str) and c["custom_id"].startswith(prefix)
    ]
    if len(found) != 1:
        raise ValueError(
            f"message {message.get('id')} has {len(found)} components starting {prefix!r}"
        )
    return found[0]


def component(
    message: Mapping[str, Any],
    custom_id: str,
    *,
    values: Sequence[str] | None = None,
    where: Where | None = None,
    application_id: str = DEFAULT_APPLICATION_ID,
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT (type 3) interaction: a click on ``custom_id`` in ``message``.

    ``message`` is the message the component is on, typically the one the fake
    stored for the bot's reply (``sent.original_message``); discord.py routes the
    click to the View it stored under that message's id. Buttons take no
    ``values``; string selects need ``values`` drawn from their options.
    """
    found = next(
        (
            c
            for c in walk_components(message.get("components", []))
            if c.get("custom_id") == custom_id
        ),
        None,
    )
    if found is None:
        raise ValueError(
            f"message {message.get('id')} has no component with custom_id {custom_id!r}"
        )
    if found.get("disabled"):
        raise ValueError(f"component {custom_id!r} is disabled: Discord would not send a click")
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": found["type"]}
    if found["type"] == ComponentType.BUTTON:
        if values is not None:
            raise ValueError("a button click carries no values")
    elif found["type"] == ComponentType.STRING_SELECT:
        if values is None:
            raise ValueError("a select interaction needs values")
        offered = {o["value"] for o in found["options"]}
        if not set(values) <= offered:
            raise ValueError(
                f"values {list(values)} are not all among the options {sorted(offered)}"
            )
        if not found.get("min_values", 1) <= len(values) <= found.get("max_values", 1):
            raise ValueError(f"{len(values)} values is outside the select's min/max_values")
        data["values"] = list(values)
    else:
        raise ValueError(f"component type {found['type']} is not supported by these builders yet")
    return _interaction(
        InteractionType.MESSAGE_COMPONENT,
        data,
        where or in_guild(),
        application_id=application_id,
        message=message,
    )


def modal_submit(
    modal: Mapping[str, Any],
    values: Mapping[str, str],
    *,
    where: Where | None = None,
    message: Mapping[str, Any] | None = None,
    application_id: str = DEFAULT_APPLICATION_ID,
) -> dict[str, Any]:
    """A MODAL_SUBMIT (type 5) interaction for the modal the bot sent (callback type 9 ``data``).

    ``values`` maps text inputs' custom_ids to what the user typed; inputs left
    out are submitted empty, which Discord only allows for optional ones. The
    submitted components mirror the modal's layout (action rows or labels).
    ``message`` is set when the modal was opened from a component.
    """
    inputs = {
        c["custom_id"]: c
        for c in walk_components(modal["components"])
        if c["type"] == ComponentType.TEXT_INPUT
    }
    unknown = set(values) - set(inputs)
    if unknown:
        raise ValueError(
            f"the modal has no text inputs {sorted(unknown)} (it has {sorted(inputs)})"
        )
    for custom_id, spec in inputs.items():
        typed = values.get(custom_id, "")
        if spec.get("required", True) and not typed:
            raise ValueError(f"text input {custom_id!r} is required")
        if typed and not spec.get("min_length", 0) <= len(typed) <= spec.get("max_length", 4000):
            raise ValueError(
                f"text input {custom_id!r}: {len(typed)} characters is outside its min/max_length"
            )
    ids = itertools.count(1)

    def submitted(component: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": component["type"], "id": component.get("id", next(ids))}
        if component["type"] == ComponentType.ACTION_ROW:
            out["components"] = [submitted(c) for c in component["components"]]
        elif component["type"] == ComponentType.LABEL:
            out["component"] = submitted(component["component"])
        elif component["type"] == ComponentType.TEXT_INPUT:
            out.update(
                custom_id=component["custom_id"], value=values.get(component["custom_id"], "")
            )
        return out

    data = {
        "custom_id": modal["custom_id"],
        "components": [submitted(c) for c in modal["components"]],
    }
    return _interaction(
        InteractionType.MODAL_SUBMIT,
        data,
        where or in_guild(),
        application_id=application_id,
        message=message,
    )
