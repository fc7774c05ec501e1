"""A fake Discord for tests: the real discord.py client talks to it over 127.0.0.1.

- :mod:`.server`: :class:`FakeDiscord` (REST + gateway, records every request,
  enforces Discord's interaction rules, injects faults) and :func:`redirect_discord`.
- :mod:`.payloads`: INTERACTION_CREATE and entity payloads as Discord sends them.
- :mod:`.fixtures`: ``fake_discord`` and ``start_bot`` fixtures, :func:`running_bot`.
- :mod:`.ping_bot`: a one-command bot, the floor for latency benchmarks.
"""

from .server import FakeDiscord, RecordedRequest, Routes, SentInteraction, redirect_discord

__all__ = ["FakeDiscord", "RecordedRequest", "Routes", "SentInteraction", "redirect_discord"]
