// Runs calculator cases inside real Pyodide under Node, for the CPython/Pyodide parity tests.
// usage: node run_cases.mjs PYODIDE_DIR WHEEL_PATH STDLIB_PATH CASES_JSON
//   CASES_JSON holds {bundle, cases: [{name, inputs, as_of}]}; prints {python, platform, modules,
//   startup_ms, run_ms, results} (modules: the file calculators.api was imported from). Each case
//   goes through the worker's door (calculators/worker.py), as the page's worker calls it: its
//   result is the answer's; the view is made too, so a crash there fails the case.
//   A case may instead carry the exact texts the worker sends, {name, inputs_json, options_json}:
//   the fuzz sample does, since JS numbers cannot hold 10**400 or NaN as Python wrote them.
//   A case with "sweep": true asks for the chart's series instead.
//   A call that throws gives {crash: message} for that case, so one crash names its case.
// One interpreter start per batch: starting Pyodide costs seconds, a case costs well under a millisecond.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelPath, stdlibPath, casesPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const started = performance.now();
// The same start the browser worker makes on a first visit: the precompiled stdlib, then the
// precompiled wheel (both from hooks/assets.py) unpacked.
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdLibURL: stdlibPath, stdout: () => {},
  stderr: console.error });
pyodide.unpackArchive(new Uint8Array(await readFile(wheelPath)), "wheel"); // a Buffer is not accepted
const ready = performance.now();

const { bundle, cases } = JSON.parse(await readFile(casesPath, "utf8"));
const calculators = pyodide.pyimport("calculators.worker").Calculators(JSON.stringify(bundle));
// The worker's exact calls: inputs and options as JSON text; a case without as_of means "today".
const results = cases.map((c) => {
  try {
    const texts = [c.name, c.inputs_json ?? JSON.stringify(c.inputs), c.options_json ?? JSON.stringify({ as_of: c.as_of ?? "" })];
    return c.sweep ? JSON.parse(calculators.sweep(...texts)) : JSON.parse(calculators.answer(...texts)).result;
  } catch (err) {
    return { crash: String(err).slice(0, 2000) };
  }
});
const done = performance.now();

process.stdout.write(JSON.stringify({
  python: pyodide.runPython("import sys; sys.version.split()[0]"),
  platform: pyodide.runPython("import sys; sys.platform"),
  modules: pyodide.runPython("import calculators.api; calculators.api.__file__"),
  startup_ms: ready - started,
  run_ms: done - ready,
  results,
}));
