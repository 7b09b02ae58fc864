// The Python side of the calculators: a module Web Worker that starts Pyodide (self-hosted under
// assets/pyodide/), installs the calculators wheel and answers evaluate requests. It runs off the
// main thread so the page stays responsive while Python starts. Module worker: Pyodide 314 needs it.
//
// Only JSON text crosses into Python (a JS null would arrive as `jsnull`, not None). Start-up
// failures are reported with the stage that failed, so the page can say what went wrong in words;
// the technical detail goes to the console only.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const assets = new URL("../", import.meta.url);
let bundleJson = null;
let api = null;
let stage = "python";

async function start() {
  post({ type: "status", stage: "download" });
  // Fetch the policy bundle and the calculators wheel while the interpreter starts; the wheel is
  // pure Python, so unpacking it into site-packages is all an install needs.
  const bundleP = fetch(new URL("policies.json", assets)).then(ok).then((r) => r.text());
  const wheelP = fetch(new URL("calculators/wheel.json", assets)).then(ok).then((r) => r.json())
    .then((wheel) => fetch(new URL(`calculators/${wheel.wheel}`, assets))).then(ok).then((r) => r.arrayBuffer());
  bundleP.catch(() => {}); // reported below, in order; avoid an unhandled rejection meanwhile
  wheelP.catch(() => {});
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", assets).href });
  post({ type: "status", stage: "calculators" });
  stage = "calculators";
  pyodide.unpackArchive(await wheelP, "wheel");
  api = {
    run: pyodide.pyimport("calculators.api").run_json,
    view: pyodide.pyimport("calculators.present").view_json,
    check: pyodide.pyimport("calculators.api").check_bundle_json,
    sweep: pyodide.pyimport("calculators.sweep").sweep_json,
  };
  stage = "policies";
  bundleJson = await bundleP;
  const problem = api.check(bundleJson); // a damaged policies.json fails here, not on every change
  if (problem) throw new Error(problem);
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
    const inputs = JSON.stringify(data.inputs);
    // typed: the reader typed these figures, so "9,000" is read as 9000 (the CLI stays strict).
    const options = JSON.stringify({ as_of: data.asOf || "", today: data.today || "", typed: true });
    const resultJson = api.run(bundleJson, data.name, inputs, options);
    const view = JSON.parse(api.view(bundleJson, data.name, inputs, resultJson));
    const result = JSON.parse(resultJson);
    // The chart's series (calculators/sweep.py): a millisecond or two; null for input errors.
    // A failing sweep costs the chart only, never the answer.
    let sweep = null;
    if (!result.errors) {
      try {
        sweep = JSON.parse(api.sweep(bundleJson, data.name, inputs, options));
      } catch (error) {
        console.error(error);
      }
    }
    post({ type: "result", id: data.id, result, view, sweep });
  } catch (error) {
    // run_json turns bad input into {"errors": [...]}; anything else is our bug, never shown as a traceback.
    console.error(error);
    post({ type: "failed", id: data.id });
  }
};

start().catch((error) => {
  console.error(error);
  post({ type: "error", stage });
});
