"""The shipped fact base, installed as the package ``bot.data`` (see pyproject.toml)."""
