"""Config: defaults, environment, and one clear message naming a bad key."""

import pytest

from bot.config import ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_file(tmp_path):
    config = load_config(None, env={"RUNON_DATA_DIR": str(tmp_path)})
    assert config.data_dir == tmp_path and config.token is None
    assert config.database_path.parent == tmp_path


def test_token_from_environment_is_never_in_repr(tmp_path):
    config = load_config(None, env={"DISCORD_TOKEN": "secret.token.value", "RUNON_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert config.token == "secret.token.value"
    assert "secret" not in repr(config)


def test_token_file(tmp_path):
    token = tmp_path / "token.txt"
    token.write_text("abc.def\n")
    config = load_config(write(tmp_path, f"token_file: {token}\n"), env={})
    assert config.token == "abc.def"


def test_token_in_the_config_file_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="'token' is not allowed"):
        load_config(write(tmp_path, "token: abc\n"), env={})


@pytest.mark.parametrize(
    ("text", "key"),
    [("cooldown_seconds: -1\n", "cooldown_seconds"), ("home_guild_ids: [abc]\n", "home_guild_ids"),
     ("dev_guild_id: yes\n", "dev_guild_id"), ("log_level: LOUD\n", "log_level"),
     ("colour: blue\n", "colour"), ("log_unanswered: maybe\n", "log_unanswered")],
)  # fmt: skip
def test_bad_keys_are_named(tmp_path, text, key):
    with pytest.raises(ConfigError, match=f"'{key}'"):
        load_config(write(tmp_path, text), env={})


def test_environment_data_dir_wins(tmp_path):
    config = load_config(write(tmp_path, "data_dir: /elsewhere\n"), env={"RUNON_DATA_DIR": str(tmp_path)})  # fmt: skip
    assert config.data_dir == tmp_path


def test_example_config_is_valid(tmp_path):
    from tests.conftest import REPO

    load_config(REPO / "config.example.yaml", env={"RUNON_DATA_DIR": str(tmp_path)})
