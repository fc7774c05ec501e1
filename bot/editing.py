"""Changing the fact base: every path (Discord, terminal) goes through ``FactEditor``.

A change is checked by the same rules as the file, stored as a revision in one
transaction, and only then served (the engine is rebuilt and swapped whole).
Changes are serialised by one lock, so two edits land one after the other.
Stored changes are applied over the YAML file at every load, so a reload or a
restart never drops them.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from bot.core.edits import ImportPlan, apply_changes, dump_yaml, fact_to_data, plan_import
from bot.core.loader import load_factbase, parse_factbase, shipped_data_path
from bot.core.model import LAST_EPISODE, FactBase
from bot.core.schema import FactBaseError, Problem, build_fact
from bot.core.text import one_line, strip_invisible
from bot.knowledge import Knowledge
from bot.store import Actor, Change, Revision, Store

log = logging.getLogger(__name__)

MAX_TEXT = 600
MAX_REASON = 300
MAX_FIELD = 200


class EditError(Exception):
    """A change that cannot be made; the message says why, for the moderator."""


@dataclass(frozen=True)
class ImportPreview:
    plan: ImportPlan
    incoming: FactBase


def parse_gate(text: str) -> dict:
    """A form's gate: "0" (premise), "13" (one episode) or "12-16" (a range)."""
    text = text.strip().replace("–", "-").replace(" ", "")
    problem = f"Gate must be 0 (premise), an episode 1 to {LAST_EPISODE} (13) or a range (12-16), not {one_line(text, 20)!r}."  # fmt: skip
    if re.fullmatch(r"\d{1,2}", text):
        number = int(text)
        if number > LAST_EPISODE:
            raise EditError(problem)
        return {"gate": 0} if number == 0 else {"episodes": number}
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if not 1 <= first <= last <= LAST_EPISODE:
            raise EditError(problem)
        return {"episodes": [first, last]}
    raise EditError(problem)


def format_gate(data: dict) -> str:
    if "episodes" in data:
        episodes = data["episodes"]
        return f"{episodes[0]}-{episodes[1]}" if isinstance(episodes, list) else str(episodes)
    return str(data.get("gate", 0))


def default_topic(about: list[str], gate: dict, reviews: Collection[str] = ()) -> str:
    """The topic of a fact added without one. A fact about a review is reception; the
    series' own is series, or its ending when gated; other story past the premise is
    an event, and the rest describes who it is about."""
    if set(about) & set(reviews):
        return "reception"
    if "series" in about:
        return "ending" if gate.get("episodes") else "series"
    return "event" if gate.get("episodes") else "profile"


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\s]+", text) if part.strip()]


def form_to_data(*, fact_id: str, topic: str | None, about: str, text: str, gate: str, sources: str,
                 keep: dict | None = None, reviews: Collection[str] = ()) -> dict:  # fmt: skip
    """A moderator's form as a fact dict; length limits re-checked here, before any write."""
    for name, value, limit in (("about", about, MAX_FIELD), ("text", text, MAX_TEXT), ("gate", gate, 20), ("sources", sources, MAX_FIELD)):  # fmt: skip
        if len(value) > limit:
            raise EditError(f"'{name}' is {len(value)} characters; the limit is {limit}.")
    data = dict(keep or {})
    for key in ("gate", "episodes"):
        data.pop(key, None)
    gate_data, about_ids = parse_gate(gate), split_list(about)
    data.update(id=fact_id, topic=topic or default_topic(about_ids, gate_data, reviews), about=about_ids,
                text=" ".join(strip_invisible(text).split()), sources=split_list(sources), **gate_data)  # fmt: skip
    return data


def _problems_text(exc: FactBaseError) -> str:
    return "; ".join(p.message for p in exc.problems[:5])


class FactEditor:
    """The served fact base and the only way to change it."""

    def __init__(self, store: Store, file_path: Path, file_base: FactBase, knowledge: Knowledge) -> None:  # fmt: skip
        self.store = store
        self.file_path = file_path
        self.file_base = file_base
        self.knowledge = knowledge
        self.skipped: tuple[Problem, ...] = ()
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, store: Store, file_path: Path | None = None) -> FactEditor:
        """Load the file (in a thread: parsing is slow work) and apply the stored changes."""
        path = Path(file_path) if file_path else shipped_data_path()
        file_base = await asyncio.to_thread(load_factbase, path)
        changes = await store.current_changes()
        applied = apply_changes(file_base, changes)
        editor = cls(store, path, file_base, Knowledge(applied.base))
        editor._note_skipped(applied.skipped)
        return editor

    def _note_skipped(self, skipped: tuple[Problem, ...]) -> None:
        self.skipped = skipped
        for problem in skipped:
            log.warning("stored change not applied (kept in the database): %s", problem)

    @property
    def base(self) -> FactBase:
        return self.knowledge.base

    # -- reading -----------------------------------------------------------------------
    def fact_data(self, fact_id: str) -> dict | None:
        fact = self.base.fact_by_id.get(fact_id)
        return None if fact is None else fact_to_data(fact)

    async def history(self, fact_id: str) -> list[Revision]:
        return await self.store.history(fact_id)

    def export(self) -> str:
        return dump_yaml(self.base)

    # -- changing ----------------------------------------------------------------------
    def _check(self, data: dict) -> dict:
        try:
            return fact_to_data(build_fact(data, self.base))
        except FactBaseError as exc:
            raise EditError(f"Not saved: {_problems_text(exc)}.") from None

    async def _commit(self, changes: list[Change], actor: Actor) -> list[Revision]:
        """Store, then serve. Called with the lock held."""
        revisions = await self.store.record_changes(changes, actor)
        changed = await self.store.current_changes()
        # Checking the changed base and indexing it take ~100 ms: off the event loop.
        applied = await asyncio.to_thread(apply_changes, self.file_base, changed)
        await asyncio.to_thread(self.knowledge.replace, applied.base)
        self._note_skipped(applied.skipped)
        return revisions

    async def add(self, data: dict, actor: Actor, reason: str = "") -> Revision:
        async with self._lock:
            if data.get("id") in self.base.fact_by_id:
                raise EditError(f"A fact with id {data['id']!r} already exists; use /fact edit.")
            after = self._check(data)
            (revision,) = await self._commit([Change(after["id"], "add", None, after, _reason(reason))], actor)  # fmt: skip
            return revision

    async def edit(self, fact_id: str, data: dict, actor: Actor, reason: str) -> Revision:
        async with self._lock:
            before = self.fact_data(fact_id)
            if before is None:
                raise EditError(f"No fact has the id {fact_id!r}.")
            after = self._check({**data, "id": fact_id})
            if after == before:
                raise EditError("Nothing changed.")
            (revision,) = await self._commit([Change(fact_id, "edit", before, after, _reason(reason))], actor)  # fmt: skip
            return revision

    async def remove(self, fact_id: str, actor: Actor, reason: str) -> Revision:
        if not reason.strip():
            raise EditError("Say why the fact is removed.")
        async with self._lock:
            before = self.fact_data(fact_id)
            if before is None:
                raise EditError(f"No fact has the id {fact_id!r}.")
            (revision,) = await self._commit([Change(fact_id, "remove", before, None, _reason(reason))], actor)  # fmt: skip
            return revision

    async def revert(self, fact_id: str, number: int, actor: Actor, reason: str = "") -> Revision:
        """Make the fact as it was after revision ``number`` (0: as in the file)."""
        async with self._lock:
            if number == 0:
                original = self.file_base.fact_by_id.get(fact_id)
                target = None if original is None else fact_to_data(original)
            else:
                history = {r.revision: r for r in await self.store.history(fact_id)}
                if number not in history:
                    raise EditError(f"{fact_id!r} has no revision {number} (it has {len(history)}; 0 is the file's version).")  # fmt: skip
                target = history[number].after
            if target is not None:
                target = self._check(target)
            before = self.fact_data(fact_id)
            if before == target:
                raise EditError(f"{fact_id!r} is already as it was at revision {number}.")
            why = _reason(reason) or f"revert to revision {number}"
            (revision,) = await self._commit(
                [Change(fact_id, "revert", before, target, why)], actor
            )
            return revision

    async def reload(self) -> list[Problem]:
        """Re-read the file. An invalid file changes nothing and its problems are returned."""
        async with self._lock:
            try:
                file_base = await asyncio.to_thread(load_factbase, self.file_path)
            except FactBaseError as exc:
                return exc.problems
            self.file_base = file_base
            applied = await asyncio.to_thread(apply_changes, file_base, await self.store.current_changes())  # fmt: skip
            await asyncio.to_thread(self.knowledge.replace, applied.base)
            self._note_skipped(applied.skipped)
            return []

    # -- import ------------------------------------------------------------------------
    async def preview_import(self, data: bytes, name: str) -> ImportPreview:
        """Check a file and say what importing it would change; raises FactBaseError."""
        incoming = await asyncio.to_thread(parse_factbase, data, name)
        plan = plan_import(self.base, incoming)
        problems = []
        for fact in [*plan.added, *(new for _, new in plan.changed)]:
            try:
                build_fact(fact_to_data(fact), self.base, path=f"{name}: fact {fact.id}")
            except FactBaseError as exc:
                problems += exc.problems
        if problems:
            raise FactBaseError(problems)
        return ImportPreview(plan, incoming)

    async def apply_import(self, preview: ImportPreview, actor: Actor, reason: str = "import") -> list[Revision]:  # fmt: skip
        async with self._lock:
            plan = plan_import(self.base, preview.incoming)  # again: the base may have moved on
            changes = [Change(f.id, "import", None, fact_to_data(f), reason) for f in plan.added]
            changes += [Change(old.id, "import", fact_to_data(old), fact_to_data(new), reason) for old, new in plan.changed]  # fmt: skip
            changes += [Change(f.id, "import", fact_to_data(f), None, reason) for f in plan.removed]
            if not changes:
                return []
            return await self._commit(changes, actor)


def _reason(text: str) -> str:
    return one_line(text, MAX_REASON)


def describe_plan(plan: ImportPlan) -> str:
    parts = [f"{len(plan.added)} added", f"{len(plan.changed)} changed", f"{len(plan.removed)} removed"]  # fmt: skip
    text = "Facts: " + ", ".join(parts) + "."
    if plan.other_sections:
        text += f" Not imported (they differ; edit the data file and reload): {', '.join(plan.other_sections)}."  # fmt: skip
    return text
