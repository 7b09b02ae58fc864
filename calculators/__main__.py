"""The command line: `python -m calculators check|run|list` (the contract is in design.md).

check  POLICY_DIR          exit 0 with a summary, or 1 with `path:line:column: message` lines
run    NAME [--input FILE|-] [--as-of DATE] [--policies DIR]
                           exit 0 with the result JSON, or 2 with {"errors": [...]}
list                       the calculators and their input specs, as JSON

Reading YAML needs policy_loader (PyYAML, jsonschema); it is imported here, in the CLI only,
so the package itself stays standard-library and runs in the browser.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from calculators.api import run, specs
from calculators.registry import CALCULATORS

DEFAULT_POLICIES = Path(__file__).resolve().parent.parent / "policies"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m calculators", description="Seller handbook calculators.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the policy files")
    check.add_argument("policy_dir", nargs="?", default=str(DEFAULT_POLICIES))
    check.add_argument("--format", choices=("plain", "github"), default="plain",
                       help="plain `path:line:column: message` lines, or GitHub annotations")
    run_cmd = commands.add_parser("run", help="run one calculator on a JSON input")
    run_cmd.add_argument("name", choices=sorted(CALCULATORS))
    run_cmd.add_argument("--input", default="-", help="a JSON file of inputs, or - for standard input")
    run_cmd.add_argument("--as-of", default=None, help="the date to apply the rules as of (YYYY-MM-DD; default today)")
    run_cmd.add_argument("--policies", default=str(DEFAULT_POLICIES), help="the policy folder")
    listing = commands.add_parser("list", help="the calculators and their input specs")
    listing.add_argument("--policies", default=str(DEFAULT_POLICIES))
    batch = commands.add_parser("batch", help="run one calculator over a CSV or JSONL of stores")
    batch.add_argument("name", choices=sorted(CALCULATORS))
    batch.add_argument("--input", required=True, help="stores.csv or stores.jsonl (- for JSONL on standard input)")
    batch.add_argument("--as-of", default=None, help="the date to apply the rules as of (YYYY-MM-DD; default today)")
    batch.add_argument("--output", default=None, help="results.csv or results.jsonl (default: JSONL on standard output)")
    batch.add_argument("--policies", default=str(DEFAULT_POLICIES), help="the policy folder")
    diff = commands.add_parser("diff", help="what changed between two policy versions, in words")
    diff.add_argument("old", help="a policy folder, or a git revision of policies/ (main, HEAD~1, ...)")
    diff.add_argument("new", help="a policy folder, or a git revision of policies/")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument("--population", default=None, help="a CSV or JSONL of stores: count verdicts that change")
    diff.add_argument("--as-of", default=None, help="the date for --population (YYYY-MM-DD; default today)")
    args = parser.parse_args(argv)

    if args.command == "check":
        if args.format == "github":
            from policy_review.annotations import check_github  # CLI only: never in the browser

            return check_github(args.policy_dir)
        return _check(args.policy_dir)
    if args.command == "diff":
        from policy_review.diff import diff_command  # CLI only: never in the browser

        return diff_command(args.old, args.new, args.format, args.population, args.as_of)
    bundle = _bundle_or_exit(args.policies)
    if args.command == "batch":
        from calculators.batch import batch_command

        return batch_command(bundle, args.name, args.input, args.as_of, args.output)
    if args.command == "list":
        print(json.dumps(specs(bundle), indent=2, ensure_ascii=False))
        return 0
    return _run(bundle, args)


def _check(policy_dir: str) -> int:
    from policy_loader import PolicyErrors, load_bundle

    try:
        bundle = load_bundle(policy_dir)
    except PolicyErrors as problems:
        print(problems, file=sys.stdout)
        print(f"{len(problems.errors)} problem(s) in {policy_dir}", file=sys.stderr)
        return 1
    print(f"ok: {len(bundle['topics'])} topics, {len(bundle['rules'])} rules, {len(bundle['categories'])} categories, "
          f"{len(bundle['examples'])} examples in {policy_dir} (policy version {bundle['version']})")
    return 0


def _bundle_or_exit(policy_dir: str) -> dict:
    from policy_loader import PolicyErrors, load_bundle

    try:
        return load_bundle(policy_dir)
    except PolicyErrors as problems:
        print(problems, file=sys.stderr)
        raise SystemExit(1) from None


def _run(bundle: dict, args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8")
    except OSError as err:
        return _fail({"field": "--input", "message": f"cannot read {args.input}: {err.strerror}"})
    try:
        inputs = json.loads(text)
    except json.JSONDecodeError as err:
        return _fail({"field": "--input", "message": f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"})
    result = run(bundle, args.name, inputs, args.as_of)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 2 if "errors" in result else 0


def _fail(error: dict) -> int:
    print(json.dumps({"errors": [error]}, indent=2))
    return 2


if __name__ == "__main__":
    sys.exit(main())
