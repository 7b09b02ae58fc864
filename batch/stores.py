"""`python -m calculators batch NAME --input stores.csv|stores.jsonl`: one calculator over many stores.

Streams: one row is read, run and written at a time, so memory stays flat however long the file.
A bad row does not stop the run: its output record carries its row number and the same
{"field", "message"} errors `run` gives, and the exit code is 2 when any row was bad, else 0.

Rows are evaluated with `BatchRunner`, which resolves each rule once per (rule, date, case)
instead of once per row: a population has a handful of categories and dates but many stores.
The calculators themselves are unchanged; only their Policy is a memoizing one.

Safe to open (issue 26): a CSV result never holds a live spreadsheet formula (`spreadsheet_cell`);
a row with a control character (NUL and the like) is refused, since a store's figures that hold
one are damaged and dropping it could change a value ("50\x0000" would read as 5000); a cell over
MAX_CELL_CHARS or a line over MAX_LINE_BYTES is that row's error, not a crash; and the output is
written to a hidden temporary file beside the target and renamed only when the run completes, so
an interrupted run leaves no file that looks finished, and `--output` naming the input is refused.

Standard library and the calculators only: progress is a few lines here rather than a dependency
such as tqdm.
Progress and an ETA go to standard error, and only when it is a terminal, so piped or CI output
stays clean.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any, Iterator

from calculators.api import as_of_date, checked_values
from calculators.inputs import InputErrors, json_problem
from calculators.messages import Msg, Problem, Words
from calculators.policy import Policy, Resolved
from calculators.registry import CALCULATORS

# A column that identifies the store: passed through to the output so results can be joined back.
ID_COLUMN = "store_id"
OUTPUT_COLUMNS = ("row", ID_COLUMN, "verdict", "headline", "amounts", "errors")

# A store's cell is a name, a number, a date or a short code: 10,000 characters is far beyond any of
# them and small enough that a row never costs much memory. A line (a CSV record's physical line, a
# JSONL row) is read at most MAX_LINE_BYTES at a time, so a file with no line breaks cannot fill memory.
MAX_CELL_CHARS = 10_000
MAX_LINE_BYTES = 100_000
# Control characters refuse a row; tab and line breaks are ordinary in a quoted CSV cell.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


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
        self.names = {field.name for field in self.calculator.inputs}
        # Columns another calculator reads are passed over, so one store file serves all three;
        # a column no calculator knows is still reported (most likely a misspelt header).
        self.others = {field.name for module in CALCULATORS.values() for field in module.inputs} - self.names

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


class Lines:
    """The input's lines as text, each at most MAX_LINE_BYTES; a longer one is skipped to its end
    and given as an empty line, and counted in `overlong`, so the reader can refuse its row."""

    def __init__(self, binary: IO[bytes], progress: Progress):
        self.binary, self.progress, self.overlong = binary, progress, 0

    def __iter__(self) -> Iterator[str]:
        first = True
        while raw := self.binary.readline(MAX_LINE_BYTES + 1):
            self.progress.done += len(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                self._skip_rest()
                self.overlong += 1
                raw = b"\n"
            line = raw.decode("utf-8-sig" if first else "utf-8")
            first = False
            yield line

    def _skip_rest(self) -> None:
        while rest := self.binary.readline(MAX_LINE_BYTES):
            self.progress.done += len(rest)
            if rest.endswith(b"\n"):
                return


def read_stores(binary: IO[bytes], kind: str, progress: Progress) -> Iterator[tuple[int, dict | None, list[dict]]]:
    """(row number, the store's inputs or None, errors reading it) for each store, in order.

    Row 1 is the first store (a CSV's header line is not counted). Values stay as read: CSV
    gives text, which validation turns into numbers, dates and booleans like any other input.
    A row with an over-long line or cell, or a control character, has errors and no run.
    Raises Problem when the CSV header itself cannot be read.
    """
    lines = Lines(binary, progress)
    rows = _csv_rows(lines) if kind == "csv" else _jsonl_rows(lines)
    for number, store, errors in rows:
        yield number, store, errors or _unsafe(store)


def _csv_rows(lines: Lines) -> Iterator[tuple[int, dict | None, list[dict]]]:
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as err:
        raise Problem("batch.header_unreadable", reason=str(err)) from None
    if lines.overlong:
        raise Problem("batch.header_too_long", limit=f"{MAX_LINE_BYTES:,}")
    if header is None:
        return
    header = [name.strip() for name in header]
    number = 0
    while True:
        number += 1
        seen = lines.overlong
        try:
            cells = next(reader, None)
        except csv.Error as err:  # a quoted cell that grows past csv's own field limit, for one
            yield number, None, [{"field": "(row)", "message": Msg("batch.row_unreadable", reason=str(err))}]
            continue
        if cells is None:
            return
        if lines.overlong != seen:
            yield number, None, [{"field": "(row)", "message": Msg("batch.line_too_long", limit=f"{MAX_LINE_BYTES:,}")}]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            # The partial row still names its store_id, for the output record.
            yield number, dict(zip(header, cells)), [
                {"field": "(row)", "message": Msg("batch.row_cells", count=len(cells), header=len(header))}]
            continue
        yield number, dict(zip(header, cells)), []


def _jsonl_rows(lines: Lines) -> Iterator[tuple[int, dict | None, list[dict]]]:
    number = seen = 0
    for text in lines:
        overlong, seen = lines.overlong != seen, lines.overlong
        if not text.strip() and not overlong:
            continue
        number += 1
        if overlong:
            yield number, None, [{"field": "(row)", "message": Msg("batch.line_too_long", limit=f"{MAX_LINE_BYTES:,}")}]
            continue
        try:
            store = json.loads(text)
        except json.JSONDecodeError as err:
            yield number, None, [{"field": "(row)", "message": Msg("input.not_json", problem=json_problem(err),
                                                                     line=err.lineno, column=err.colno)}]
            continue
        yield number, store, []


def _unsafe(store: dict | None) -> list[dict]:
    """One error per cell (or column name) that is over-long or holds a control character."""
    if not isinstance(store, dict):
        return []
    errors = []
    for name, value in store.items():
        for text in (name, value):
            if not isinstance(text, str):
                continue
            field = CONTROL_CHARACTER.sub("", name)[:100]
            if len(text) > MAX_CELL_CHARS:
                errors.append({"field": field, "message": Msg("batch.cell_too_long", count=f"{len(text):,}",
                                                               limit=f"{MAX_CELL_CHARS:,}")})
                break
            if found := CONTROL_CHARACTER.search(text):
                errors.append({"field": field, "message": Msg("batch.control_character", code=f"U+{ord(found.group()):04X}",
                                                               position=found.start() + 1)})
                break
    return errors


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
        store_id = store[ID_COLUMN]
        out[ID_COLUMN] = store_id[:MAX_CELL_CHARS] if isinstance(store_id, str) else store_id
    if "errors" in outcome:
        out["errors"] = outcome["errors"]
    else:
        out.update(verdict=outcome["verdict"], headline=outcome["headline"], amounts=outcome["amounts"])
    return out


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: no control characters, and a leading ' before what
    would start a formula, unless it is a plain number.

    >>> [spreadsheet_cell(v) for v in ("=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-12.5", "-1+2", "a\\x00b", 7)]
    ["'=1+2", "'@SUM(A1)", "'+cmd|' /C calc'!A0", '-12.5', "'-1+2", 'ab', 7]
    """
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTER.sub("", value)
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class CsvWriter:
    def __init__(self, stream: IO[str]):
        # RFC 4180's CRLF, which is also what makes csv quote a cell holding a lone carriage return
        # (it quotes only the line terminator's characters), so no cell can break a row in two.
        self.writer = csv.writer(stream, lineterminator="\r\n")
        self.writer.writerow(OUTPUT_COLUMNS)

    def write(self, rec: dict) -> None:
        errors = "; ".join(f"{e['field']}: {e['message']}" for e in rec.get("errors", []))
        amounts = json.dumps(rec["amounts"], ensure_ascii=False) if "amounts" in rec else ""
        store_id = rec.get(ID_COLUMN, "")
        self.writer.writerow([spreadsheet_cell(cell) for cell in (
            rec["row"], store_id if isinstance(store_id, str) else json.dumps(store_id, ensure_ascii=False),
            rec.get("verdict", ""), rec.get("headline", ""), amounts, errors)])


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
    say = Words(bundle, lang)
    kind = kind_of(input_path) if input_path != "-" else "jsonl"
    if kind is None:
        return _fail(f"--input {input_path}: expected a .csv or .jsonl file", stderr)
    out_kind = kind_of(output) if output else "jsonl"
    if out_kind is None:
        return _fail(f"--output {output}: expected a .csv or .jsonl file", stderr)
    if output and same_file(input_path, output):
        return _fail(f"--output {output}: " + say("batch.output_is_input", input=input_path), stderr)
    try:
        runner = BatchRunner(bundle, name, as_of, lang)
    except ValueError as problem:
        return _fail(f"--as-of: {say.text(problem)}", stderr)
    try:
        source = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")  # noqa: SIM115
    except OSError as err:
        return _fail(f"--input {input_path}: cannot read: {err.strerror}", stderr)
    try:
        with source if source is not sys.stdin.buffer else nullcontext(source):  # stdin is not ours to close
            if not output:
                return min(_write(runner, source, kind, input_path, sys.stdout, out_kind, stderr), 2)
            with Finished(output) as sink:
                code = _write(runner, source, kind, input_path, sink.stream, out_kind, stderr)
                sink.keep = code != UNUSABLE
                return min(code, 2)
    except OSError as err:
        return _fail(f"--output {output}: cannot write: {err.strerror}", stderr)
    except KeyboardInterrupt:
        print(say("batch.interrupted" if output else "batch.interrupted_stdout"), file=stderr)
        return 130  # as a shell reports a run ended by Ctrl-C


UNUSABLE = 3  # _write's code for an input it could not go on reading: the output is not kept


def same_file(input_path: str, output: str) -> bool:
    """Whether `output` names the input file: by path (./x and x, through symlinks) or by inode (a hard link)."""
    if input_path == "-":
        return False
    try:
        if os.path.samefile(input_path, output):
            return True
    except OSError:  # the output does not exist yet (or the input cannot be read: said later)
        pass
    return Path(input_path).resolve() == Path(output).resolve()


class Finished:
    """The output file, written as a hidden temporary file beside it and renamed over it on
    success: a reader never sees a half-written results file, and a run that stops early (an
    exception, Ctrl-C) removes its temporary file and leaves any earlier results as they were."""

    def __init__(self, output: str):
        self.target = Path(output).resolve()  # a symlinked output stays a symlink; its target is replaced
        self.keep = False

    def __enter__(self) -> Finished:
        handle, temporary = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".partial")
        self.temporary = Path(temporary)
        os.chmod(handle, _file_mode(self.target))  # mkstemp's 0600 would make the results private
        self.stream = open(handle, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in __exit__
        return self

    def __exit__(self, kind, *_) -> None:
        self.stream.close()
        if kind is None and self.keep:
            os.replace(self.temporary, self.target)
        else:
            self.temporary.unlink(missing_ok=True)


def _file_mode(target: Path) -> int:
    """The results file's permissions: those of the file it replaces, else what open() would give."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write(runner: BatchRunner, source: IO[bytes], kind: str, input_path: str, sink: IO[str], out_kind: str,
           stderr: IO[str]) -> int:
    """Every row's record into `sink`: 0, 2 when any row was bad, UNUSABLE (reported) when reading stopped."""
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
        _fail(f"--input {input_path}: row {progress.rows + 1} is not UTF-8 text", stderr)
        return UNUSABLE
    except Problem as problem:
        _fail(f"--input {input_path}: {runner.say.text(problem)}", stderr)
        return UNUSABLE
    except BrokenPipeError:  # `batch ... | head`: the reader has all it wants
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush is quiet
        return 2 if bad else 0
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
