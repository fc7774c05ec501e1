"""The benchmark suite (issue 6): ``python -m tests.benchmarks.run``; see :mod:`.run`.

Not part of the default test run (no ``test_*`` modules here); a smoke test,
tests/test_benchmarks_smoke.py, checks that it still runs on a tiny input.
"""
