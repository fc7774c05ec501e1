"""/fact and /factbase: editors keep the fact base right from Discord.

Every write path (command, form, button) checks ``editor_only`` itself, and
all the work is ``FactEditor``'s; this module only turns interactions into
its calls and its results into private replies.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass

import aiohttp
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
from bot.exts._guard import editor_only, is_editor, refuse
from bot.exts._options import optional_text, text, whole_number
from bot.exts._pending import Pending
from bot.exts._respond import (
    Responder,
    acknowledged,
    edited,
    embed_of,
    safe_autocomplete,
    send_embed,
)
from bot.exts._wire import submitted_values
from bot.store import Actor, Revision

log = logging.getLogger(__name__)

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


FORM = "fact-form"  # custom_id: fact-form:<token>
IMPORT = "import"  # custom_ids: import:apply:<token>, import:cancel:<token>
IMPORT_TTL_SECONDS = 600.0
FORM_TTL_SECONDS = 24 * 3600.0
NOT_WAITING = "This import is no longer waiting: it was applied or cancelled, or it expired (after 10 minutes). Run /factbase import again."  # fmt: skip
NOT_YOUR_IMPORT = "Only the editor who started this import can confirm or cancel it."
NOT_YOUR_FORM = "This form was opened by someone else."


@dataclass(frozen=True)
class OpenForm:
    """What a form was opened for; its fields arrive with the submission."""

    mode: str  # "add" or "edit"
    fact_id: str | None
    topic: str | None  # None: chosen from the form (see editing.default_topic)
    data: dict | None


class FactForm(discord.ui.Modal):
    """The add / edit form. Only built and sent here: its submission is routed by
    custom_id to ``FactAdmin.on_form``, which checks the editor again."""

    def __init__(self, *, mode: str, fact_id: str | None, topic: str | None, data: dict | None = None, token: str = "") -> None:  # fmt: skip
        title = f"Edit {fact_id}" if mode == "edit" else (f"Add a fact ({topic})" if topic else "Add a fact")  # fmt: skip
        super().__init__(title=one_line(title, 45), timeout=None, custom_id=f"{FORM}:{token}")
        data = data or {}
        self.about = discord.ui.TextInput(custom_id="about", label="About (ids, comma-separated)", default=", ".join(data.get("about", [])) or None, max_length=200)  # fmt: skip
        self.text = discord.ui.TextInput(custom_id="text", label="Text (your own words)", style=discord.TextStyle.paragraph, default=data.get("text"), max_length=600)  # fmt: skip
        self.gate = discord.ui.TextInput(custom_id="gate", label="Spoiler gate: 0, 13 or 12-16", default=format_gate(data) if data else "0", max_length=20)  # fmt: skip
        self.sources = discord.ui.TextInput(custom_id="sources", label="Sources (review ids)", default=", ".join(data.get("sources", [])) or None, max_length=200)  # fmt: skip
        self.reason = discord.ui.TextInput(custom_id="reason", label="Reason", required=mode == "edit", max_length=MAX_REASON)  # fmt: skip
        for item in (self.about, self.text, self.gate, self.sources, self.reason):
            self.add_item(item)
        # Rendered only: discord.py keeps listening to a modal it sends unless it is stopped.
        self.stop()


def import_buttons(token: str) -> discord.ui.View:
    """Apply / Cancel for one waiting import. Rendered only, like ``FactForm``:
    clicks are routed by custom_id to ``FactAdmin.on_import_button``."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Apply import", style=discord.ButtonStyle.danger, custom_id=f"{IMPORT}:apply:{token}"))  # fmt: skip
    view.add_item(discord.ui.Button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id=f"{IMPORT}:cancel:{token}"))  # fmt: skip
    view.stop()
    return view


@safe_autocomplete
async def fact_ids(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete on id and text, for editors only (it shows every gate)."""
    if not is_editor(interaction):
        return []
    needle = current.casefold()
    base = _editor(interaction).base
    hits = [f for f in base.facts if needle in f.id.casefold() or needle in f.text.casefold()][:25]
    return [
        app_commands.Choice(name=one_line(f"{f.id} — {f.text}", 100), value=f.id[:100])
        for f in hits
    ]


@safe_autocomplete
async def open_gaps(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    if not is_editor(interaction):
        return []
    # An autocomplete gets no defer: a slow store means no suggestions, not a late answer.
    gaps = await asyncio.wait_for(interaction.client.store.gaps(100), timeout=1.0)  # type: ignore[attr-defined]
    needle = current.casefold()
    return [app_commands.Choice(name=one_line(f"{g.count}× {g.example}", 100), value=g.question[:100])
            for g in gaps if needle in g.question][:25]  # fmt: skip


async def _read_attachment(file: object) -> bytes:
    """The attachment's bytes, or an EditError saying why not (never a bare HTTP error:
    a 404 from the CDN must not read as a refused send and leave the reply unsent)."""
    if not isinstance(file, discord.Attachment):
        raise EditError("That option needs a file attached.")
    if file.size > MAX_BYTES:
        raise EditError(f"That file is {file.size:,} bytes; the limit is {MAX_BYTES:,}.")
    if not file.url:
        raise EditError("Discord sent no address for that file; try attaching it again.")
    try:
        data = await file.read()
    except (discord.HTTPException, aiohttp.ClientError, ValueError, TimeoutError) as exc:
        log.warning("could not download attachment %s: %r", file.id, exc)
        raise EditError("I couldn't download that file; try attaching it again.") from None
    if len(data) > MAX_BYTES:
        raise EditError(f"That file is {len(data):,} bytes; the limit is {MAX_BYTES:,}.")
    return data


def _filename(file: object) -> str:
    return one_line(getattr(file, "filename", "") or "file", 100)


def _problems_reply(title: str, exc: FactBaseError) -> Reply:
    shown = [str(p) for p in exc.problems[:20]]
    more = len(exc.problems) - len(shown)
    text = "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
    return _private(title, f"{len(exc.problems)} problem(s):", text)


class FactAdmin(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.imports: Pending[ImportPreview] = Pending(ttl=IMPORT_TTL_SECONDS, limit=20)
        self.forms: Pending[OpenForm] = Pending(ttl=FORM_TTL_SECONDS, limit=200)

    async def cog_load(self) -> None:
        self.bot.add_interaction_route(IMPORT, self.on_import_button)  # type: ignore[attr-defined]
        self.bot.add_interaction_route(FORM, self.on_form)  # type: ignore[attr-defined]

    async def cog_unload(self) -> None:
        self.bot.remove_interaction_route(IMPORT)  # type: ignore[attr-defined]
        self.bot.remove_interaction_route(FORM)  # type: ignore[attr-defined]

    # --- the form ----------------------------------------------------------------------

    async def _open_form(self, interaction: discord.Interaction, form: OpenForm) -> None:
        token = self.forms.put(interaction.user.id, form)
        modal = FactForm(mode=form.mode, fact_id=form.fact_id, topic=form.topic, data=form.data, token=token)  # fmt: skip
        await acknowledged(interaction, interaction.response.send_modal(modal))

    async def on_form(self, interaction: discord.Interaction, custom_id: str) -> None:
        """A submitted add / edit form: a write path, checked again here."""
        token = custom_id.partition(":")[2]
        values = submitted_values(interaction.data)
        entry = self.forms.peek(token)
        responder = Responder(interaction, private=True)
        if entry is None:
            kept = one_line(values.get("text", ""), 600)
            fields = (Field("What you wrote", (line(Span(kept)),)),) if kept.strip() else ()
            await responder.send(_private("Not saved: this form is no longer open", "It was already submitted, or I restarted since it was opened. Open it again with /fact add or /fact edit.", fields=fields))  # fmt: skip
            return
        owner_id, form = entry
        action = f"fact {form.mode} (form)"
        if not await editor_only(interaction, action):
            return
        if interaction.user.id != owner_id:
            await refuse(interaction, action, NOT_YOUR_FORM)
            return
        if self.forms.take(token) is None:  # submitted twice at once: the first one counts
            await responder.send(_private("Not saved", "This form was already submitted."))
            return
        editor = _editor(interaction)
        reason = values.get("reason", "")
        try:
            fact_id = form.fact_id or new_fact_id(editor.base.fact_by_id, values.get("about", ""), values.get("text", ""))  # fmt: skip
            data = form_to_data(fact_id=fact_id, topic=form.topic, about=values.get("about", ""), text=values.get("text", ""),
                                gate=values.get("gate", ""), sources=values.get("sources", ""), keep=form.data,
                                reviews=editor.base.review_by_id)  # fmt: skip
            if form.mode == "add":
                revision = await responder.within_deadline(editor.add(data, actor_of(interaction), reason))  # fmt: skip
            else:
                revision = await responder.within_deadline(editor.edit(fact_id, data, actor_of(interaction), reason))  # fmt: skip
        except EditError as exc:
            await responder.send(_private("Not saved", str(exc)))
            return
        await responder.send(_fact_reply(editor, revision.fact_id, f"Saved {revision.fact_id} (r{revision.revision})"))  # fmt: skip

    # --- the import's Apply / Cancel --------------------------------------------------------

    async def on_import_button(self, interaction: discord.Interaction, custom_id: str) -> None:
        parts = custom_id.split(":")
        action = parts[1] if len(parts) == 3 and parts[1] in ("apply", "cancel") else None
        entry = self.imports.peek(parts[2]) if action else None
        if action is None or entry is None:
            await Responder(interaction, private=True).send(_private("Nothing to do", NOT_WAITING))
            return
        token = parts[2]
        owner_id, preview = entry
        what = f"factbase import ({'confirm' if action == 'apply' else 'cancel'})"
        if not await editor_only(interaction, what):
            return
        if interaction.user.id != owner_id:
            await refuse(interaction, what, NOT_YOUR_IMPORT)
            return
        if self.imports.take(token) is None:  # a double click: the first one counts
            await Responder(interaction, private=True).send(_private("Nothing to do", NOT_WAITING))
            return
        if action == "cancel":
            await _update_message(interaction, _private("Import cancelled", "Nothing changed."))
            return
        # Applying may be slow (a big file, a busy database): acknowledge first.
        if interaction.message is not None:
            await acknowledged(interaction, interaction.response.defer())
        else:
            await acknowledged(interaction, interaction.response.defer(ephemeral=True, thinking=True))  # fmt: skip
        try:
            revisions = await _editor(interaction).apply_import(preview, actor_of(interaction))
        except EditError as exc:
            result = _private("Not imported", str(exc))
        except FactBaseError as exc:
            result = _problems_reply("Not imported: the change has problems", exc)
        else:
            result = _private("Import applied", f"{len(revisions)} facts changed.")
        await _update_message(interaction, result)

    # --- commands ------------------------------------------------------------------------

    fact = app_commands.Group(name="fact", description="Editors: see and change single facts", guild_only=True, default_permissions=MANAGE)  # fmt: skip
    factbase = app_commands.Group(name="factbase", description="Editors: check, import, export and reload the fact base", guild_only=True, default_permissions=MANAGE)  # fmt: skip

    @fact.command(name="show")
    @app_commands.describe(id="The fact's id (search by id or text)")
    @app_commands.autocomplete(id=fact_ids)
    async def show(self, interaction: discord.Interaction, id: FactId) -> None:
        """Show a fact in full: text, gate, sources, last change."""
        if not await editor_only(interaction, "fact show"):
            return
        id = text(id)
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
    @app_commands.describe(topic="What kind of fact it is (default: worked out from what it is about and its gate)")  # fmt: skip
    @app_commands.choices(topic=[app_commands.Choice(name=t, value=t) for t in TOPICS])
    async def add(self, interaction: discord.Interaction, topic: app_commands.Choice[str] | None = None) -> None:  # fmt: skip
        """Add a fact through a form: what it is about, text, spoiler gate, sources."""
        if not await editor_only(interaction, "fact add"):
            return
        await self._open_form(interaction, OpenForm("add", None, topic.value if topic else None, None))  # fmt: skip

    @fact.command(name="edit")
    @app_commands.describe(id="The fact's id (search by id or text)")
    @app_commands.autocomplete(id=fact_ids)
    async def edit(self, interaction: discord.Interaction, id: FactId) -> None:
        """Edit a fact through the same form, filled in."""
        if not await editor_only(interaction, "fact edit"):
            return
        id = text(id)
        data = _editor(interaction).fact_data(id)
        if data is None:
            await Responder(interaction, private=True).send(_private("Not found", f"No fact has the id {one_line(id, 100)}."))  # fmt: skip
            return
        await self._open_form(interaction, OpenForm("edit", id, data["topic"], data))

    @fact.command(name="remove")
    @app_commands.describe(id="The fact's id", reason="Why it goes (kept in its history)")
    @app_commands.autocomplete(id=fact_ids)
    async def remove(self, interaction: discord.Interaction, id: FactId, reason: Reason) -> None:
        """Remove a fact, with a reason. It can be brought back with /fact revert."""
        if not await editor_only(interaction, "fact remove"):
            return
        id, reason = text(id), text(reason)
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
        id = text(id)
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
        id, reason = text(id), optional_text(reason)
        revision = whole_number(revision, 0, 100_000, "The revision")
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
        await acknowledged(interaction, interaction.response.defer(ephemeral=True, thinking=True))
        name = _filename(file)
        try:
            base = await asyncio.to_thread(parse_factbase, await _read_attachment(file), name)
        except EditError as exc:
            await responder.send(_private("Not checked", str(exc)))
        except FactBaseError as exc:
            await responder.send(_problems_reply(f"{name} has problems", exc))
        else:
            await responder.send(_private(f"{name} is valid", f"{len(base.facts)} facts, {len(base.characters)} characters, {len(base.reviews)} reviews."))  # fmt: skip

    @factbase.command(name="import")
    @app_commands.describe(file="A fact base YAML file (an edited export)")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Check a file, show what would change, and apply it only when you confirm."""
        if not await editor_only(interaction, "factbase import"):
            return
        responder = Responder(interaction, private=True)
        await acknowledged(interaction, interaction.response.defer(ephemeral=True, thinking=True))
        try:
            preview = await _editor(interaction).preview_import(
                await _read_attachment(file), _filename(file)
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
        token = self.imports.put(interaction.user.id, preview)
        await responder.send(_private("Import this file?", describe_plan(preview.plan)), view=import_buttons(token))  # fmt: skip

    @factbase.command(name="export")
    async def export(self, interaction: discord.Interaction) -> None:
        """Download the current fact base, moderators' changes included, as YAML."""
        if not await editor_only(interaction, "factbase export"):
            return
        # YAML dumping is slow work: off the loop, and deferred if it takes a while.
        dumped = await Responder(interaction, private=True).within_deadline(asyncio.to_thread(_editor(interaction).export))  # fmt: skip
        file = discord.File(io.BytesIO(dumped.encode("utf-8")), filename="runon-factbase.yaml")
        await send_embed(interaction, content="The current fact base:", file=file, private=True)

    @factbase.command(name="reload")
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the data file; if it is invalid, the current base keeps serving."""
        if not await editor_only(interaction, "factbase reload"):
            return
        responder = Responder(interaction, private=True)
        await acknowledged(interaction, interaction.response.defer(ephemeral=True, thinking=True))
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
        dismiss = optional_text(dismiss)
        if dismiss is not None:
            done = await responder.within_deadline(_dismiss(store, dismiss))
            await responder.send(_private("Gaps", "Dismissed." if done else "No open question matches that."))  # fmt: skip
            return
        gaps = await responder.within_deadline(store.gaps(20))
        lines = [f"{g.count}× {one_line(g.example, 150)} (first {g.first_asked[:10]}, last {g.last_asked[:10]})" for g in gaps]  # fmt: skip
        await responder.send(_private("Questions I could not answer", *(lines or ["None so far."])))


async def _dismiss(store, question: str) -> bool:
    """Dismiss a gap by its question; a suggestion cut to Discord's 100 characters
    still names the one open question it starts."""
    if await store.dismiss_gap(question):
        return True
    if len(question) < 100:
        return False
    matches = [g.question for g in await store.gaps(1000) if g.question.startswith(question)]
    return len(matches) == 1 and await store.dismiss_gap(matches[0])


async def _update_message(interaction: discord.Interaction, reply: Reply) -> None:
    """Replace the message a button is on (its buttons go), however far the interaction is."""
    embed = embed_of(reply)
    if interaction.message is None:
        await send_embed(interaction, embed, private=True)
    elif interaction.response.is_done():
        await edited(interaction, interaction.edit_original_response(embed=embed, view=None))
    else:
        await acknowledged(interaction, interaction.response.edit_message(embed=embed, view=None))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(FactAdmin(bot))
