// The Python side of the calculators: a module Web Worker that starts Pyodide (self-hosted under
// assets/pyodide/), installs the calculators wheel and answers evaluate requests. It runs off the
// main thread so the page stays responsive while Python starts. Module worker: Pyodide 314 needs it.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const assets = new URL("../", import.meta.url);
let bundleJson = null;
let runJson = null;

async function start() {
  post({ type: "status", stage: "Downloading Python…" });
  // Fetch the policy bundle and the calculators wheel while the interpreter starts; the wheel is
  // pure Python, so unpacking it into site-packages is all an install needs.
  const bundleP = fetch(new URL("policies.json", assets)).then(ok).then((r) => r.text());
  const wheelP = fetch(new URL("calculators/wheel.json", assets)).then(ok).then((r) => r.json())
    .then((wheel) => fetch(new URL(`calculators/${wheel.wheel}`, assets))).then(ok).then((r) => r.arrayBuffer());
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", assets).href });
  post({ type: "status", stage: "Loading the calculators…" });
  pyodide.unpackArchive(await wheelP, "wheel");
  bundleJson = await bundleP;
  runJson = pyodide.pyimport("calculators.api").run_json;
  post({ type: "ready", python: pyodide.runPython("import sys; sys.version.split()[0]") });
}

function ok(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return response;
}

function post(message) {
  self.postMessage(message);
}

self.onmessage = ({ data }) => {
  if (data.type !== "evaluate") return;
  try {
    // Only JSON text crosses into Python: a JS null would arrive as `jsnull`, not None.
    const options = JSON.stringify({ as_of: data.asOf || "", today: data.today || "" });
    const text = runJson(bundleJson, data.name, JSON.stringify(data.inputs), options);
    post({ type: "result", id: data.id, result: JSON.parse(text) });
  } catch (error) {
    // run_json turns bad input into {"errors": [...]}; anything else is our bug, never shown as a traceback.
    console.error(error);
    post({ type: "failed", id: data.id, message: "The calculator hit an internal error. Please report it." });
  }
};

start().catch((error) => {
  console.error(error);
  post({ type: "error", message: String(error && error.message ? error.message : error).split("\n")[0] });
});
