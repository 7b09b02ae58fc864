// The stdlib's start set and _rest_of_stdlib under Node, as the worker installs them, with the full
// stdlib "fetched" from node_modules (synchronously, as the worker's request is), counting fetches.
// usage: node rest_of_stdlib.mjs PYODIDE_DIR STDLIB_PATH  -> prints {fetches, results: {name: outcome}}
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stdlibPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdLibURL: stdlibPath, stdout: () => {},
  stderr: console.error });
let fetches = 0;
pyodide.runPython(`
import importlib

def outcome(name):
    try:
        return "imported from " + importlib.import_module(name).__file__
    except ImportError:
        return "ImportError"`);
const outcome = pyodide.globals.get("outcome");
// Before the finder: what the start set alone holds.
const results = { before: outcome("xml.dom.minidom") };
pyodide.pyimport("_rest_of_stdlib").install(() => {
  fetches += 1;
  return new Uint8Array(readFileSync(path.join(pyodideDir, "python_stdlib.zip")));
});
for (const name of ["xml.dom.minidom", "wsgiref.simple_server", "not_a_module_at_all", "_curses"]) {
  results[name] = outcome(name);
}
results.parsed = pyodide.runPython(`import xml.dom.minidom; xml.dom.minidom.parseString("<a>1</a>").documentElement.tagName`);
process.stdout.write(JSON.stringify({ fetches, results }));
