"""The command line, `python -m calculators check|run|list|batch|diff` (commands.py): the top of
the import graph, since it reads the policies' YAML, runs the calculators and reviews changes.
calculators/__main__.py is its entry point; the contract is in design/design.md."""
