"""One calculator over many stores (stores.py): the CLI's `batch`, the policy review's population
impact and the benchmarks use it, so it sits below all three rather than inside any of them."""
