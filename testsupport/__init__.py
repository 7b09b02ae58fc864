"""What the tests and the benchmarks share, so neither imports the other.

- project.py: a copy of the project in a temporary folder, to build or break without touching
  the checkout;
- cli.py: `python -m calculators ...` run in-process through the CLI's main(), answering as a
  subprocess would (exit code, stdout, stderr), for the tests that pin the CLI case by case;
- served_site.py: the site built and served on 127.0.0.1, and Debian's Chromium's settings.
"""
