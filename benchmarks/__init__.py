"""Benchmarks and load tests, kept out of the installed package.

Run them from the repository root: ``python -m benchmarks.bench`` (``make bench``),
``python -m benchmarks.pipeline_bench``, ``python -m benchmarks.montecarlo_bench``,
``python benchmarks/web_bench.py`` and ``python benchmarks/loadtest.py`` (``make loadtest``).
"""
