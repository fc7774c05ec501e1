"""The permission check every write path calls: commands, buttons and modal submissions.

It does not rely on ``default_member_permissions`` (a hint that server admins
can override): the rule is checked here, in code, each time. A refusal is
recorded and answered privately, and nothing is written.
"""

from __future__ import annotations

import logging

import discord

from bot.exts._respond import acknowledged
from bot.permissions import Member, may_change_settings, may_edit_facts

log = logging.getLogger(__name__)

NOT_EDITOR = "Only the fact base's editors can do that (set in the bot's config), and only from its home server."  # fmt: skip
NOT_MANAGER = "Only members with Manage Server in this server can change its settings."
IN_DM = "That only works in a server, not in DMs."


def role_ids(user: object) -> frozenset[int]:
    """The role ids the interaction's member payload lists.

    ``Member.roles`` keeps only roles the guild cache knows, so an editor role
    missing from GUILD_CREATE (or a guild never sent) would hide an editor; the
    ids Discord sent with the member are what counts.
    """
    raw = getattr(user, "_roles", None)
    if raw is not None:
        return frozenset(int(r) for r in raw)
    return frozenset(r.id for r in getattr(user, "roles", ()))


def member_of(interaction: discord.Interaction) -> Member:
    roles = role_ids(interaction.user) - {interaction.guild_id}
    return Member(interaction.user.id, interaction.guild_id, roles, bool(interaction.guild_id and interaction.permissions.manage_guild))  # fmt: skip


async def refuse(interaction: discord.Interaction, action: str, message: str) -> None:
    """Say no privately, then record the attempt."""
    store = interaction.client.store  # type: ignore[attr-defined]
    log.info(
        "refused %s for user %s in guild %s", action, interaction.user.id, interaction.guild_id
    )
    # Answer first, record after: a slow store must not make the refusal late.
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=none)
    else:
        await acknowledged(interaction, interaction.response.send_message(message, ephemeral=True, allowed_mentions=none))  # fmt: skip
    try:
        await store.record_refusal(interaction.user.id, interaction.guild_id, action)
    except Exception:  # the user has their answer; a failed record must not send another
        log.exception("could not record the refusal of %s", action)


async def editor_only(interaction: discord.Interaction, action: str) -> bool:
    """True when the user may change the fact base; otherwise refuse and record it."""
    member = member_of(interaction)
    if may_edit_facts(member, interaction.client.config):  # type: ignore[attr-defined]
        return True
    await refuse(interaction, action, IN_DM if interaction.guild_id is None else NOT_EDITOR)
    return False


async def manager_only(interaction: discord.Interaction, action: str) -> bool:
    """True when the user may change this guild's settings; otherwise refuse and record it."""
    if may_change_settings(member_of(interaction), interaction.guild_id):
        return True
    await refuse(interaction, action, IN_DM if interaction.guild_id is None else NOT_MANAGER)
    return False


def is_editor(interaction: discord.Interaction) -> bool:
    """For read paths that show every gate (autocomplete, /fact show): no record, no reply."""
    return may_edit_facts(member_of(interaction), interaction.client.config)  # type: ignore[attr-defined]
