"""`python -m calculators batch NAME --input stores.csv|stores.jsonl`: one calculator over many stores.

Streams: one row is read, run and written at a time, so memory stays flat however long the file.
A bad row does not stop the run: its output record carries its row number and the same
{"field", "message"} errors `run` gives, and the exit code is 2 when any row was bad, else 0.

Rows are evaluated with `BatchRunner`, which resolves each rule once per (rule, date, case)
instead of once per row: a population has a handful of categories and dates but many stores.
The calculators themselves are unchanged; only their Policy is a memoizing one.

Standard library only, like the rest of this package (it is built into the Pyodide wheel, which
carries no dependencies); that is also why progress is a few lines here rather than tqdm.
Progress and an ETA go to standard error, and only when it is a terminal, so piped or CI output
stays clean.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import IO, Any, Iterator

from calculators.api import as_of_date, checked_values
from calculators.inputs import InputErrors, json_problem
from calculators.messages import Msg, Words
from calculators.policy import Policy, Resolved
from calculators.registry import CALCULATORS

# A column that identifies the store: passed through to the output so results can be joined back.
ID_COLUMN = "store_id"
OUTPUT_COLUMNS = ("row", ID_COLUMN, "verdict", "headline", "amounts", "errors")


class MemoPolicy(Policy):
    """A Policy that remembers every resolution: the same question gets the same (frozen) answer."""

    def __init__(self, bundle: dict, lang: str = "en"):
        super().__init__(bundle, lang)
        self._resolved: dict[tuple, Resolved] = {}

    def resolve(self, address: str, as_of: dt.date, **dims: str) -> Resolved:
        key = (address, as_of, *sorted(dims.items()))
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = super().resolve(address, as_of, **dims)
        return found


class BatchRunner:
    """Run calculator `name` on one store after another with one bundle, one as-of date and one cache."""

    def __init__(self, bundle: dict, name: str, as_of: dt.date | str | None = None, lang: str = "en"):
        self.bundle = bundle
        self.calculator = CALCULATORS[name]
        self.policy = MemoPolicy(bundle, lang)
        self.say = Words(bundle, lang)  # the language of headlines and error messages
        self.as_of = as_of_date(bundle, as_of)  # a Problem (ValueError) before the rules begin, as in `run`
        self.names = {field.name for field in self.calculator.INPUTS}
        # Columns another calculator reads are passed over, so one store file serves all three;
        # a column no calculator knows is still reported (most likely a misspelt header).
        self.others = {field.name for module in CALCULATORS.values() for field in module.INPUTS} - self.names

    def run(self, raw: Any) -> dict:
        """The result dict, or {"errors": [...]} for bad input (never raises for input)."""
        if isinstance(raw, dict):
            raw = {k: v for k, v in raw.items() if k != ID_COLUMN and k not in self.others}
        try:
            values = checked_values(self.calculator, raw, self.bundle, self.as_of)
        except InputErrors as bad:
            return {"errors": self.say.errors(bad.errors)}
        try:
            return self.calculator.evaluate(self.policy, values, self.as_of).to_dict()
        except Exception as crash:  # noqa: BLE001 - one store the calculator cannot handle must not end the run
            return {"errors": [{"field": "(calculator)",
                                "message": f"internal error {type(crash).__name__}: {crash}; please report it"}]}


# ---------------------------------------------------------------------------------------------
# Reading stores
# ---------------------------------------------------------------------------------------------


class Progress:
    """Bytes read of the input, for the progress line (total is None when reading a pipe)."""

    def __init__(self, total: int | None):
        self.total, self.done, self.rows, self.started = total, 0, 0, time.monotonic()
        self.shown = 0.0

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        text = f"{self.rows:,} rows, {self.rows / elapsed:,.0f} rows/s"
        if self.total and self.done:
            fraction = min(self.done / self.total, 1.0)
            left = elapsed * (1 - fraction) / fraction
            text += f", {fraction:.0%}, ETA {int(left // 60)}:{int(left % 60):02d}"
        return text


def _lines(binary: IO[bytes], progress: Progress) -> Iterator[str]:
    first = True
    for raw in binary:
        progress.done += len(raw)
        line = raw.decode("utf-8-sig" if first else "utf-8")
        first = False
        yield line


def read_stores(binary: IO[bytes], kind: str, progress: Progress) -> Iterator[tuple[int, dict | None, list[dict]]]:
    """(row number, the store's inputs or None, errors reading it) for each store, in order.

    Row 1 is the first store (a CSV's header line is not counted). Values stay as read: CSV
    gives text, which validation turns into numbers, dates and booleans like any other input.
    """
    lines = _lines(binary, progress)
    if kind == "csv":
        reader = csv.reader(lines)
        header = next(reader, None)
        if header is None:
            return
        header = [name.strip() for name in header]
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                # The partial row still names its store_id, for the output record.
                yield number, dict(zip(header, cells)), [
                    {"field": "(row)", "message": Msg("batch.row_cells", count=len(cells), header=len(header))}]
                continue
            yield number, dict(zip(header, cells)), []
    else:
        number = 0
        for text in lines:
            if not text.strip():
                continue
            number += 1
            try:
                store = json.loads(text)
            except json.JSONDecodeError as err:
                yield number, None, [{"field": "(row)", "message": Msg("input.not_json", problem=json_problem(err),
                                                                         line=err.lineno, column=err.colno)}]
                continue
            yield number, store, []


def kind_of(path: str) -> str | None:
    suffix = Path(path).suffix.lower()
    return {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix)


# ---------------------------------------------------------------------------------------------
# Writing results
# ---------------------------------------------------------------------------------------------


def record(number: int, store: dict | None, outcome: dict) -> dict:
    """What one row's output says: its number and id, then the verdict or the errors."""
    out: dict = {"row": number}
    if isinstance(store, dict) and ID_COLUMN in store:
        out[ID_COLUMN] = store[ID_COLUMN]
    if "errors" in outcome:
        out["errors"] = outcome["errors"]
    else:
        out.update(verdict=outcome["verdict"], headline=outcome["headline"], amounts=outcome["amounts"])
    return out


class CsvWriter:
    def __init__(self, stream: IO[str]):
        self.writer = csv.writer(stream, lineterminator="\n")
        self.writer.writerow(OUTPUT_COLUMNS)

    def write(self, rec: dict) -> None:
        errors = "; ".join(f"{e['field']}: {e['message']}" for e in rec.get("errors", []))
        amounts = json.dumps(rec["amounts"], ensure_ascii=False) if "amounts" in rec else ""
        self.writer.writerow([rec["row"], rec.get(ID_COLUMN, ""), rec.get("verdict", ""), rec.get("headline", ""),
                              amounts, errors])


class JsonlWriter:
    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, rec: dict) -> None:
        self.stream.write(json.dumps(rec, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def batch_command(bundle: dict, name: str, input_path: str, as_of: str | None, output: str | None,
                  stderr: IO[str] | None = None, lang: str = "en") -> int:
    """0 when every row ran, 2 when any row was bad (or the files could not be used)."""
    stderr = stderr or sys.stderr
    kind = kind_of(input_path) if input_path != "-" else "jsonl"
    if kind is None:
        return _fail(f"--input {input_path}: expected a .csv or .jsonl file", stderr)
    out_kind = kind_of(output) if output else "jsonl"
    if out_kind is None:
        return _fail(f"--output {output}: expected a .csv or .jsonl file", stderr)
    try:
        runner = BatchRunner(bundle, name, as_of, lang)
    except ValueError as problem:
        return _fail(f"--as-of: {Words(bundle, lang).text(problem)}", stderr)
    try:
        source = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")  # noqa: SIM115
    except OSError as err:
        return _fail(f"--input {input_path}: cannot read: {err.strerror}", stderr)
    try:
        sink = sys.stdout if not output else open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as err:
        source.close()
        return _fail(f"--output {output}: cannot write: {err.strerror}", stderr)
    total = Path(input_path).stat().st_size if input_path != "-" else None
    progress = Progress(total)
    show = stderr.isatty()
    writer = CsvWriter(sink) if out_kind == "csv" else JsonlWriter(sink)
    bad = 0
    try:
        for number, store, errors in read_stores(source, kind, progress):
            outcome = {"errors": runner.say.errors(errors)} if errors else runner.run(store)
            bad += "errors" in outcome
            writer.write(record(number, store, outcome))
            progress.rows += 1
            if show and time.monotonic() - progress.shown > 0.5:
                progress.shown = time.monotonic()
                print("\r" + progress.line(), end="", file=stderr, flush=True)
    except UnicodeDecodeError:
        return _fail(f"--input {input_path}: row {progress.rows + 1} is not UTF-8 text", stderr)
    except BrokenPipeError:  # `batch ... | head`: the reader has all it wants
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush is quiet
        return 2 if bad else 0
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if sink is not sys.stdout:
            sink.close()
    if show:
        print("\r" + progress.line(), file=stderr)
    if bad:
        print(f"{bad:,} of {progress.rows:,} rows had errors (see their 'errors')", file=stderr)
    return 2 if bad else 0


def _fail(message: str, stderr: IO[str]) -> int:
    print(json.dumps({"errors": [{"field": message.split(":")[0], "message": message}]}), file=sys.stdout)
    print(message, file=stderr)
    return 2


__all__ = ["BatchRunner", "MemoPolicy", "batch_command", "read_stores"]
