"""/fact and /factbase: editors keep the fact base right from Discord.

Every write path (command, form, button) checks ``editor_only`` itself, and
all the work is ``FactEditor``'s; this module only turns interactions into
its calls and its results into private replies.
"""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.loader import parse_factbase
from bot.core.reply import Field, Reply, Span, line
from bot.core.schema import TOPICS, FactBaseError
from bot.core.search import STOPWORDS
from bot.core.text import one_line, tokens
from bot.core.yamlsafe import MAX_BYTES
from bot.editing import (  # fmt: skip
    MAX_REASON,
    EditError,
    FactEditor,
    ImportPreview,
    describe_plan,
    form_to_data,
    format_gate,
)
from bot.exts._guard import editor_only, is_editor
from bot.exts._respond import Responder, embed_of
from bot.store import Actor, Revision

MANAGE = discord.Permissions(manage_guild=True)
FactId = app_commands.Range[str, 1, 100]
Reason = app_commands.Range[str, 1, MAX_REASON]


def actor_of(interaction: discord.Interaction) -> Actor:
    return Actor(interaction.user.id, one_line(interaction.user.name, 100), interaction.guild_id)


def _editor(interaction: discord.Interaction) -> FactEditor:
    return interaction.client.editor  # type: ignore[attr-defined]


def _private(title: str, *texts: str, fields: tuple[Field, ...] = ()) -> Reply:
    return Reply(title=title, lines=tuple(line(t) for t in texts), fields=fields, private=True)


def _fact_reply(editor: FactEditor, fact_id: str, heading: str) -> Reply:
    data = editor.fact_data(fact_id)
    if data is None:
        return _private(heading, f"{fact_id} is removed.")
    return Reply(
        title=heading,
        lines=(line(Span(data["text"])),),
        fields=(
            Field("Id", (line(fact_id),), inline=True),
            Field("Topic", (line(data["topic"]),), inline=True),
            Field("Gate", (line(format_gate(data)),), inline=True),
            Field("About", (line(", ".join(data["about"])),)),
            Field("Sources", (line(", ".join(data["sources"])),)),
        ),
        private=True,
    )


def _revision_line(r: Revision) -> str:
    what = {"add": "added", "edit": "edited", "remove": "removed", "revert": "reverted", "import": "imported"}[r.action]  # fmt: skip
    changed = ""
    if r.before and r.after:
        keys = sorted(k for k in set(r.before) | set(r.after) if r.before.get(k) != r.after.get(k))
        changed = f" ({', '.join(keys)})" if keys else ""
    return f"r{r.revision} {r.created_at[:16].replace('T', ' ')} — {what}{changed} by {r.user_name}" + (f": {r.reason}" if r.reason else "")  # fmt: skip


def new_fact_id(base_ids, about: str, text: str) -> str:
    """A readable id for a new fact: its subject, then the text's first telling words."""
    subject = (about.replace(",", " ").split() or ["series"])[0]
    skip = set(tokens(subject)) | STOPWORDS
    words = [w for w in tokens(text) if w not in skip][:3] or ["fact"]
    fact_id = f"{subject}.{'-'.join(words)}"
    n = 2
    while fact_id in base_ids:
        fact_id = f"{subject}.{'-'.join(words)}-{n}"
        n += 1
    return fact_id


class FactForm(discord.ui.Modal):
    """The add / edit form. Its submission is a write path: checked again here."""

    def __init__(self, *, mode: str, fact_id: str | None, topic: str, data: dict | None = None) -> None:  # fmt: skip
        title = f"Edit {fact_id}" if mode == "edit" else f"Add a fact ({topic})"
        super().__init__(title=one_line(title, 45), timeout=900)
        self.mode, self.fact_id, self.topic, self.data = mode, fact_id, topic, data
        data = data or {}
        self.about = discord.ui.TextInput(custom_id="about", label="About (ids, comma-separated)", default=", ".join(data.get("about", [])) or None, max_length=200)  # fmt: skip
        self.text = discord.ui.TextInput(custom_id="text", label="Text (your own words)", style=discord.TextStyle.paragraph, default=data.get("text"), max_length=600)  # fmt: skip
        self.gate = discord.ui.TextInput(custom_id="gate", label="Spoiler gate: 0, 13 or 12-16", default=format_gate(data) if data else "0", max_length=20)  # fmt: skip
        self.sources = discord.ui.TextInput(custom_id="sources", label="Sources (review ids)", default=", ".join(data.get("sources", [])) or None, max_length=200)  # fmt: skip
        self.reason = discord.ui.TextInput(custom_id="reason", label="Reason", required=mode == "edit", max_length=MAX_REASON)  # fmt: skip
        for item in (self.about, self.text, self.gate, self.sources, self.reason):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not await editor_only(interaction, f"fact {self.mode} (form)"):
            return
        editor = _editor(interaction)
        responder = Responder(interaction, private=True)
        try:
            fact_id = self.fact_id or new_fact_id(editor.base.fact_by_id, self.about.value, self.text.value)  # fmt: skip
            data = form_to_data(fact_id=fact_id, topic=self.topic, about=self.about.value, text=self.text.value,
                                gate=self.gate.value, sources=self.sources.value, keep=self.data)  # fmt: skip
            if self.mode == "add":
                revision = await responder.within_deadline(editor.add(data, actor_of(interaction), self.reason.value))  # fmt: skip
            else:
                revision = await responder.within_deadline(editor.edit(fact_id, data, actor_of(interaction), self.reason.value))  # fmt: skip
        except EditError as exc:
            await responder.send(_private("Not saved", str(exc)))
            return
        await responder.send(_fact_reply(editor, revision.fact_id, f"Saved {revision.fact_id} (r{revision.revision})"))  # fmt: skip


class ConfirmImport(discord.ui.View):
    """Apply or cancel an import; only the editor who started it may press."""

    def __init__(self, preview: ImportPreview, moderator_id: int) -> None:
        super().__init__(timeout=600)
        self.preview = preview
        self.moderator_id = moderator_id

    async def _allowed(self, interaction: discord.Interaction, action: str) -> bool:
        if interaction.user.id != self.moderator_id:
            await interaction.client.store.record_refusal(
                interaction.user.id, interaction.guild_id, action
            )  # type: ignore[attr-defined]
            await interaction.response.send_message("Only the editor who started this import can confirm or cancel it.", ephemeral=True)  # fmt: skip
            return False
        return await editor_only(interaction, action)

    @discord.ui.button(
        label="Apply import", style=discord.ButtonStyle.danger, custom_id="import:apply"
    )
    async def apply(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        if not await self._allowed(interaction, "factbase import (confirm)"):
            return
        self.stop()
        revisions = await _editor(interaction).apply_import(self.preview, actor_of(interaction))
        await interaction.response.edit_message(embed=embed_of(_private("Import applied", f"{len(revisions)} facts changed.")), view=None)  # fmt: skip

    @discord.ui.button(
        label="Cancel", style=discord.ButtonStyle.secondary, custom_id="import:cancel"
    )
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        if not await self._allowed(interaction, "factbase import (cancel)"):
            return
        self.stop()
        await interaction.response.edit_message(embed=embed_of(_private("Import cancelled", "Nothing changed.")), view=None)  # fmt: skip


async def fact_ids(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete on id and text, for editors only (it shows every gate)."""
    if not is_editor(interaction):
        return []
    needle = current.casefold()[:100]
    base = _editor(interaction).base
    hits = [f for f in base.facts if needle in f.id or needle in f.text.casefold()][:25]
    return [
        app_commands.Choice(name=one_line(f"{f.id} — {f.text}", 100), value=f.id[:100])
        for f in hits
    ]


async def open_gaps(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    if not is_editor(interaction):
        return []
    try:  # an autocomplete gets no defer: a slow store means no suggestions, not a late answer
        gaps = await asyncio.wait_for(interaction.client.store.gaps(100), timeout=1.0)  # type: ignore[attr-defined]
    except TimeoutError:
        return []
    needle = current.casefold()
    return [app_commands.Choice(name=one_line(f"{g.count}× {g.example}", 100), value=g.question[:100])
            for g in gaps if needle in g.question][:25]  # fmt: skip


async def _read_attachment(file: discord.Attachment) -> bytes:
    if file.size > MAX_BYTES:
        raise EditError(f"That file is {file.size:,} bytes; the limit is {MAX_BYTES:,}.")
    return await file.read()


def _problems_reply(title: str, exc: FactBaseError) -> Reply:
    shown = [str(p) for p in exc.problems[:20]]
    more = len(exc.problems) - len(shown)
    text = "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
    return _private(title, f"{len(exc.problems)} problem(s):", text)


class FactAdmin(commands.Cog):
    fact = app_commands.Group(name="fact", description="Editors: see and change single facts", guild_only=True, default_permissions=MANAGE)  # fmt: skip
    factbase = app_commands.Group(name="factbase", description="Editors: check, import, export and reload the fact base", guild_only=True, default_permissions=MANAGE)  # fmt: skip

    @fact.command(name="show")
    @app_commands.describe(id="The fact's id (search by id or text)")
    @app_commands.autocomplete(id=fact_ids)
    async def show(self, interaction: discord.Interaction, id: FactId) -> None:
        """Show a fact in full: text, gate, sources, last change."""
        if not await editor_only(interaction, "fact show"):
            return
        editor = _editor(interaction)
        if id not in editor.base.fact_by_id:
            await Responder(interaction, private=True).send(_private("Not found", f"No fact has the id {one_line(id, 100)}."))  # fmt: skip
            return
        reply = _fact_reply(editor, id, id)
        history = await Responder(interaction, private=True).within_deadline(editor.history(id))
        if history:
            reply = Reply(title=reply.title, lines=reply.lines, fields=(*reply.fields, Field("Last change", (line(_revision_line(history[-1])),))), private=True)  # fmt: skip
        await Responder(interaction, private=True).send(reply)

    @fact.command(name="add")
    @app_commands.describe(topic="What kind of fact it is")
    @app_commands.choices(topic=[app_commands.Choice(name=t, value=t) for t in TOPICS])
    async def add(self, interaction: discord.Interaction, topic: app_commands.Choice[str]) -> None:
        """Add a fact through a form: what it is about, text, spoiler gate, sources."""
        if not await editor_only(interaction, "fact add"):
            return
        await interaction.response.send_modal(FactForm(mode="add", fact_id=None, topic=topic.value))

    @fact.command(name="edit")
    @app_commands.describe(id="The fact's id (search by id or text)")
    @app_commands.autocomplete(id=fact_ids)
    async def edit(self, interaction: discord.Interaction, id: FactId) -> None:
        """Edit a fact through the same form, filled in."""
        if not await editor_only(interaction, "fact edit"):
            return
        data = _editor(interaction).fact_data(id)
        if data is None:
            await Responder(interaction, private=True).send(_private("Not found", f"No fact has the id {one_line(id, 100)}."))  # fmt: skip
            return
        await interaction.response.send_modal(FactForm(mode="edit", fact_id=id, topic=data["topic"], data=data))  # fmt: skip

    @fact.command(name="remove")
    @app_commands.describe(id="The fact's id", reason="Why it goes (kept in its history)")
    @app_commands.autocomplete(id=fact_ids)
    async def remove(self, interaction: discord.Interaction, id: FactId, reason: Reason) -> None:
        """Remove a fact, with a reason. It can be brought back with /fact revert."""
        if not await editor_only(interaction, "fact remove"):
            return
        responder = Responder(interaction, private=True)
        try:
            revision = await responder.within_deadline(_editor(interaction).remove(id, actor_of(interaction), reason))  # fmt: skip
        except EditError as exc:
            await responder.send(_private("Not removed", str(exc)))
            return
        await responder.send(_private(f"Removed {id} (r{revision.revision})", f"Undo with /fact revert id:{id} revision:{revision.revision - 1}."))  # fmt: skip

    @fact.command(name="history")
    @app_commands.describe(id="The fact's id")
    @app_commands.autocomplete(id=fact_ids)
    async def history(self, interaction: discord.Interaction, id: FactId) -> None:
        """Every change to a fact: who, when, what changed, why."""
        if not await editor_only(interaction, "fact history"):
            return
        revisions = await Responder(interaction, private=True).within_deadline(_editor(interaction).history(id))  # fmt: skip
        lines = [_revision_line(r) for r in revisions] or ["No changes since the data file (revision 0)."]  # fmt: skip
        await Responder(interaction, private=True).send(_private(f"History of {one_line(id, 100)}", *lines))  # fmt: skip

    @fact.command(name="revert")
    @app_commands.describe(id="The fact's id", revision="The revision to restore (0: as in the data file)", reason="Why")  # fmt: skip
    @app_commands.autocomplete(id=fact_ids)
    async def revert(self, interaction: discord.Interaction, id: FactId, revision: app_commands.Range[int, 0, 100_000],
                     reason: Reason | None = None) -> None:  # fmt: skip
        """Restore a fact as it was at a revision (itself recorded as a new revision)."""
        if not await editor_only(interaction, "fact revert"):
            return
        responder = Responder(interaction, private=True)
        try:
            new = await responder.within_deadline(_editor(interaction).revert(id, revision, actor_of(interaction), reason or ""))  # fmt: skip
        except EditError as exc:
            await responder.send(_private("Not reverted", str(exc)))
            return
        await responder.send(_fact_reply(_editor(interaction), id, f"Reverted {id} to r{revision} (now r{new.revision})"))  # fmt: skip

    @factbase.command(name="validate")
    @app_commands.describe(file="A fact base YAML file")
    async def validate(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Check a YAML file and list every problem with its line and column."""
        if not await editor_only(interaction, "factbase validate"):
            return
        responder = Responder(interaction, private=True)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            base = await asyncio.to_thread(
                parse_factbase, await _read_attachment(file), file.filename
            )
        except EditError as exc:
            await responder.send(_private("Not checked", str(exc)))
        except FactBaseError as exc:
            await responder.send(
                _problems_reply(f"{one_line(file.filename, 100)} has problems", exc)
            )
        else:
            await responder.send(_private(f"{one_line(file.filename, 100)} is valid", f"{len(base.facts)} facts, {len(base.characters)} characters, {len(base.reviews)} reviews."))  # fmt: skip

    @factbase.command(name="import")
    @app_commands.describe(file="A fact base YAML file (an edited export)")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Check a file, show what would change, and apply it only when you confirm."""
        if not await editor_only(interaction, "factbase import"):
            return
        responder = Responder(interaction, private=True)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            preview = await _editor(interaction).preview_import(
                await _read_attachment(file), file.filename
            )
        except EditError as exc:
            await responder.send(_private("Not imported", str(exc)))
            return
        except FactBaseError as exc:
            await responder.send(_problems_reply("Not imported: the file has problems", exc))
            return
        if preview.plan.empty:
            await responder.send(_private("Nothing to import", "The file's facts are the same as the current ones.", describe_plan(preview.plan)))  # fmt: skip
            return
        await responder.send(_private("Import this file?", describe_plan(preview.plan)), view=ConfirmImport(preview, interaction.user.id))  # fmt: skip

    @factbase.command(name="export")
    async def export(self, interaction: discord.Interaction) -> None:
        """Download the current fact base, moderators' changes included, as YAML."""
        if not await editor_only(interaction, "factbase export"):
            return
        text = await asyncio.to_thread(_editor(interaction).export)  # YAML dumping is slow work
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename="runon-factbase.yaml")
        await interaction.response.send_message("The current fact base:", file=file, ephemeral=True)

    @factbase.command(name="reload")
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the data file; if it is invalid, the current base keeps serving."""
        if not await editor_only(interaction, "factbase reload"):
            return
        responder = Responder(interaction, private=True)
        await interaction.response.defer(ephemeral=True, thinking=True)
        problems = await _editor(interaction).reload()
        if problems:
            await responder.send(_problems_reply("Not reloaded: the file has problems (still serving the current base)", FactBaseError(problems)))  # fmt: skip
        else:
            base = _editor(interaction).base
            await responder.send(_private("Reloaded", f"{len(base.facts)} facts served (moderators' changes applied)."))  # fmt: skip

    @factbase.command(name="gaps")
    @app_commands.describe(dismiss="A question to take off the list")
    @app_commands.autocomplete(dismiss=open_gaps)
    async def gaps(self, interaction: discord.Interaction, dismiss: app_commands.Range[str, 1, 200] | None = None) -> None:  # fmt: skip
        """The questions the bot could not answer, most asked first."""
        if not await editor_only(interaction, "factbase gaps"):
            return
        store = interaction.client.store  # type: ignore[attr-defined]
        responder = Responder(interaction, private=True)
        if dismiss is not None:
            done = await responder.within_deadline(store.dismiss_gap(dismiss))
            await responder.send(_private("Gaps", "Dismissed." if done else "No open question matches that."))  # fmt: skip
            return
        gaps = await responder.within_deadline(store.gaps(20))
        lines = [f"{g.count}× {one_line(g.example, 150)} (first {g.first_asked[:10]}, last {g.last_asked[:10]})" for g in gaps]  # fmt: skip
        await responder.send(_private("Questions I could not answer", *(lines or ["None so far."])))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(FactAdmin())
