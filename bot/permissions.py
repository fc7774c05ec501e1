"""Who may change what. Pure rules, no discord import, so they are tested directly.

The fact base is one for the whole bot, so editing it is a right of its
configured editors only: owners, and in a home guild members with an editor
role or Manage Server. Guild settings belong to each guild's own managers.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config


@dataclass(frozen=True, slots=True)
class Member:
    """Who is acting, and where (guild_id None: a DM)."""

    user_id: int
    guild_id: int | None
    role_ids: frozenset[int] = frozenset()
    manage_guild: bool = False


def may_edit_facts(member: Member, config: Config) -> bool:
    if member.guild_id is None:
        return False  # never from DMs, owners included: changes are made in the open
    if member.user_id in config.owner_ids:
        return True
    if member.guild_id not in config.home_guild_ids:
        return False
    return member.manage_guild or bool(member.role_ids & set(config.editor_role_ids))


def may_change_settings(member: Member, guild_id: int | None) -> bool:
    return guild_id is not None and member.guild_id == guild_id and member.manage_guild
