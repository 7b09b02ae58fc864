// Build step (run by hooks/pyodide_boot.py under Node): what lets the calculators' worker start
// Python fast, made from the pinned npm Pyodide with its own Python (3.14), never a host Python.
//
//   node pyodide_boot.mjs PYODIDE_DIR WHEEL OUT_DIR
//
// writes into OUT_DIR:
//   python_stdlib.pyc.zip  the standard library compiled to .pyc (sourceless, as compileall -b lays
//                          it out), so no module is compiled in the browser; loadPyodide({stdLibURL});
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

// 1. The precompiled stdlib: inside Pyodide (same magic number, same compiler), compile to .pyc the
// stdlib modules that start-up and the calculators import (found by importing them and making a
// call), in place of their .py. The rest stays .py: compiling all of it would grow the download
// from 2.5 MB to 4.5 MB for modules the calculators never import.
const compiler = await loadPyodide({ indexURL, ...quiet });
compiler.unpackArchive(new Uint8Array(await readFile(wheelPath)), "wheel"); // a Buffer is not accepted
compiler.runPython(`
import importlib._bootstrap_external as external
import sys
import zipfile

import calculators.api, calculators.present, calculators.sweep
try:  # a call, so lazily imported modules are found too (an empty bundle: it answers with errors)
    calculators.api.check_bundle_json("{}")
    calculators.api.run_json("{}", "delisting", "{}", "{}")
except Exception:
    pass
PREFIX = "/lib/python314.zip/"
hot = {m.__file__[len(PREFIX):] for m in list(sys.modules.values())
       if (getattr(m, "__file__", None) or "").startswith(PREFIX)}

source = zipfile.ZipFile(PREFIX[:-1])
with zipfile.ZipFile("/tmp/python_stdlib.pyc.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for info in sorted(source.infolist(), key=lambda i: i.filename):
        data = source.read(info)
        if info.filename in hot:
            code = compile(data, PREFIX + info.filename, "exec", dont_inherit=True)
            # mtime 0 and no source beside it: zipimport uses the .pyc as it is
            out.writestr(info.filename + "c", bytes(external._code_to_timestamp_pyc(code, 0, len(data))))
        else:
            out.writestr(info.filename, data)
print(len(hot), file=sys.stderr)
`);
const stdlib = compiler.FS.readFile("/tmp/python_stdlib.pyc.zip");
const stdlibPath = path.join(outDir, "python_stdlib.pyc.zip");
await writeFile(stdlibPath, stdlib);

// 1b. The calculators wheel, its modules compiled the same way. RECORD is written anew, so the
// wheel's own hashes stay true of what it holds.
compiler.FS.writeFile("/tmp/calculators.whl", new Uint8Array(await readFile(wheelPath)));
compiler.runPython(`
import base64
import hashlib
import importlib._bootstrap_external as external
import zipfile

record, lines = None, []
with zipfile.ZipFile("/tmp/calculators.whl") as wheel, \\
        zipfile.ZipFile("/tmp/calculators.pyc.whl", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for info in wheel.infolist():
        name, data = info.filename, wheel.read(info)
        if name.endswith(".dist-info/RECORD"):
            record = name
            continue
        if name.endswith(".py"):
            code = compile(data, name, "exec", dont_inherit=True)
            name, data = name + "c", bytes(external._code_to_timestamp_pyc(code, 0, len(data)))
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
import calculators.api, calculators.present, calculators.sweep  # what the worker calls
sys.version.split()[0]
`);
await writeFile(path.join(outDir, "calculators.snapshot"), maker.makeMemorySnapshot());
await writeFile(path.join(outDir, "boot.json"), JSON.stringify({ build_id: maker._api.config.BUILD_ID, python }));
