"""The answering helpers on their own: when a defer happens, and what is rendered once."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.reply import Reply, line
from bot.exts import _respond


class Response:
    """The part of ``InteractionResponse`` the responder uses; ``defer`` may fail."""

    def __init__(self, defer_error: Exception | None = None) -> None:
        self.deferred = 0
        self.defer_error = defer_error

    def is_done(self) -> bool:
        return self.deferred > 0

    async def defer(self, *, ephemeral: bool, thinking: bool) -> None:
        await asyncio.sleep(0)
        if self.defer_error is not None:
            raise self.defer_error
        self.deferred += 1


class Interaction:
    def __init__(self, response: Response) -> None:
        self.response = response
        self.id = 1


async def test_quick_work_is_answered_without_a_defer(monkeypatch):
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.01)
    response = Response()

    async def quick() -> int:
        return 7

    assert await _respond.Responder(Interaction(response), private=True).within_deadline(quick()) == 7  # fmt: skip
    await asyncio.sleep(0.05)  # the timer, had it been left armed, would have fired by now
    assert response.deferred == 0


async def test_slow_work_is_deferred_once_and_its_result_kept(monkeypatch):
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.01)
    response = Response()

    async def slow() -> str:
        await asyncio.sleep(0.05)
        return "done"

    assert await _respond.Responder(Interaction(response), private=False).within_deadline(slow()) == "done"  # fmt: skip
    assert response.deferred == 1


async def test_a_lost_interaction_still_lets_the_work_finish(monkeypatch):
    """A defer refused (the interaction is gone) is raised, but only once the write is done."""
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.01)
    response = Response(defer_error=RuntimeError("10062 Unknown interaction"))
    written = []

    async def write() -> None:
        await asyncio.sleep(0.05)
        written.append("row")

    with pytest.raises(RuntimeError, match="10062"):
        await _respond.Responder(Interaction(response), private=True).within_deadline(write())
    assert written == ["row"]


async def test_the_works_own_failure_is_logged_when_the_interaction_is_lost_too(
    monkeypatch, caplog
):
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.01)
    response = Response(defer_error=RuntimeError("10062 Unknown interaction"))

    async def broken() -> None:
        await asyncio.sleep(0.05)
        raise ValueError("the store broke")

    with pytest.raises(RuntimeError, match="10062"):
        await _respond.Responder(Interaction(response), private=True).within_deadline(broken())
    logged = [r for r in caplog.records if r.levelname == "ERROR" and r.exc_info]
    assert logged and isinstance(logged[0].exc_info[1], ValueError)


async def test_the_works_failure_is_raised_as_is_when_the_defer_succeeded(monkeypatch):
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.01)
    response = Response()

    async def broken() -> None:
        await asyncio.sleep(0.05)
        raise ValueError("the store broke")

    with pytest.raises(ValueError, match="store broke"):
        await _respond.Responder(Interaction(response), private=True).within_deadline(broken())
    assert response.deferred == 1


def test_a_reply_is_rendered_once_and_an_equal_new_one_afresh(monkeypatch):
    monkeypatch.setattr(_respond, "_embeds", type(_respond._embeds)())
    reply = Reply(title="Ratings", lines=(line("newspaper: 3/5"),))
    first = _respond.embed_of(reply)
    assert _respond.embed_of(reply) is first
    assert first.title == "Ratings" and first.description == "newspaper: 3/5"
    again = Reply(title="Ratings", lines=(line("newspaper: 3/5"),))
    assert _respond.embed_of(again) is not first
    assert _respond.embed_of(again).to_dict() == first.to_dict()


def test_the_embed_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(_respond, "EMBED_CACHE_SIZE", 3)
    monkeypatch.setattr(_respond, "_embeds", type(_respond._embeds)())
    replies = [Reply(title=f"r{i}") for i in range(10)]
    for reply in replies:
        _respond.embed_of(reply)
    assert len(_respond._embeds) == 3
    assert [kept for kept, _ in _respond._embeds.values()] == replies[-3:]
