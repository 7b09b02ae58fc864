"""The contract between the policies and the calculators: the one place that imports both.

policy_loader (YAML -> bundle) knows nothing of the calculators, and the calculators (stdlib,
run in Pyodide) never read YAML. What needs both lives here, below the CLI, the hooks and the
review, which all use it:
- checks.py: the policies hold what each calculator reads, and examples name real inputs
  and verdicts; `load_checked_bundle` is load_bundle plus these checks (CLI, MkDocs, review);
- schema.py: writes policies/schema/ with the registry's calculator names (`make schema`).
"""
