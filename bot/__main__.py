"""``python -m bot`` is the same as the ``runon-bot`` command."""

from bot.cli import main

raise SystemExit(main())
