"""Benchmarks: tm side by side with the tools a press office would otherwise use.

Each ``bench/bench_*.py`` module has a ``main()`` that prints its own table of figures and
ratios. ``make bench`` runs them all; ``python -m bench NAME`` runs one.
"""
