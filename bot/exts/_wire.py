"""INTERACTION_CREATE as Discord documents it, made readable by discord.py.

discord.py 2.7 reads some fields with ``data[key]`` that Discord's
documentation marks optional, nullable or recent (``attachment_size_limit``, a
member's ``flags``, a resolved attachment's ``proxy_url``...). A payload without
one raises inside the gateway reader, which ends the connection and the bot
with it, and the interaction is never answered. ``normalise_interaction`` fills
what is missing with Discord's documented defaults before discord.py reads the
payload; it never changes a value Discord did send, except to drop what the bot
does not read (entitlements). It is a handful of dict look-ups: it runs on every
interaction.
"""

from __future__ import annotations

from typing import Any

# Discord's default upload limit per attachment (an unboosted guild, no Nitro).
DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Interaction types (Discord's numbers).
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
# Channel types: a guild text channel, a DM.
GUILD_TEXT, DM = 0, 1


def _dict(value: Any) -> dict | None:
    return value if isinstance(value, dict) else None


def _user(user: Any) -> dict | None:
    """A user object with the keys discord.py requires (``id`` cannot be made up)."""
    user = _dict(user)
    if user is None or "id" not in user:
        return None
    if not isinstance(user.get("username"), str):
        user["username"] = str(user.get("username") or "")
    user.setdefault("discriminator", "0")
    user.setdefault("avatar", None)
    return user


def _member(member: Any, user: Any = None) -> dict | None:
    """A guild member with ``user``, ``roles`` (a list) and ``flags``."""
    member = _dict(member)
    if member is None:
        if _user(user) is None:
            return None
        member = {"user": user}
    elif user is not None and _dict(member.get("user")) is None:
        member["user"] = user
    if _user(member.get("user")) is None:
        return None
    if not isinstance(member.get("roles"), list):
        member["roles"] = []
    if not isinstance(member.get("flags"), int):
        member["flags"] = 0
    return member


def _attachment(attachment: dict) -> None:
    attachment.setdefault("filename", "")
    if not isinstance(attachment.get("size"), int):
        attachment["size"] = 0
    attachment.setdefault("url", "")
    attachment.setdefault("proxy_url", attachment["url"] or "")


def _resolved(resolved: Any, in_guild: bool) -> None:
    resolved = _dict(resolved)
    if resolved is None:
        return
    for key in ("users", "members", "roles", "channels", "attachments", "messages"):
        if key in resolved and _dict(resolved[key]) is None:
            resolved[key] = {}
    users = resolved.get("users", {})
    for user_id, user in list(users.items()):
        if _user(user) is None:
            del users[user_id]
    members = resolved.get("members", {})
    for user_id, member in list(members.items()):
        # Resolved members come without their user (it is in ``users``); discord.py adds it.
        if not in_guild or user_id not in users or _dict(member) is None:
            del members[user_id]
            continue
        if not isinstance(member.get("roles"), list):
            member["roles"] = []
        if not isinstance(member.get("flags"), int):
            member["flags"] = 0
    channels = resolved.get("channels", {})
    for channel_id, channel in list(channels.items()):
        if _dict(channel) is None:
            del channels[channel_id]
            continue
        channel.setdefault("id", channel_id)
        channel.setdefault("type", GUILD_TEXT)
    for attachment_id, attachment in list(resolved.get("attachments", {}).items()):
        if _dict(attachment) is None:
            del resolved["attachments"][attachment_id]
            continue
        attachment.setdefault("id", attachment_id)
        _attachment(attachment)
    resolved.pop("messages", None)  # only message context menus use them; this bot has none


def _message(message: dict, channel_id: Any) -> None:
    message.setdefault("type", 0)
    if not isinstance(message.get("content"), str):
        message["content"] = ""
    message.setdefault("channel_id", channel_id)
    if _user(message.get("author")) is None:
        message.pop("author", None)
    for key in ("attachments", "embeds", "components", "mentions", "mention_roles"):
        if key in message and not isinstance(message[key], list):
            message[key] = []
    for attachment in message.get("attachments", []):
        if isinstance(attachment, dict):
            _attachment(attachment)
    message.pop("member", None)  # a partial member without its user; discord.py needs neither


def normalise_interaction(data: dict) -> dict:
    """``data`` (changed in place and returned) with what discord.py needs filled in."""
    data.setdefault("version", 1)
    if not isinstance(data.get("attachment_size_limit"), int):
        data["attachment_size_limit"] = DEFAULT_ATTACHMENT_SIZE_LIMIT
    # The bot sells nothing: entitlements are not read (a partial one would not parse).
    data["entitlements"] = []
    if not isinstance(data.get("authorizing_integration_owners"), dict):
        data["authorizing_integration_owners"] = {}
    if "context" in data and not (isinstance(data["context"], int) and 0 <= data["context"] < 8):
        del data["context"]  # discord.py shifts by it
    if not isinstance(data.get("locale"), str):
        data.pop("locale", None)
    if "guild_locale" in data and not isinstance(data["guild_locale"], str):
        del data["guild_locale"]
    in_guild = data.get("guild_id") is not None
    if in_guild:
        if _dict(data.get("guild")) is None:
            data.pop("guild", None)
        member = _member(data.get("member"), data.get("user"))
        if member is None:
            data.pop("member", None)
        else:
            data["member"] = member
    else:
        data.pop("guild_id", None)
        user = data.get("user")
        if _user(user) is None:
            member = _member(data.get("member"))  # a member in a DM: keep who it was
            if member is not None:
                data["user"] = member["user"]
    channel = _dict(data.get("channel"))
    if channel is None or "id" not in channel:
        if data.get("channel_id") is not None:
            data["channel"] = {"id": data["channel_id"], "type": GUILD_TEXT if in_guild else DM}
        else:
            data.pop("channel", None)
    else:
        channel.setdefault("type", GUILD_TEXT if in_guild else DM)
    inner = _dict(data.get("data"))
    kind = data.get("type")
    if inner is None:
        inner = data["data"] = {}
    if kind == MESSAGE_COMPONENT:
        if not isinstance(inner.get("custom_id"), str):
            inner["custom_id"] = str(inner.get("custom_id") or "")
        if not isinstance(inner.get("component_type"), int):
            inner["component_type"] = 2  # a button
    elif kind == MODAL_SUBMIT:
        if not isinstance(inner.get("custom_id"), str):
            inner["custom_id"] = str(inner.get("custom_id") or "")
        if not isinstance(inner.get("components"), list):
            inner["components"] = []
    if "resolved" in inner:
        if _dict(inner["resolved"]) is None:
            inner["resolved"] = {}
        _resolved(inner["resolved"], in_guild)
    message = _dict(data.get("message"))
    if message is not None and "id" in message:
        _message(message, (data.get("channel") or {}).get("id"))
    else:
        data.pop("message", None)
    return data


def submitted_values(data: Any) -> dict[str, str]:
    """A modal submission's text inputs, ``custom_id -> value``, in action rows or labels."""
    values: dict[str, str] = {}

    def walk(components: Any) -> None:
        if not isinstance(components, list):
            return
        for component in components:
            if not isinstance(component, dict):
                continue
            if isinstance(component.get("custom_id"), str) and "value" in component:
                value = component["value"]
                values.setdefault(component["custom_id"], value if isinstance(value, str) else "")
            walk(component.get("components"))
            walk([component["component"]] if isinstance(component.get("component"), dict) else None)  # fmt: skip

    walk((data or {}).get("components") if isinstance(data, dict) else None)
    return values
