"""The command line: `python -m calculators check|run|list|batch|diff` (the contract is in design/design.md).

check  POLICY_DIR          exit 0 with a summary, or 1 with `path:line:column: message` lines
run    NAME [--input FILE|-] [--as-of DATE] [--policies DIR] [--sweep] [--lang en|zh] [--format json|ics]
                           exit 0 with the result JSON, 2 with {"errors": [...]}, 3 (policies);
                           --format ics: the result's key dates as an iCalendar file instead (exit 0;
                           bad input still gives the JSON errors and exit 2);
                           --sweep adds a top-level "sweep" key: the chart's series (sweep.py);
                           --lang: the language of every sentence (keys, verdicts, amounts stay)
list   [--policies DIR] [--lang en|zh]    the calculators and their input specs, as JSON

Exit codes of `run` and `list`, each with JSON on stdout:
  0  the result (whatever its verdict), or the specs
  2  bad input: {"errors": [{"field", "message"}, ...]}, one per bad field. The field is an input
     name, "as_of" (--as-of), or "--input" when the text is not usable: unreadable, not UTF-8,
     over 1,000,000 characters, not JSON, or nested too deeply
  3  the policies could not be loaded: {"errors": [{"field": "--policies", "message":
     "path:line:column: message"}, ...]}, so a script can tell its own mistake (2) from the
     policies' (3); exit 1 stays what it is for `check`, and for Python itself on a crash
Input is strict: see calculators/inputs.py (numbers are JSON numbers or plain "9000"; dates are
YYYY-MM-DD between 2000-01-01 and 2100-12-31; names given once, unknown names refused). --as-of
must also be on or after the day the handbook's rules begin (api.rules_begin, from the policies).

Reading YAML needs policy_loader (PyYAML, jsonschema), and checking that the policies hold what
the calculators read needs policy_contract.checks; that is why the command line lives here, above
calculators/, which stays standard-library and runs in the browser (calculators/__main__.py only
hands `python -m calculators` over to main_into_a_pipe).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from calculators.api import run, specs
from calculators.inputs import MAX_INPUT_CHARS, InputErrors, load_inputs
from calculators.messages import LANGS, Msg, Words
from calculators.registry import CALCULATORS

DEFAULT_POLICIES = Path(__file__).resolve().parent.parent / "policies"
BAD_INPUT, POLICIES_NOT_LOADED = 2, 3


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
    run_cmd.add_argument("--sweep", action="store_true",
                         help='add a "sweep" key: how the answer changes as the inputs move (the charts\' series)')
    run_cmd.add_argument("--lang", choices=LANGS, default="en",
                         help="the language of headlines, findings, next steps and errors (default en)")
    run_cmd.add_argument("--format", choices=("json", "ics"), default="json",
                         help="the result as JSON, or its key dates as an iCalendar file (RFC 5545); "
                              "bad input is JSON errors either way")
    listing = commands.add_parser("list", help="the calculators and their input specs")
    listing.add_argument("--policies", default=str(DEFAULT_POLICIES))
    listing.add_argument("--lang", choices=LANGS, default="en", help="the language of labels, help and choices")
    batch_cmd = commands.add_parser("batch", help="run one calculator over a CSV or JSONL of stores")
    batch_cmd.add_argument("name", choices=sorted(CALCULATORS))
    batch_cmd.add_argument("--input", required=True, help="stores.csv or stores.jsonl (- for JSONL on standard input)")
    batch_cmd.add_argument("--as-of", default=None, help="the date to apply the rules as of (YYYY-MM-DD; default today)")
    batch_cmd.add_argument("--output", default=None, help="results.csv or results.jsonl (default: JSONL on standard output)")
    batch_cmd.add_argument("--policies", default=str(DEFAULT_POLICIES), help="the policy folder")
    batch_cmd.add_argument("--lang", choices=LANGS, default="en", help="the language of headlines and errors")
    diff = commands.add_parser("diff", help="what changed between two policy versions, in words")
    diff.add_argument("old", help="dir:FOLDER, rev:REVISION (a git revision of policies/: main, HEAD~1, ...), or a "
                      "bare name that is only one of the two")
    diff.add_argument("new", help="dir:FOLDER, rev:REVISION, or a bare name that is only one of the two")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument("--population", default=None, help="a CSV or JSONL of stores: count verdicts that change")
    diff.add_argument("--as-of", default=None, help="today for --population (YYYY-MM-DD; default today): the "
                      "stores are run as of this day and of each change's first day after it")
    diff.add_argument("--synthetic", action="store_true", help="--population is made up (policy_review.population): "
                      "the report says so")
    args = parser.parse_args(argv)

    if args.command == "check":
        if args.format == "github":
            from policy_review.annotations import annotation  # CLI only: never in the browser

            return _check(args.policy_dir, lambda problems: "\n".join(map(annotation, problems.errors)))
        return _check(args.policy_dir)
    if args.command == "diff":
        from policy_review.diff import diff_command  # CLI only: never in the browser

        return diff_command(args.old, args.new, args.format, args.population, args.as_of, synthetic=args.synthetic)
    bundle = _bundle_or_exit(args.policies)
    if args.command == "batch":
        from batch.stores import batch_command

        return batch_command(bundle, args.name, args.input, args.as_of, args.output, lang=args.lang)
    if args.command == "list":
        print(json.dumps(specs(bundle, args.lang), indent=2, ensure_ascii=False))
        return 0
    return _run(bundle, args)


def _check(policy_dir: str, shown=str) -> int:
    """Exit 0 with a summary line, or 1 with every problem, each `shown` (plain lines by default)."""
    from policy_contract.checks import load_checked_bundle
    from policy_loader import PolicyErrors

    try:
        bundle = load_checked_bundle(policy_dir)
    except PolicyErrors as problems:
        print(shown(problems), file=sys.stdout)
        print(f"{len(problems.errors)} problem(s) in {policy_dir}", file=sys.stderr)
        return 1
    print(f"ok: {len(bundle['topics'])} topics, {len(bundle['rules'])} rules, {len(bundle['categories'])} categories, "
          f"{len(bundle['examples'])} examples in {policy_dir} (policy version {bundle['version']})")
    return 0


def _bundle_or_exit(policy_dir: str) -> dict:
    from policy_contract.checks import load_checked_bundle
    from policy_loader import PolicyErrors

    try:
        return load_checked_bundle(policy_dir)
    except PolicyErrors as problems:
        _print_errors([{"field": "--policies", "message": str(problem)} for problem in problems.errors])
        raise SystemExit(POLICIES_NOT_LOADED) from None


def _run(bundle: dict, args: argparse.Namespace) -> int:
    try:
        text = _read_input(args.input)
        if not text.strip():  # nothing piped, or an empty file: say what to give, not where JSON broke
            raise InputErrors([{"field": "--input", "message": Msg("input.no_input")}])
        inputs = load_inputs(text, "--input")
    except InputErrors as bad:
        _print_errors(Words(bundle, args.lang).errors(bad.errors))
        return BAD_INPUT
    result = run(bundle, args.name, inputs, args.as_of, lang=args.lang)
    if "errors" in result:
        _print_errors(result["errors"])
        return BAD_INPUT
    if args.format == "ics":
        return _print_calendar(bundle, args.name, result, args.lang)
    if args.sweep:
        from calculators.sweep import sweep

        result["sweep"] = sweep(bundle, args.name, inputs, args.as_of, lang=args.lang)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def _print_calendar(bundle: dict, name: str, result: dict, lang: str) -> int:
    """The result's key dates as an .ics file on stdout, its CRLF line ends written as they are."""
    from calculators.ics import calendar_text

    title = Words(bundle, lang)(CALCULATORS[name].title)
    text = calendar_text(result, Words(bundle, lang)("dates.calendar_name", calculator=title))
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))  # bytes: a text stream could change "\r\n" on some systems
    sys.stdout.buffer.flush()
    return 0


def _read_input(source: str) -> str:
    """The input text from a file or stdin (-), as UTF-8, or InputErrors on --input."""
    def bad(message: Msg) -> InputErrors:
        return InputErrors([{"field": "--input", "message": message}])

    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_CHARS * 4 + 1)  # UTF-8 is at most 4 bytes a character
        else:
            with open(source, "rb") as file:
                data = file.read(MAX_INPUT_CHARS * 4 + 1)
    except OSError as err:
        raise bad(Msg("input.cannot_read", source=source, reason=err.strerror or str(err))) from None
    if len(data) > MAX_INPUT_CHARS * 4:
        raise bad(Msg("input.too_many_bytes", bytes=f"{MAX_INPUT_CHARS * 4:,}", chars=f"{MAX_INPUT_CHARS:,}"))
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as some Windows editors write, is harmless
    except UnicodeDecodeError as err:
        raise bad(Msg("input.not_utf8", byte=f"{data[err.start]:02x}", offset=err.start)) from None


def _print_errors(errors: list[dict]) -> None:
    # Not ASCII escapes: people read these messages, in Chinese too.
    print(json.dumps({"errors": errors}, indent=2, ensure_ascii=False))


def main_into_a_pipe() -> int:
    """main(), quiet when the reader of its output stops early (`run … | head`): no traceback."""
    try:
        return main()
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush is quiet
        return 0

