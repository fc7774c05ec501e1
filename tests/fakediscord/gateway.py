"""The fake's gateway: HELLO, heartbeats, IDENTIFY -> READY, RESUME -> RESUMED, dispatches.

Frames go out as plain JSON text. discord.py asks for ``compress=zlib-stream``
(or ``zstd-stream``) in the query string, but it only runs its decompressor on
*binary* frames (``DiscordWebSocket.received_message``), so text frames are
read as they are and compression is not needed here.

Every IDENTIFY opens a session. Like Discord, each live session receives every
dispatch meant for its shard: two bot processes running on one token both get
the same INTERACTION_CREATE, which is how a second responder hits 40060. A
session whose socket the fake drops keeps its events and replays the missed
ones on RESUME; a session the bot closes itself (close code 1000/1001) ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Literal

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import FakeDiscord


class Op(IntEnum):
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    VOICE_STATE_UPDATE = 4
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


class CloseCode(IntEnum):
    DECODE_ERROR = 4002
    AUTHENTICATION_FAILED = 4004
    ALREADY_AUTHENTICATED = 4005
    INVALID_SHARD = 4010
    INVALID_INTENTS = 4013
    DISALLOWED_INTENTS = 4014


# GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT: must be switched on in the developer portal.
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)


@dataclass
class GatewayFrame:
    """One gateway frame, as the fake received (``"in"``) or sent (``"out"``) it."""

    direction: Literal["in", "out"]
    payload: dict[str, Any]
    at: float
    connection: int

    @property
    def op(self) -> int:
        return self.payload.get("op", -1)

    @property
    def event(self) -> str | None:
        return self.payload.get("t")


class GatewayConnection:
    """One websocket, from HELLO to close. ``number`` counts connections from 0."""

    def __init__(
        self,
        gateway: Gateway,
        ws: web.WebSocketResponse,
        path: str,
        query: dict[str, str],
        number: int,
    ) -> None:
        self._gateway = gateway
        self.ws = ws
        self.path = path
        self.query = query
        self.number = number
        self.session: GatewaySession | None = None
        self.closed = False
        self.closed_by_fake = False
        self._send_lock = asyncio.Lock()

    async def send(self, payload: dict[str, Any]) -> None:
        self._gateway.log("out", payload, self)
        async with self._send_lock:
            await self.ws.send_str(json.dumps(payload))

    async def close(self, code: int, message: str = "") -> None:
        # Closed from now on: dispatches go to the session's replay history, not this socket.
        self.closed = self.closed_by_fake = True
        await self.ws.close(code=code, message=message.encode())


class GatewaySession:
    """What IDENTIFY started: a session id, a sequence, and the events sent so far."""

    def __init__(self, session_id: str, identify: dict[str, Any]) -> None:
        self.session_id = session_id
        self.identify = identify
        shard = identify.get("shard")
        self.shard: tuple[int, int] | None = (shard[0], shard[1]) if shard else None
        self.seq = 0
        self.history: list[tuple[int, dict[str, Any]]] = []
        self.connection: GatewayConnection | None = None
        self.resumes = 0
        self.ended = False
        self._lock = asyncio.Lock()

    @property
    def intents(self) -> int:
        return self.identify.get("intents", 0)

    @property
    def connected(self) -> bool:
        return self.connection is not None and not self.connection.closed

    def receives(self, guild_id: str | None) -> bool:
        """Whether this session's shard gets events for ``guild_id`` (DMs go to shard 0)."""
        if self.ended:
            return False
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return (0 if guild_id is None else (int(guild_id) >> 22) % count) == shard_id

    async def dispatch(
        self, event: str, data: Any, on_send: Callable[[], None] | None = None
    ) -> None:
        """Send (or, while disconnected, keep for replay) one sequenced DISPATCH."""
        async with self._lock:
            self.seq += 1
            payload = {"op": Op.DISPATCH, "t": event, "s": self.seq, "d": data}
            self.history.append((self.seq, payload))
            if on_send is not None:
                on_send()
            if self.connected:
                await self._send(payload)

    async def resume_on(self, connection: GatewayConnection, after_seq: int | None) -> None:
        """Attach ``connection``, replay what the client missed, then send RESUMED."""
        async with self._lock:
            self.connection = connection
            connection.session = self
            for seq, payload in self.history:
                if after_seq is None or seq > after_seq:
                    await self._send(payload)
            self.resumes += 1
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})

    async def _send(self, payload: dict[str, Any]) -> None:
        assert self.connection is not None
        # If the socket went away mid-send, the frame stays in history for a RESUME.
        with contextlib.suppress(ConnectionResetError):
            await self.connection.send(payload)


class Gateway:
    """The websocket side of :class:`FakeDiscord` (which owns config, clock and waiters)."""

    def __init__(self, fake: FakeDiscord) -> None:
        self._fake = fake
        self.connections: list[GatewayConnection] = []
        self.sessions: dict[str, GatewaySession] = {}
        self.frames: list[GatewayFrame] = []

    def log(
        self,
        direction: Literal["in", "out"],
        payload: dict[str, Any],
        connection: GatewayConnection,
    ) -> None:
        self.frames.append(GatewayFrame(direction, payload, self._fake.now(), connection.number))
        self._fake.notify()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        connection = GatewayConnection(
            self, ws, request.path, dict(request.query), len(self.connections)
        )
        self.connections.append(connection)
        self._fake.notify()
        try:
            await connection.send(
                {
                    "op": Op.HELLO,
                    "d": {
                        "heartbeat_interval": self._fake.heartbeat_interval_ms,
                        "_trace": ["fake-discord"],
                    },
                }
            )
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    await connection.close(CloseCode.DECODE_ERROR, "Error while decoding payload.")
                    break
                payload = json.loads(message.data)
                self.log("in", payload, connection)
                try:
                    await self._on_frame(connection, payload)
                except Exception as error:  # a bug in the fake: make the test see it
                    self._fake.internal_errors.append(error)
                    raise
        finally:
            connection.closed = True
            session = connection.session
            if session is not None and session.connection is connection:
                session.connection = None
                if not connection.closed_by_fake and ws.close_code in (1000, 1001):
                    session.ended = True
            self._fake.notify()
        return ws

    async def _on_frame(self, connection: GatewayConnection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == Op.HEARTBEAT:
            await connection.send({"op": Op.HEARTBEAT_ACK})
        elif op == Op.IDENTIFY:
            await self._identify(connection, data)
        elif op == Op.RESUME:
            await self._resume(connection, data)
        elif op == Op.REQUEST_GUILD_MEMBERS and connection.session is not None:
            await self._send_members(connection.session, data)
        # PRESENCE_UPDATE, VOICE_STATE_UPDATE and the rest are only recorded.

    async def _identify(self, connection: GatewayConnection, data: dict[str, Any]) -> None:
        fake = self._fake
        if data.get("token") != fake.token:
            await connection.close(CloseCode.AUTHENTICATION_FAILED, "Authentication failed.")
            return
        if connection.session is not None:
            await connection.close(CloseCode.ALREADY_AUTHENTICATED, "Already authenticated.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await connection.close(CloseCode.INVALID_INTENTS, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~fake.privileged_intents:
            await connection.close(CloseCode.DISALLOWED_INTENTS, "Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None and not 0 <= shard[0] < shard[1]:
            await connection.close(CloseCode.INVALID_SHARD, "Invalid shard.")
            return
        session = GatewaySession(secrets.token_hex(16), data)
        session.connection = connection
        connection.session = session
        self.sessions[session.session_id] = session
        guilds = [g for g in fake.guilds if session.receives(g["id"])]
        await session.dispatch("READY", fake.ready_payload(session, guilds))
        for guild in guilds:
            await session.dispatch("GUILD_CREATE", fake.guild_create(guild))

    async def _resume(self, connection: GatewayConnection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or session.ended or data.get("token") != self._fake.token:
            await connection.send({"op": Op.INVALID_SESSION, "d": False})
            return
        await session.resume_on(connection, data.get("seq"))

    async def _send_members(self, session: GatewaySession, data: dict[str, Any]) -> None:
        guild = next((g for g in self._fake.guilds if g["id"] == str(data.get("guild_id"))), None)
        if guild is None:
            return
        chunk = {
            "guild_id": guild["id"],
            "members": self._fake.guild_create(guild)["members"],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def live_sessions(self, guild_id: str | None) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if s.receives(guild_id)]

    async def dispatch(
        self,
        event: str,
        data: Any,
        *,
        guild_id: str | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> int:
        """Send ``event`` to every live session of the right shard; returns how many got it.

        ``on_send`` runs once, just before the first frame is written.
        """
        sessions = self.live_sessions(guild_id)
        if not sessions:
            raise RuntimeError(
                f"no bot session would receive {event}: start a bot against the fake first"
            )
        pending = on_send

        def stamp() -> None:
            nonlocal pending
            if pending is not None:
                pending()
                pending = None

        for session in sessions:
            await session.dispatch(event, data, stamp)
        return len(sessions)

    async def send_op(self, op: int, data: Any) -> int:
        """Send an unsequenced ``op`` frame on every open connection; returns how many got it."""
        open_connections = [c for c in self.connections if not c.closed]
        for connection in open_connections:
            with contextlib.suppress(ConnectionResetError):
                await connection.send({"op": op, "d": data})
        return len(open_connections)

    async def disconnect(self, code: int) -> int:
        """Close every open connection with ``code``; returns how many were closed."""
        open_connections = [c for c in self.connections if not c.closed]
        for connection in open_connections:
            await connection.close(code, "fake-discord disconnect")
        return len(open_connections)
