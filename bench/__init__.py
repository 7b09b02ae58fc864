"""Benchmarks: how fast a seller gets an answer, and how the build scales (`make bench`).

Not tests: they print a table, write the figures to bench/results/latest.json and assert nothing
about time. Every figure is a median over several runs next to a baseline measured in the same
run, so the ratio stays meaningful on a noisy shared machine.
"""
