// Build step (run by hooks/pyodide_boot.py under Node): what lets the calculators' worker start
// Python fast, made from the pinned npm Pyodide with its own Python (3.14), never a host Python.
//
//   node pyodide_boot.mjs PYODIDE_DIR WHEEL OUT_DIR
//
// writes into OUT_DIR:
//   python_stdlib.pyc.zip  the start set of the standard library, compiled to .pyc (sourceless, as
//                          compileall -b lays it out), so no module is compiled in the browser;
//                          loadPyodide({stdLibURL}); with _rest_of_stdlib for whatever it leaves out;
//   calculators.pyc.whl    the calculators wheel with each module compiled to .pyc the same way
//                          (sourceless), so a first visit imports them without compiling (~3x faster);
//   calculators.snapshot   a memory snapshot taken after importing the modules the worker calls
//                          (private Pyodide API: _makeSnapshot / makeMemorySnapshot), booted with that same stdlib,
//                          which it must be restored with (zipimport keeps the zip's offsets in memory);
//   boot.json              {build_id, python}: the Pyodide build the snapshot belongs to.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelPath, outDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const indexURL = pyodideDir + path.sep;
const quiet = { stdout: () => {}, stderr: (line) => console.error(line) };

// 1. The start set of the stdlib: inside Pyodide (same magic number, same compiler), the stdlib
// modules that start-up and the calculators import (found by importing them and making calls),
// compiled to .pyc, and nothing else: 1.5 MB to download instead of 3.2 MB (all of it as .pyc
// would be 4.5 MB). The rest stays in Pyodide's own python_stdlib.zip, which the site ships too:
// _rest_of_stdlib (hooks/pyodide_rest_of_stdlib.py, filled in with the names left out) fetches it
// if a module from it is ever imported.
const wheel = new Uint8Array(await readFile(wheelPath)); // a Buffer is not accepted
const compiler = await loadPyodide({ indexURL, ...quiet });
compiler.unpackArchive(wheel, "wheel");
compiler.FS.writeFile("/tmp/rest_of_stdlib.py", new Uint8Array(await readFile(new URL("pyodide_rest_of_stdlib.py", import.meta.url))));
compiler.runPython(`
import importlib._bootstrap_external as external
import random, time  # the worker's own calls, after a restore
import sys
import zipfile

import calculators.worker
try:  # calls, so lazily imported modules are found too (an empty bundle: they answer with errors)
    calculators.worker.Calculators("{}")
    calculators.api.run_json("{}", "delisting", "{}", "{}")
except Exception:
    pass
PREFIX = "/lib/python314.zip/"
hot = {m.__file__[len(PREFIX):] for m in list(sys.modules.values())
       if (getattr(m, "__file__", None) or "").startswith(PREFIX)}

def module_name(file):
    return file.removesuffix(".py").removesuffix("/__init__").replace("/", ".")

source = zipfile.ZipFile(PREFIX[:-1])
rest = sorted(module_name(i.filename) for i in source.infolist()
              if i.filename.endswith(".py") and i.filename not in hot)
template = open("/tmp/rest_of_stdlib.py").read()
filled = template.replace("NAMES: frozenset[str] = frozenset()", f"NAMES: frozenset[str] = frozenset({rest!r})")
assert filled != template, "the NAMES line of hooks/pyodide_rest_of_stdlib.py changed"

def pyc(filename, text):  # mtime 0 and no source beside it: the .pyc is used as it is
    code = compile(text, filename, "exec", dont_inherit=True)
    return bytes(external._code_to_timestamp_pyc(code, 0, len(text)))

with zipfile.ZipFile("/tmp/python_stdlib.pyc.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for info in sorted(source.infolist(), key=lambda i: i.filename):
        if info.filename in hot:
            out.writestr(info.filename + "c", pyc(PREFIX + info.filename, source.read(info)))
    out.writestr("_rest_of_stdlib.pyc", pyc(PREFIX + "_rest_of_stdlib.py", filled.encode()))
print(len(hot), "modules in the start set,", len(rest), "left out", file=sys.stderr)
`);
const stdlib = compiler.FS.readFile("/tmp/python_stdlib.pyc.zip");
const stdlibPath = path.join(outDir, "python_stdlib.pyc.zip");
await writeFile(stdlibPath, stdlib);

// 1b. The calculators wheel, its modules compiled the same way (pyc, above: the same interpreter).
// RECORD is written anew, so the wheel's own hashes stay true of what it holds.
compiler.FS.writeFile("/tmp/calculators.whl", wheel);
compiler.runPython(`
import base64
import hashlib

record, lines = None, []
with zipfile.ZipFile("/tmp/calculators.whl") as wheel, \\
        zipfile.ZipFile("/tmp/calculators.pyc.whl", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for info in wheel.infolist():
        name, data = info.filename, wheel.read(info)
        if name.endswith(".dist-info/RECORD"):
            record = name
            continue
        if name.endswith(".py"):
            name, data = name + "c", pyc(name, data)
        out.writestr(zipfile.ZipInfo(name, date_time=info.date_time), data, zipfile.ZIP_DEFLATED)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    out.writestr(zipfile.ZipInfo(record, date_time=(2016, 1, 1, 0, 0, 0)), "\\n".join([*lines, f"{record},,"]) + "\\n",
                 zipfile.ZIP_DEFLATED)
`);
const compiledWheel = compiler.FS.readFile("/tmp/calculators.pyc.whl");
await writeFile(path.join(outDir, "calculators.pyc.whl"), compiledWheel);

// 2. The snapshot, from an interpreter booted on that stdlib, with the calculators imported.
const maker = await loadPyodide({ indexURL, stdLibURL: stdlibPath, _makeSnapshot: true, ...quiet });
maker.unpackArchive(compiledWheel, "wheel"); // what the worker unpacks
// runPython, not pyimport: a PyProxy held by JS would have to be serialised into the snapshot.
const python = maker.runPython(`
import sys
import calculators.worker  # what the worker calls (it imports the rest)
sys.version.split()[0]
`);
await writeFile(path.join(outDir, "calculators.snapshot"), maker.makeMemorySnapshot());
await writeFile(path.join(outDir, "boot.json"), JSON.stringify({ build_id: maker._api.config.BUILD_ID, python }));
