"""Typed configuration from YAML plus environment, checked once at start.

An invalid config stops the bot with one message naming the key. The Discord
token is never read from the config file itself: only from ``DISCORD_TOKEN`` or
from ``token_file`` (a path outside the repository), and it never appears in a
``repr`` or a log line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from bot.core.yamlsafe import LocatedDict, YamlError, load_located

APP_NAME = "runon-bot"
DB_FILE_NAME = "runon.sqlite3"


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and why."""


@dataclass(frozen=True)
class Config:
    data_dir: Path
    fact_base: Path | None = None
    token_file: Path | None = None
    dev_guild_id: int | None = None
    home_guild_ids: tuple[int, ...] = ()
    editor_role_ids: tuple[int, ...] = ()
    owner_ids: tuple[int, ...] = ()
    cooldown_seconds: float = 10.0
    cooldown_burst: int = 5
    log_unanswered: bool = True
    log_level: str = "INFO"
    # The token is kept out of repr so it can never be printed or logged by accident.
    token: str | None = field(default=None, repr=False)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DB_FILE_NAME


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


_KEYS = {
    "data_dir": "a folder path",
    "fact_base": "a file path",
    "token_file": "a file path outside the repository",
    "dev_guild_id": "a guild id (a number)",
    "home_guild_ids": "a list of guild ids",
    "editor_role_ids": "a list of role ids",
    "owner_ids": "a list of user ids",
    "cooldown_seconds": "a number of seconds (0 or more)",
    "cooldown_burst": "a whole number (1 or more)",
    "log_unanswered": "true or false",
    "log_level": "one of DEBUG, INFO, WARNING, ERROR",
}


def _snowflake(key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(f"config key '{key}' must be {_KEYS[key]}")
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"config key '{key}' must be {_KEYS[key]}, found {value!r}") from None
    if number <= 0:
        raise ConfigError(f"config key '{key}' must be {_KEYS[key]}, found {value!r}")
    return number


def _snowflakes(key: str, value: object) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"config key '{key}' must be {_KEYS[key]}")
    return tuple(_snowflake(key, v) for v in value)


def load_config(path: Path | str | None = None, env: dict[str, str] | None = None) -> Config:
    """Read ``path`` (optional) and the environment; raise ``ConfigError`` naming the bad key."""
    env = dict(os.environ if env is None else env)
    raw: dict = {}
    if path is not None:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
        try:
            loaded = load_located(text, str(path))
        except YamlError as exc:
            raise ConfigError(f"config file {exc}") from None
        if loaded is None:
            loaded = LocatedDict()
        if not isinstance(loaded, dict):
            raise ConfigError(f"config file {path} must be a mapping of keys to values")
        raw = loaded
    for key in raw:
        if key == "token":
            raise ConfigError("config key 'token' is not allowed: set DISCORD_TOKEN or token_file instead")  # fmt: skip
        if key not in _KEYS:
            raise ConfigError(f"unknown config key '{key}' (known: {', '.join(_KEYS)})")

    def path_of(key: str) -> Path | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"config key '{key}' must be {_KEYS[key]}")
        return Path(value).expanduser()

    data_dir = Path(env["RUNON_DATA_DIR"]).expanduser() if env.get("RUNON_DATA_DIR") else path_of("data_dir")  # fmt: skip
    cooldown = raw.get("cooldown_seconds", 10.0)
    if isinstance(cooldown, bool) or not isinstance(cooldown, int | float) or cooldown < 0:
        raise ConfigError(f"config key 'cooldown_seconds' must be {_KEYS['cooldown_seconds']}")
    burst = raw.get("cooldown_burst", 5)
    if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
        raise ConfigError(f"config key 'cooldown_burst' must be {_KEYS['cooldown_burst']}")
    log_unanswered = raw.get("log_unanswered", True)
    if not isinstance(log_unanswered, bool):
        raise ConfigError(f"config key 'log_unanswered' must be {_KEYS['log_unanswered']}")
    level = raw.get("log_level", "INFO")
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"config key 'log_level' must be {_KEYS['log_level']}")
    dev_guild = raw.get("dev_guild_id")
    token_file = path_of("token_file")
    token = env.get("DISCORD_TOKEN") or None
    if token is None and token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ConfigError(f"config key 'token_file': cannot read {token_file}: {exc.strerror}") from None  # fmt: skip
    return Config(
        data_dir=data_dir or default_data_dir(),
        fact_base=path_of("fact_base"),
        token_file=token_file,
        dev_guild_id=None if dev_guild is None else _snowflake("dev_guild_id", dev_guild),
        home_guild_ids=_snowflakes("home_guild_ids", raw.get("home_guild_ids")),
        editor_role_ids=_snowflakes("editor_role_ids", raw.get("editor_role_ids")),
        owner_ids=_snowflakes("owner_ids", raw.get("owner_ids")),
        cooldown_seconds=float(cooldown),
        cooldown_burst=burst,
        log_unanswered=log_unanswered,
        log_level=level,
        token=token,
    )
