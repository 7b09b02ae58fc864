"""Tools for the policy team's pull requests: located check annotations, a worded diff of two policy
versions with its effect on worked examples and on a store population, and the synthetic population.

Unlike calculators/ (standard library only, it runs in Pyodide), this package may use the policy
loader (PyYAML, jsonschema): it only ever runs in CPython, in a terminal or in CI.
"""
