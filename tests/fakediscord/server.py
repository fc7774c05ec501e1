"""A fake Discord (REST + gateway) on 127.0.0.1 that the real discord.py client talks to.

Why: the bot's behaviour that matters most (answering within Discord's
3-second window, deferring, following up, not answering twice, surviving a
reconnect) lives in the conversation between discord.py and Discord. Mocking
discord.py's objects would test our assumptions about that conversation; this
fake lets the unmodified library hold it, over real sockets, and records every
request so tests can assert on exactly what reached "Discord".

Usage (the ``fake_discord`` and ``start_bot`` fixtures in :mod:`.fixtures` wrap the first two lines)::

    from tests.fakediscord import FakeDiscord, payloads, redirect_discord
    from tests.fakediscord.fixtures import running_bot
    from tests.fakediscord.ping_bot import PingBot

    async with FakeDiscord() as fake, redirect_discord(fake):
        async with running_bot(PingBot(), fake):
            sent = await fake.interact(payloads.slash_command(fake.command("ping")))
            callback = await sent.callback(timeout=5)
            assert callback.content == "pong"

Time inside the fake runs on :meth:`FakeDiscord.now` (monotonic seconds plus
whatever :meth:`FakeDiscord.advance_time` added), so a test can push an
interaction past its 3-second window or its 15-minute token without sleeping.
"""

from __future__ import annotations

import asyncio
import copy
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import quote

import discord.gateway
import discord.http
import yarl
from aiohttp import web

from . import payloads, rules
from .gateway import PRIVILEGED_INTENTS, Gateway, GatewayFrame, GatewaySession, Op

T = TypeVar("T")

HOST = "127.0.0.1"
API_PREFIX = "/api/v10"
GATEWAY_PATH = "/"
RESUME_GATEWAY_PATH = "/resume"

EPHEMERAL = 1 << 6
LOADING = 1 << 7
# Message flags an app may set or keep when creating or editing a message.
SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | rules.IS_COMPONENTS_V2

# What a typical small bot's application reports:
# GATEWAY_MESSAGE_CONTENT_LIMITED | APPLICATION_COMMAND_BADGE.
APPLICATION_FLAGS = (1 << 19) | (1 << 23)


class Routes(StrEnum):
    """Every route the fake serves, as ``"METHOD /path/{param}"`` (paths under ``/api/v10``).

    Use these to filter recorded requests and to inject faults.
    """

    GET_CURRENT_USER = "GET /users/@me"
    GET_APPLICATION = "GET /oauth2/applications/@me"  # what discord.py's application_info() calls
    GET_CURRENT_APPLICATION = "GET /applications/@me"
    GET_GATEWAY = "GET /gateway"
    GET_GATEWAY_BOT = "GET /gateway/bot"
    GET_GLOBAL_COMMANDS = "GET /applications/{application_id}/commands"
    PUT_GLOBAL_COMMANDS = "PUT /applications/{application_id}/commands"
    GET_GUILD_COMMANDS = "GET /applications/{application_id}/guilds/{guild_id}/commands"
    PUT_GUILD_COMMANDS = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
    INTERACTION_CALLBACK = "POST /interactions/{interaction_id}/{interaction_token}/callback"
    # The @original routes come before the {message_id} ones: the first match wins.
    GET_ORIGINAL = "GET /webhooks/{application_id}/{interaction_token}/messages/@original"
    EDIT_ORIGINAL = "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original"
    DELETE_ORIGINAL = "DELETE /webhooks/{application_id}/{interaction_token}/messages/@original"
    CREATE_FOLLOWUP = "POST /webhooks/{application_id}/{interaction_token}"
    GET_FOLLOWUP = "GET /webhooks/{application_id}/{interaction_token}/messages/{message_id}"
    EDIT_FOLLOWUP = "PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}"
    DELETE_FOLLOWUP = "DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}"
    CREATE_MESSAGE = "POST /channels/{channel_id}/messages"
    # Served outside the API prefix, the way Discord's CDN serves attachments.
    GET_ATTACHMENT = "GET /attachments/{channel_id}/{attachment_id}/{filename}"

    @property
    def method(self) -> str:
        return self.value.split(" ", 1)[0]

    @property
    def template(self) -> str:
        return self.value.split(" ", 1)[1]


_CDN_ROUTES = {Routes.GET_ATTACHMENT}
# Routes Discord serves without the bot token (webhook tokens, public endpoints, the CDN).
_UNAUTHENTICATED_ROUTES = {
    Routes.GET_GATEWAY,
    Routes.INTERACTION_CALLBACK,
    Routes.GET_ORIGINAL,
    Routes.EDIT_ORIGINAL,
    Routes.DELETE_ORIGINAL,
    Routes.CREATE_FOLLOWUP,
    Routes.GET_FOLLOWUP,
    Routes.EDIT_FOLLOWUP,
    Routes.DELETE_FOLLOWUP,
    Routes.GET_ATTACHMENT,
}
_ROUTE_PATTERNS = [
    (
        route,
        re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(route.template)) + "$"),
    )
    for route in Routes
]

# Which callback types Discord accepts for each interaction type.
_ALLOWED_CALLBACKS = {
    payloads.InteractionType.APPLICATION_COMMAND: {4, 5, 9},
    payloads.InteractionType.MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    payloads.InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE: {8},
    payloads.InteractionType.MODAL_SUBMIT: {4, 5, 6, 7},
}
_MESSAGE_UPDATING_CALLBACKS = {6, 7}  # deferred update / update: act on interaction.message


def _error(code: int, message: str) -> dict[str, Any]:
    return {"message": message, "code": code}


UNKNOWN_INTERACTION = _error(10062, "Unknown interaction")
ALREADY_ACKNOWLEDGED = _error(40060, "Interaction has already been acknowledged.")
UNKNOWN_WEBHOOK = _error(10015, "Unknown Webhook")
INVALID_WEBHOOK_TOKEN = _error(50027, "Invalid Webhook Token")
UNKNOWN_MESSAGE = _error(10008, "Unknown Message")
MISSING_ACCESS = _error(50001, "Missing Access")
UNAUTHORIZED = _error(0, "401: Unauthorized")
NOT_FOUND = _error(0, "404: Not Found")
INVALID_JSON = _error(50109, "The request body contains invalid JSON.")


@dataclass
class RecordedAttachment:
    """A file uploaded as multipart ``files[index]``."""

    index: int
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the fake received, with the answer it gave.

    ``path`` is relative to the API base (``/interactions/.../callback``);
    ``route`` is the matching :class:`Routes` member, or None for an unknown
    route. ``json`` is the JSON body, or a multipart body's ``payload_json``.
    Times are on the fake's clock (:meth:`FakeDiscord.now`).
    """

    method: str
    path: str
    route: Routes | None
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    attachments: list[RecordedAttachment]
    received_at: float
    interaction_id: str | None = None
    injected: bool = False
    status: int | None = None
    response: Any = None
    responded_at: float | None = None

    @property
    def error_code(self) -> int | None:
        """Discord's JSON error code (10062, 40060, ...) when the fake refused the request."""
        if self.status is not None and self.status >= 400 and isinstance(self.response, dict):
            return self.response.get("code")
        return None

    @property
    def callback_type(self) -> int | None:
        """For an interaction callback: its type (4 message, 5 defer, 8 autocomplete, ...)."""
        if self.route is not Routes.INTERACTION_CALLBACK or not isinstance(self.json, dict):
            return None
        return self.json.get("type")

    @property
    def content(self) -> str | None:
        """The message content sent: ``data.content`` of a callback, ``content`` otherwise."""
        if not isinstance(self.json, dict):
            return None
        if self.route is Routes.INTERACTION_CALLBACK:
            return (self.json.get("data") or {}).get("content")
        return self.json.get("content")

    def __str__(self) -> str:
        code = f" ({self.error_code})" if self.error_code else ""
        return f"{self.method} {self.path} -> {self.status}{code}"


class SentInteraction:
    """An interaction the fake dispatched, and everything the bot did with it.

    Returned by :meth:`FakeDiscord.interact`. The ``await``-able accessors wait
    (on events, not polling) for the bot's requests and return the
    :class:`RecordedRequest`, whatever status the fake answered, so a test can
    assert on refused requests too.
    """

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any]) -> None:
        self._fake = fake
        self.payload = payload
        self.id: str = payload["id"]
        self.token: str = payload["token"]
        self.type = payloads.InteractionType(payload["type"])
        self.dispatched_at: float | None = None
        # Set by the fake as the bot acknowledges and answers:
        self.response_type: int | None = None
        self.acknowledged_at: float | None = None
        self.original_message_id: str | None = None
        self.followup_ids: list[str] = []
        self.autocomplete_choices: list[dict[str, Any]] | None = None
        self.modal: dict[str, Any] | None = None
        self._answered: list[RecordedRequest] = []

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every answered request that named this interaction (callbacks, edits, followups)."""
        return list(self._answered)

    def _nth(self, route: Routes, index: int) -> RecordedRequest | None:
        on_route = [r for r in self._answered if r.route is route]
        return on_route[index] if len(on_route) > index else None

    async def wait_for(
        self, route: Routes, index: int = 0, *, timeout: float = 5.0
    ) -> RecordedRequest:
        """The ``index``-th answered request on ``route`` for this interaction."""
        return await self._fake.wait_until(
            lambda: self._nth(route, index),
            timeout=timeout,
            what=f"request #{index} to {route.value} for interaction {self.id}",
        )

    async def callback(self, index: int = 0, *, timeout: float = 5.0) -> RecordedRequest:
        """The bot's (``index``-th) POST to ``/interactions/{id}/{token}/callback``."""
        return await self.wait_for(Routes.INTERACTION_CALLBACK, index, timeout=timeout)

    async def followup(self, index: int = 0, *, timeout: float = 5.0) -> RecordedRequest:
        """The bot's ``index``-th followup POST to ``/webhooks/{app}/{token}``."""
        return await self.wait_for(Routes.CREATE_FOLLOWUP, index, timeout=timeout)

    async def original_edit(self, index: int = 0, *, timeout: float = 5.0) -> RecordedRequest:
        """The bot's ``index``-th PATCH of ``.../messages/@original``."""
        return await self.wait_for(Routes.EDIT_ORIGINAL, index, timeout=timeout)

    @property
    def latency(self) -> float | None:
        """Seconds from writing INTERACTION_CREATE to receiving the first callback request."""
        first = self._nth(Routes.INTERACTION_CALLBACK, 0)
        if first is None or self.dispatched_at is None:
            return None
        return first.received_at - self.dispatched_at

    @property
    def original_message(self) -> dict[str, Any] | None:
        """The response message as Discord holds it now (after edits), or None."""
        if self.original_message_id is None:
            return None
        return self._fake.messages.get(self.original_message_id)

    @property
    def followup_messages(self) -> list[dict[str, Any]]:
        """Followup messages as Discord holds them now (deleted ones left out)."""
        return [self._fake.messages[i] for i in self.followup_ids if i in self._fake.messages]


@dataclass
class CommandSync:
    """One bulk overwrite of application commands (what ``tree.sync()`` sends)."""

    guild_id: str | None
    payload: Any
    commands: list[dict[str, Any]] | None  # the answer, None if the fake refused the sync
    at: float


@dataclass
class _Fault:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class _Reply(Exception):
    """Raised inside a handler to answer at once (an error, usually)."""

    def __init__(self, status: int, body: Any = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


class FakeDiscord:
    """Discord's REST API and gateway on ``127.0.0.1`` (ephemeral port), for discord.py.

    Configure it with the bot ``token`` the bot will log in with, the
    ``guilds`` (GUILD_CREATE payloads from :func:`payloads.guild`) the bot is
    in, and the rules' knobs: ``interaction_window`` (3 s on Discord) and
    ``token_lifetime`` (15 minutes). ``privileged_intents`` lists the
    privileged intents switched on "in the developer portal" (all by default).
    """

    def __init__(
        self,
        *,
        token: str = "fake-discord-bot-token",
        application_id: str = payloads.DEFAULT_APPLICATION_ID,
        bot_user: Mapping[str, Any] | None = None,
        guilds: Sequence[Mapping[str, Any]] = (),
        interaction_window: float = 3.0,
        token_lifetime: float = 15 * 60.0,
        heartbeat_interval_ms: int = 41250,
        privileged_intents: int = PRIVILEGED_INTENTS,
        shard_count: int = 1,
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_user = dict(bot_user or payloads.bot_user(application_id))
        self.guilds = [dict(g) for g in guilds]
        self.interaction_window = interaction_window
        self.token_lifetime = token_lifetime
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.privileged_intents = privileged_intents
        self.shard_count = shard_count
        # Fail the fixture's teardown if the bot called a route the fake does not know.
        self.strict_routes = True
        # Exceptions raised by the fake's own handlers (bugs in the fake, not in the bot).
        self.internal_errors: list[Exception] = []
        # How the fake answers successful requests, for bots that must cope with either:
        # callbacks always 204 even when ``?with_response`` asks for the JSON body, and
        # followups always with the message even without ``?wait=true``.
        self.callbacks_return_no_content = False
        self.followups_return_message = False

        self.requests: list[RecordedRequest] = []
        self.interactions: list[SentInteraction] = []
        self.syncs: list[CommandSync] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.gateway = Gateway(self)

        self._clock_offset = 0.0
        self._changed = asyncio.Event()
        self._by_id: dict[str, SentInteraction] = {}
        self._by_token: dict[str, SentInteraction] = {}
        self._commands: dict[str | None, list[dict[str, Any]]] = {}
        self._uploads: dict[str, tuple[str, bytes, str | None]] = {}
        self._faults: dict[Routes, deque[_Fault]] = defaultdict(deque)
        self._delays: dict[Routes, float] = {}
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    # --- lifecycle ------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        assert host == HOST, host
        self._base_url = f"http://{HOST}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.gateway.disconnect(1001)
        assert self._runner is not None
        await self._runner.cleanup()
        self._runner = None

    @property
    def http_base(self) -> str:
        """``http://127.0.0.1:PORT``, the server's root (attachments are served under it)."""
        if self._base_url is None:
            raise RuntimeError(
                "FakeDiscord is not running: use `async with FakeDiscord() as fake:`"
            )
        return self._base_url

    @property
    def rest_base(self) -> str:
        """What ``discord.http.Route.BASE`` must be: ``http://127.0.0.1:PORT/api/v10``."""
        return self.http_base + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` must be: ``ws://127.0.0.1:PORT/``."""
        return "ws" + self.http_base.removeprefix("http") + GATEWAY_PATH

    @property
    def resume_gateway_url(self) -> str:
        """The ``resume_gateway_url`` READY hands out (a different path, so resumes are visible)."""
        return "ws" + self.http_base.removeprefix("http") + RESUME_GATEWAY_PATH

    # --- clock and waiting ----------------------------------------------------

    def now(self) -> float:
        """The fake's clock: ``time.monotonic()`` plus everything :meth:`advance_time` added."""
        return time.monotonic() + self._clock_offset

    def advance_time(self, seconds: float) -> None:
        """Move the fake's clock forward, e.g. past an interaction's 3-second window."""
        self._clock_offset += seconds

    def notify(self) -> None:
        """Wake every :meth:`wait_until` to re-check its condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], T | None], *, timeout: float = 5.0, what: str = "a condition"
    ) -> T:
        """Wait until ``predicate()`` returns something truthy and return it.

        Re-checked whenever the fake records a request or a gateway frame; raises
        ``TimeoutError`` (listing the requests seen) after ``timeout`` seconds.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    result = predicate()
                    if result:
                        return result
                    await changed.wait()
        except TimeoutError:
            seen = "\n  ".join(str(r) for r in self.requests[-15:]) or "(none)"
            raise TimeoutError(
                f"timed out after {timeout}s waiting for {what}; last requests:\n  {seen}"
            ) from None

    # --- what the bot registered --------------------------------------------

    def commands(self, guild_id: str | int | None = None) -> list[dict[str, Any]]:
        """The commands currently registered, globally or in ``guild_id``."""
        return self._commands.get(None if guild_id is None else str(guild_id), [])

    def command(
        self, name: str, *, guild_id: str | int | None = None, type: int = 1
    ) -> dict[str, Any]:
        """One registered command, as Discord returned it from the sync (with ``id``)."""
        for command in self.commands(guild_id):
            if command["name"] == name and command["type"] == type:
                return command
        known = [c["name"] for c in self.commands(guild_id)]
        scope = "globally" if guild_id is None else f"in guild {guild_id}"
        raise LookupError(
            f"no command {name!r} (type {type}) is registered {scope}; registered: {known}"
        )

    async def wait_for_sync(
        self, *, guild_id: str | int | None = None, count: int = 1, timeout: float = 5.0
    ) -> CommandSync:
        """The ``count``-th accepted command sync of that scope (global by default)."""
        scope = None if guild_id is None else str(guild_id)

        def nth() -> CommandSync | None:
            done = [s for s in self.syncs if s.guild_id == scope and s.commands is not None]
            return done[count - 1] if len(done) >= count else None

        return await self.wait_until(
            nth, timeout=timeout, what=f"command sync #{count} ({scope or 'global'})"
        )

    # --- requests ------------------------------------------------------------

    def requests_to(self, route: Routes) -> list[RecordedRequest]:
        return [r for r in self.requests if r.route is route]

    @property
    def unknown_requests(self) -> list[RecordedRequest]:
        """Requests to routes the fake does not serve (answered 404)."""
        return [r for r in self.requests if r.route is None]

    @property
    def refused_requests(self) -> list[RecordedRequest]:
        """Requests answered with a 4xx/5xx status."""
        return [r for r in self.requests if r.status is not None and r.status >= 400]

    @property
    def latencies(self) -> list[float]:
        """Dispatch-to-callback latency of every interaction the bot answered, in order."""
        return [s.latency for s in self.interactions if s.latency is not None]

    # --- faults ----------------------------------------------------------------

    def fail_next(
        self,
        route: Routes,
        status: int,
        body: Any = None,
        *,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` requests on ``route`` with ``status`` and ``body``.

        The default body is Discord's generic ``{"message": "<status>: <reason>", "code": 0}``.
        The faulted request is recorded (``injected=True``) and changes no state.
        """
        route = Routes(route)
        if body is None:
            body = _error(0, f"{status}: {HTTPStatus(status).phrase}")
        for _ in range(times):
            self._faults[route].append(_Fault(status, body, dict(headers or {})))

    def rate_limit_next(
        self, route: Routes, retry_after: float = 0.05, *, times: int = 1, is_global: bool = False
    ) -> None:
        """Answer the next ``times`` requests on ``route`` with a 429 discord.py will honour and retry."""
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        self.fail_next(route, 429, body, times=times, headers=headers)

    def set_delay(self, route: Routes, seconds: float | None) -> None:
        """Hold every answer on ``route`` for ``seconds`` (None removes the delay)."""
        route = Routes(route)
        if seconds is None:
            self._delays.pop(route, None)
        else:
            self._delays[route] = seconds

    # --- gateway -------------------------------------------------------------

    @property
    def sessions(self) -> list[GatewaySession]:
        return list(self.gateway.sessions.values())

    @property
    def gateway_frames(self) -> list[GatewayFrame]:
        return self.gateway.frames

    async def wait_for_ready(self, *, count: int = 1, timeout: float = 5.0) -> GatewaySession:
        """The ``count``-th session that was sent READY."""

        def nth() -> GatewaySession | None:
            ready = [s for s in self.sessions if s.history]  # READY is every session's first event
            return ready[count - 1] if len(ready) >= count else None

        return await self.wait_until(nth, timeout=timeout, what=f"READY #{count}")

    async def wait_for_resume(self, *, count: int = 1, timeout: float = 5.0) -> GatewaySession:
        """The session once it has resumed ``count`` times in all."""
        return await self.wait_until(
            lambda: next((s for s in self.sessions if s.resumes >= count), None),
            timeout=timeout,
            what=f"RESUME #{count}",
        )

    async def disconnect(self, code: int = 4000) -> int:
        """Drop every open gateway socket with ``code`` (4000: discord.py resumes)."""
        return await self.gateway.disconnect(code)

    async def request_reconnect(self) -> int:
        """Send op 7 RECONNECT on every open socket (the client closes it and resumes)."""
        return await self.gateway.send_op(Op.RECONNECT, None)

    async def invalidate_sessions(self, *, resumable: bool) -> int:
        """Send op 9 INVALID_SESSION; unless ``resumable``, the sessions end (re-IDENTIFY)."""
        if not resumable:
            for session in self.gateway.sessions.values():
                session.ended = True
        return await self.gateway.send_op(Op.INVALID_SESSION, resumable)

    async def join_guild(self, guild: Mapping[str, Any]) -> int:
        """The bot is added to ``guild``: it is configured and GUILD_CREATE is dispatched."""
        self.guilds.append(dict(guild))
        return await self.gateway.dispatch(
            "GUILD_CREATE", self.guild_create(guild), guild_id=guild["id"]
        )

    async def dispatch_event(self, event: str, data: Any, *, guild_id: str | None = None) -> int:
        """Dispatch any gateway event as it is given (to test how a bot reads odd payloads)."""
        return await self.gateway.dispatch(event, data, guild_id=guild_id)

    def ready_payload(
        self, session: GatewaySession, guilds: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """READY for ``session``: user, application, session id, resume URL, unavailable guilds."""
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": self.application_id, "flags": APPLICATION_FLAGS},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        if session.shard is not None:
            ready["shard"] = list(session.shard)
        return ready

    def guild_create(self, guild: Mapping[str, Any]) -> dict[str, Any]:
        """GUILD_CREATE for a configured guild; like Discord's, its members include the bot."""
        event = copy.deepcopy(dict(guild))
        if all(m["user"]["id"] != self.bot_user["id"] for m in event["members"]):
            me = payloads.member(self.bot_user)
            del me["permissions"]  # only interactions carry computed permissions
            event["members"].append(me)
            event["member_count"] = max(event["member_count"], len(event["members"]))
        return event

    # --- interactions --------------------------------------------------------

    async def interact(self, payload: dict[str, Any]) -> SentInteraction:
        """Dispatch INTERACTION_CREATE for ``payload`` (see :mod:`payloads`) to the bot.

        Returns once the frame is written. A component interaction's ``message``
        becomes known to the fake, so an update-message callback can edit it.
        """
        if payload["id"] in self._by_id:
            raise ValueError(
                f"interaction {payload['id']} was already dispatched: build a new payload"
            )
        if payload["type"] not in _ALLOWED_CALLBACKS:
            raise ValueError(
                f"interactions of type {payload['type']} never arrive over the gateway"
            )
        if not self.gateway.live_sessions(payload.get("guild_id")):
            raise RuntimeError(
                "no bot session would receive INTERACTION_CREATE: start a bot against the fake first"
            )
        sent = SentInteraction(self, payload)
        self.interactions.append(sent)
        self._by_id[sent.id] = sent
        self._by_token[sent.token] = sent
        if "message" in payload:
            self.messages.setdefault(payload["message"]["id"], copy.deepcopy(payload["message"]))

        def stamp() -> None:
            sent.dispatched_at = self.now()

        await self.gateway.dispatch(
            "INTERACTION_CREATE", payload, guild_id=payload.get("guild_id"), on_send=stamp
        )
        self.notify()
        return sent

    def add_attachment(
        self,
        filename: str,
        data: bytes,
        *,
        content_type: str | None = None,
        channel_id: str = payloads.DEFAULT_CHANNEL_ID,
    ) -> dict[str, Any]:
        """Host ``data`` as a user's upload; returns the attachment for an ATTACHMENT option.

        The bot can download it (``await attachment.read()``) from the fake.
        """
        attachment_id = payloads.new_id()
        self._uploads[attachment_id] = (filename, data, content_type)
        return payloads.attachment(
            filename,
            size=len(data),
            url=self._attachment_url(channel_id, attachment_id, filename),
            content_type=content_type,
            id=attachment_id,
        )

    def _attachment_url(self, channel_id: str, attachment_id: str, filename: str) -> str:
        return f"{self.http_base}/attachments/{channel_id}/{attachment_id}/{quote(filename)}"

    # --- HTTP plumbing ---------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if (
            request.path in (GATEWAY_PATH, RESUME_GATEWAY_PATH)
            and request.headers.get("Upgrade", "").lower() == "websocket"
        ):
            return await self.gateway.handle(request)
        received_at = self.now()
        path = request.path
        api = path.startswith(API_PREFIX + "/")
        relative = path[len(API_PREFIX) :] if api else path
        route, params = self._match(request.method, relative, api=api)
        try:
            body, attachments = await self._read_body(request)
        except ValueError:
            body, attachments, bad_json = None, [], True
        else:
            bad_json = False
        record = RecordedRequest(
            method=request.method,
            path=relative,
            route=route,
            params=params,
            query=dict(request.query),
            headers=dict(request.headers),
            json=body,
            attachments=attachments,
            received_at=received_at,
        )
        self.requests.append(record)
        sent = self._interaction_named(record)
        if sent is not None:
            record.interaction_id = sent.id
        self.notify()
        if route in self._delays:
            # The configured slowness itself, not a stand-in for waiting on an event.
            await asyncio.sleep(self._delays[route])
        try:
            status, response_body, headers = self._answer(record, request, bad_json)
        except Exception as error:  # a bug in the fake: fail the request fast, and the test
            self.internal_errors.append(error)
            status, response_body, headers = (
                400,
                _error(0, f"fake-discord internal error: {error!r}"),
                {},
            )
        record.status, record.response, record.responded_at = status, response_body, self.now()
        if sent is not None:
            sent._answered.append(record)
        self.notify()
        if route is Routes.GET_ATTACHMENT and status == 200:
            return web.Response(status=200, body=response_body, headers=headers)
        return _json_response(status, response_body, headers)

    def _match(self, method: str, path: str, *, api: bool) -> tuple[Routes | None, dict[str, str]]:
        for route, pattern in _ROUTE_PATTERNS:
            if route.method != method or (route in _CDN_ROUTES) == api:
                continue
            found = pattern.match(path)
            if found:
                return route, found.groupdict()
        return None, {}

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[RecordedAttachment]]:
        """Parse a JSON body, or a multipart one (``payload_json`` + ``files[n]``)."""
        if request.content_type == "multipart/form-data":
            body: Any = None
            attachments: list[RecordedAttachment] = []
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                name = part.name or ""  # type: ignore[union-attr]
                if name == "payload_json":
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                elif (found := re.fullmatch(r"files\[(\d+)\]", name)) is not None:
                    attachments.append(
                        RecordedAttachment(
                            index=int(found.group(1)),
                            filename=part.filename or "",  # type: ignore[union-attr]
                            content_type=part.headers.get("Content-Type"),
                            data=bytes(await part.read()),  # type: ignore[union-attr]
                        )
                    )
            return body, attachments
        raw = await request.read()
        if not raw:
            return None, []
        return json.loads(raw), []

    def _answer(
        self, record: RecordedRequest, request: web.Request, bad_json: bool
    ) -> tuple[int, Any, dict[str, str]]:
        route = record.route
        if route is not None and self._faults[route]:
            fault = self._faults[route].popleft()
            record.injected = True
            return fault.status, fault.body, fault.headers
        if route is None:
            return 404, NOT_FOUND, {}
        if (
            route not in _UNAUTHENTICATED_ROUTES
            and request.headers.get("Authorization") != f"Bot {self.token}"
        ):
            return 401, UNAUTHORIZED, {}
        if bad_json:
            return 400, INVALID_JSON, {}
        handler = getattr(self, "_on_" + route.name.lower())
        try:
            status, body = handler(record)
        except _Reply as reply:
            status, body = reply.status, reply.body
        return status, body, {}

    def _interaction_named(self, record: RecordedRequest) -> SentInteraction | None:
        """The interaction a request's path names, by id (callbacks) or token (webhooks)."""
        if "interaction_id" in record.params:
            return self._by_id.get(record.params["interaction_id"])
        return self._by_token.get(record.params.get("interaction_token", ""))

    # --- REST handlers: identity and gateway ------------------------------------

    def _on_get_current_user(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, self.bot_user

    def _on_get_application(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": payloads.user(),
            "team": None,
            "flags": APPLICATION_FLAGS,
            "bot": self.bot_user,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": len(self.guilds),
        }

    _on_get_current_application = _on_get_application

    def _on_get_gateway(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    def _on_get_gateway_bot(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    # --- REST handlers: application commands ----------------------------------------

    def _command_scope(self, record: RecordedRequest) -> str | None:
        if record.params["application_id"] != self.application_id:
            raise _Reply(403, MISSING_ACCESS)
        guild_id = record.params.get("guild_id")
        if guild_id is not None and guild_id not in {g["id"] for g in self.guilds}:
            raise _Reply(403, MISSING_ACCESS)  # the bot is not in that guild
        return guild_id

    def _on_get_global_commands(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, self.commands(self._command_scope(record))

    _on_get_guild_commands = _on_get_global_commands

    def _on_put_global_commands(self, record: RecordedRequest) -> tuple[int, Any]:
        scope = self._command_scope(record)
        sync = CommandSync(scope, copy.deepcopy(record.json), None, record.received_at)
        self.syncs.append(sync)
        errors = rules.FormErrors()
        rules.check_commands(record.json, errors)
        if errors:
            return 400, errors.body()
        previous = {(c["name"], c["type"]): c for c in self.commands(scope)}
        registered = []
        for sent in record.json:
            kind = sent.get("type", 1)
            old = previous.get((sent["name"], kind))
            command = {
                "id": old["id"] if old else payloads.new_id(),
                "application_id": self.application_id,
                "version": payloads.new_id(),
                "default_member_permissions": sent.get("default_member_permissions"),
                "type": kind,
                "name": sent["name"],
                "name_localizations": sent.get("name_localizations"),
                "description": sent.get("description", ""),
                "description_localizations": sent.get("description_localizations"),
                "contexts": sent.get("contexts"),
                "integration_types": sent.get("integration_types") or [0],
                "nsfw": sent.get("nsfw", False),
            }
            if sent.get("options"):
                command["options"] = copy.deepcopy(sent["options"])
            if scope is None:
                command["dm_permission"] = sent.get("dm_permission", True)
            else:
                command["guild_id"] = scope
            registered.append(command)
        self._commands[scope] = registered
        sync.commands = registered
        return 200, registered

    _on_put_guild_commands = _on_put_global_commands

    # --- REST handlers: interactions -------------------------------------------------

    def _on_interaction_callback(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._by_id.get(record.params["interaction_id"])
        if sent is None or sent.token != record.params["interaction_token"]:
            return 404, UNKNOWN_INTERACTION
        if sent.response_type is not None:
            return 400, ALREADY_ACKNOWLEDGED
        assert sent.dispatched_at is not None
        if record.received_at - sent.dispatched_at > self.interaction_window:
            return 404, UNKNOWN_INTERACTION
        body = record.json if isinstance(record.json, dict) else {}
        kind = body.get("type")
        data = body.get("data") or {}
        allowed = _ALLOWED_CALLBACKS[sent.type]
        if kind in _MESSAGE_UPDATING_CALLBACKS and "message" not in sent.payload:
            allowed = allowed - _MESSAGE_UPDATING_CALLBACKS
        if kind not in allowed:
            errors = rules.FormErrors()
            errors.add(
                ["type"],
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Interaction response type {kind} is not valid here",
            )
            return 400, errors.body()
        errors = rules.FormErrors()
        if kind == 4 or kind == 7:
            rules.check_message(data, errors, ["data"])
        elif kind == 8:
            rules.check_autocomplete(data, errors, ["data"])
        elif kind == 9:
            rules.check_modal(data, errors, ["data"])
        if errors:
            return 400, errors.body()

        message: dict[str, Any] | None = None
        if kind == 4:
            message = self._new_message(sent, data, record.attachments)
            if rules.is_empty_message(message):
                return 400, rules.EMPTY_MESSAGE
        elif kind == 5:
            flags = ((data.get("flags") or 0) & EPHEMERAL) | LOADING
            message = self._new_message(sent, {"flags": flags}, [], loading=True)
        elif kind in _MESSAGE_UPDATING_CALLBACKS:
            message = self.messages[sent.payload["message"]["id"]]
            if kind == 7:
                updated = self._edited(message, data, record.attachments)
                if rules.is_empty_message(updated):
                    return 400, rules.EMPTY_MESSAGE
                message.clear()
                message.update(updated)
        elif kind == 8:
            sent.autocomplete_choices = data["choices"]
        elif kind == 9:
            sent.modal = data

        if message is not None:
            self.messages[message["id"]] = message
            sent.original_message_id = message["id"]
        sent.response_type = kind
        sent.acknowledged_at = record.received_at
        if self.callbacks_return_no_content or record.query.get(
            "with_response", ""
        ).lower() not in ("1", "true"):
            return 204, None
        answer: dict[str, Any] = {"interaction": {"id": sent.id, "type": int(sent.type)}}
        if message is not None:
            answer["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(message["flags"] & EPHEMERAL),
            )
        answer["resource"] = {"type": kind}
        if message is not None and kind in (4, 7):
            answer["resource"]["message"] = message
        return 200, answer

    def _webhook_interaction(self, record: RecordedRequest) -> SentInteraction:
        """The acknowledged interaction a webhook route's token belongs to, or the error Discord gives."""
        sent = self._by_token.get(record.params["interaction_token"])
        if sent is None or record.params["application_id"] != self.application_id:
            raise _Reply(404, UNKNOWN_WEBHOOK)
        if sent.response_type is None:
            raise _Reply(404, UNKNOWN_WEBHOOK)  # never acknowledged: Discord has no webhook for it
        assert sent.dispatched_at is not None
        if record.received_at - sent.dispatched_at > self.token_lifetime:
            raise _Reply(401, INVALID_WEBHOOK_TOKEN)
        return sent

    def _webhook_message(self, sent: SentInteraction, message_id: str | None) -> dict[str, Any]:
        allowed = {*sent.followup_ids, sent.original_message_id}
        if message_id is None or message_id not in allowed or message_id not in self.messages:
            raise _Reply(404, UNKNOWN_MESSAGE)
        return self.messages[message_id]

    def _on_get_original(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        return 200, self._webhook_message(sent, sent.original_message_id)

    def _on_edit_original(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        return self._edit(self._webhook_message(sent, sent.original_message_id), record)

    def _on_delete_original(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        del self.messages[self._webhook_message(sent, sent.original_message_id)["id"]]
        return 204, None

    def _on_get_followup(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        return 200, self._webhook_message(sent, record.params["message_id"])

    def _on_edit_followup(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        return self._edit(self._webhook_message(sent, record.params["message_id"]), record)

    def _on_delete_followup(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        del self.messages[self._webhook_message(sent, record.params["message_id"])["id"]]
        return 204, None

    def _on_create_followup(self, record: RecordedRequest) -> tuple[int, Any]:
        sent = self._webhook_interaction(record)
        data = record.json if isinstance(record.json, dict) else {}
        errors = rules.FormErrors()
        rules.check_message(data, errors)
        if errors:
            return 400, errors.body()
        original = self.messages.get(sent.original_message_id or "")
        if sent.response_type == 5 and original is not None and original["flags"] & LOADING:
            # The first followup after a "thinking" defer replaces the loading message,
            # keeping the defer's ephemerality (editing it clears LOADING, not "edited").
            message = self._edited(
                original, {k: v for k, v in data.items() if k != "flags"}, record.attachments
            )
        else:
            message = self._new_message(sent, data, record.attachments, followup=True)
        if rules.is_empty_message(message):
            return 400, rules.EMPTY_MESSAGE
        self.messages[message["id"]] = message
        sent.followup_ids.append(message["id"])
        if not self.followups_return_message and record.query.get("wait", "").lower() not in (
            "1",
            "true",
        ):
            return 204, None
        return 200, message

    def _edit(self, message: dict[str, Any], record: RecordedRequest) -> tuple[int, Any]:
        data = record.json if isinstance(record.json, dict) else {}
        errors = rules.FormErrors()
        rules.check_message(data, errors)
        if errors:
            return 400, errors.body()
        updated = self._edited(message, data, record.attachments)
        if rules.is_empty_message(updated):
            return 400, rules.EMPTY_MESSAGE
        message.clear()
        message.update(updated)
        return 200, message

    # --- REST handlers: channels and the CDN ---------------------------------------

    def _on_create_message(self, record: RecordedRequest) -> tuple[int, Any]:
        data = record.json if isinstance(record.json, dict) else {}
        errors = rules.FormErrors()
        rules.check_message(data, errors)
        if errors:
            return 400, errors.body()
        message = self._message(
            record.params["channel_id"], data, record.attachments, message_type=0
        )
        if rules.is_empty_message(message):
            return 400, rules.EMPTY_MESSAGE
        self.messages[message["id"]] = message
        return 200, message

    def _on_get_attachment(self, record: RecordedRequest) -> tuple[int, Any]:
        upload = self._uploads.get(record.params["attachment_id"])
        if upload is None:
            return 404, NOT_FOUND
        return 200, upload[1]

    # --- messages ----------------------------------------------------------------

    def _message(
        self,
        channel_id: str,
        data: Mapping[str, Any],
        uploads: Sequence[RecordedAttachment],
        *,
        message_type: int,
    ) -> dict[str, Any]:
        """A message the bot authored, shaped like Discord's message object."""
        author = {
            k: self.bot_user[k]
            for k in ("id", "username", "global_name", "discriminator", "avatar", "public_flags")
        }
        author["bot"] = True
        message = {
            "id": payloads.new_id(),
            "type": message_type,
            "channel_id": channel_id,
            "author": author,
            "content": "",
            "embeds": [],
            "components": [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(data.get("tts")),
            "timestamp": payloads.timestamp(),
            "edited_timestamp": None,
            "flags": 0,
        }
        return self._edited(message, data, uploads, editing=False)

    def _new_message(
        self,
        sent: SentInteraction,
        data: Mapping[str, Any],
        uploads: Sequence[RecordedAttachment],
        *,
        loading: bool = False,
        followup: bool = False,
    ) -> dict[str, Any]:
        """A message answering ``sent`` (its response or a followup), as its webhook posts it."""
        command = sent.type == payloads.InteractionType.APPLICATION_COMMAND and not followup
        channel_id = (sent.payload.get("channel") or {}).get("id") or sent.payload.get("channel_id")
        message = self._message(
            str(channel_id or payloads.DEFAULT_CHANNEL_ID),
            data,
            uploads,
            message_type=20 if command else 0,
        )
        if loading:
            message["flags"] = data["flags"]
        payload = sent.payload
        metadata: dict[str, Any] = {
            "id": sent.id,
            "type": int(sent.type),
            # A test may send a payload Discord would not (no member, no user): stay lenient.
            "user": (payload.get("member") or {}).get("user") or payload.get("user") or {},
            "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
        }
        if "message" in payload:
            metadata["interacted_message_id"] = payload["message"]["id"]
        if followup and sent.original_message_id is not None:
            metadata["original_response_message_id"] = sent.original_message_id
        message.update(
            webhook_id=self.application_id,
            application_id=self.application_id,
            interaction_metadata=metadata,
        )
        return message

    def _edited(
        self,
        message: Mapping[str, Any],
        data: Mapping[str, Any],
        uploads: Sequence[RecordedAttachment],
        *,
        editing: bool = True,
    ) -> dict[str, Any]:
        """``message`` with ``data`` applied, as Discord applies a create or an edit body."""
        updated = copy.deepcopy(dict(message))
        for key in ("content", "embeds", "components", "poll"):
            if key in data:
                updated[key] = (
                    data[key] if data[key] is not None else ("" if key == "content" else [])
                )
        if data.get("flags") is not None:
            requested = data["flags"] & SETTABLE_FLAGS
            if editing:  # an edit cannot change whether a message is ephemeral
                requested = (requested & ~EPHEMERAL) | (updated["flags"] & EPHEMERAL)
            updated["flags"] = (updated["flags"] & ~SETTABLE_FLAGS) | requested
        if "attachments" in data or uploads:
            updated["attachments"] = self._attachments(updated, data.get("attachments"), uploads)
        if editing:
            was_loading = bool(updated["flags"] & LOADING)
            updated["flags"] &= ~LOADING
            if not was_loading:
                updated["edited_timestamp"] = payloads.timestamp()
        return updated

    def _attachments(
        self,
        message: Mapping[str, Any],
        entries: Sequence[Mapping[str, Any]] | None,
        uploads: Sequence[RecordedAttachment],
    ) -> list[dict[str, Any]]:
        """Resolve an ``attachments`` list: ``{"id": n}`` is the new ``files[n]``, a snowflake keeps an old one."""
        by_index = {u.index: u for u in uploads}
        existing = {a["id"]: a for a in message.get("attachments", [])}
        if entries is None:
            entries = [{"id": u.index} for u in uploads]
        result = []
        for entry in entries:
            key = str(entry.get("id"))
            if key in existing:
                result.append(existing[key])
            elif key.isdigit() and int(key) in by_index:
                upload = by_index[int(key)]
                attachment_id = payloads.new_id()
                self._uploads[attachment_id] = (upload.filename, upload.data, upload.content_type)
                result.append(
                    {
                        "id": attachment_id,
                        "filename": entry.get("filename") or upload.filename,
                        "size": len(upload.data),
                        "url": self._attachment_url(
                            message["channel_id"], attachment_id, upload.filename
                        ),
                        "proxy_url": self._attachment_url(
                            message["channel_id"], attachment_id, upload.filename
                        ),
                        "content_type": upload.content_type,
                        **(
                            {"description": entry["description"]}
                            if entry.get("description")
                            else {}
                        ),
                    }
                )
        return result


def _json_response(status: int, body: Any, headers: Mapping[str, str]) -> web.Response:
    """Discord's answer: Content-Type exactly ``application/json`` (discord.py decodes nothing else)."""
    base = {"Via": "1.1 google"}  # discord.py treats a 429 without Via as a Cloudflare ban
    if status == 204 or body is None:
        return web.Response(status=status, headers={**base, **headers})
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={**base, "Content-Type": "application/json", **headers},
    )


@contextmanager
def redirect_discord(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py's REST base and default gateway at ``fake``; restore both after."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.rest_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
