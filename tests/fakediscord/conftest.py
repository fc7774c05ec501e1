"""Makes the fake-Discord fixtures available to the tests in this package."""

from tests.fakediscord.fixtures import fake_discord, start_bot

__all__ = ["fake_discord", "start_bot"]
