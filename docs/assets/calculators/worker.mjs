// The Python side of the calculators: a module Web Worker that starts Pyodide (self-hosted under
// assets/pyodide/), installs the calculators wheel and answers evaluate requests. It runs off the
// main thread so the page stays responsive while Python starts. Module worker: Pyodide 314 needs it.
//
// Only JSON text crosses into Python (a JS null would arrive as `jsnull`, not None). Start-up
// failures are reported with the stage that failed, so the page can say what went wrong in words;
// the technical detail goes to the console only.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const assets = new URL("../", import.meta.url);
const here = new URL("calculators/", assets);
let bundleJson = null;
let api = null;
let stage = "python";

async function start() {
  post({ type: "status", stage: "download" });
  // wheel.json names the versioned files: the wheel, the precompiled stdlib and the snapshot.
  stage = "calculators";
  const boot = await fetch(new URL("wheel.json", here)).then(ok).then((r) => r.json());
  stage = "python";
  // Fetch the policy bundle and the calculators wheel while the interpreter starts; the wheel is
  // pure Python, so unpacking it into site-packages is all an install needs.
  const bundleP = fetch(new URL("policies.json", assets)).then(ok).then((r) => r.text());
  const wheelP = fetch(new URL(boot.wheel, here)).then(ok).then((r) => r.arrayBuffer());
  bundleP.catch(() => {}); // reported below, in order; avoid an unhandled rejection meanwhile
  wheelP.catch(() => {});
  const options = { indexURL: new URL("pyodide/", assets).href };
  if (boot.stdlib) options.stdLibURL = new URL(boot.stdlib, here).href; // .pyc: nothing to compile
  const { pyodide, restored } = await startPython(options, boot.snapshot);
  post({ type: "status", stage: "calculators" });
  stage = "calculators";
  // The snapshot holds memory, not files: the wheel is unpacked again (its modules are already
  // imported, but anything read from disk later must be there).
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
  post({ type: "ready", python: pyodide.runPython("import sys; sys.version.split()[0]"), boot: restored ? "snapshot" : "normal" });
  // Not on a line the reader asked to spare (Save-Data): 5 MB for a later visit is not theirs to pay.
  if (!restored && boot.snapshot && !self.navigator.connection?.saveData) fetchSnapshotLater(boot.snapshot);
}

/**
 * Python restored from the snapshot when this browser already holds it (a later visit), else a
 * normal start. Measured on a 10 Mbit/s line (bench/browser.py), the snapshot's extra 5 MB
 * (gzipped) cost a first visit more than they save, so a first visit never waits for it: it boots
 * normally and fetches the snapshot once Python is ready, for the next visit. Any failure to
 * restore (damaged bytes, another Pyodide build) falls back to the normal start.
 */
async function startPython(options, snapshot) {
  const bytes = snapshot ? await cachedSnapshot(snapshot) : null;
  if (bytes) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: bytes });
      // Build-time state frozen into the snapshot: the random generator would give the same
      // numbers on every visit, and the time zone is the build machine's. (hash() randomisation
      // cannot be reseeded once dicts exist: it stays fixed per build; nothing here depends on it.)
      // os.environ is the browser's anyway: the build passes loadPyodide's default env, as here.
      // The last line checks that the restored interpreter runs and holds the calculators.
      const alive = pyodide.runPython(`import random, sys, time
random.seed()
if hasattr(time, "tzset"): time.tzset()
"calculators.api" in sys.modules and "calculators.present" in sys.modules`);
      if (alive !== true) throw new Error("the restored interpreter lacks the calculators");
      return { pyodide, restored: true };
    } catch (error) {
      console.warn("calculators: the Python snapshot could not be restored; starting Python normally", error);
    }
  }
  return { pyodide: await loadPyodide(options), restored: false };
}

/**
 * The snapshot's bytes if the HTTP cache holds them whole, else null. The build ships it gzipped
 * (31 MB of memory, about 5 MB as shipped), so no host has to compress it; its sha256 is checked
 * over the bytes as shipped, then they are decompressed here.
 */
async function cachedSnapshot(snapshot) {
  let response;
  try {
    response = await fetch(new URL(snapshot.url, here),
      { cache: "only-if-cached", mode: "same-origin", integrity: snapshot.integrity });
    if (!response.ok) return null;
  } catch {
    return null; // not cached (a first visit), or cached but damaged: the integrity check refused it
  }
  try {
    const raw = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(raw).arrayBuffer());
  } catch (error) {
    console.warn("calculators: the Python snapshot could not be decompressed; starting Python normally", error);
    return null;
  }
}

/**
 * Fetch the snapshot into the HTTP cache for the next visit, now that this one has its answer.
 * At once, at low priority: this worker is idle until the reader types, and a seller who leaves
 * within seconds aborts it harmlessly. (Workers have no requestIdleCallback.)
 */
function fetchSnapshotLater(snapshot) {
  const get = (cache) => fetch(new URL(snapshot.url, here), { integrity: snapshot.integrity, priority: "low", cache })
    .then((r) => r.arrayBuffer());
  // A damaged cached copy fails the integrity check: fetch it again from the host.
  get("default").catch(() => get("reload")).catch(() => {});
}

function ok(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return response;
}

function post(message) {
  self.postMessage(message);
}

const newest = new Map(); // form key -> the id of its newest evaluate request
const stale = (data) => Boolean(data.key) && newest.get(data.key) !== data.id;

/**
 * One evaluate request: the answer (result and view) is posted at once, and the chart's series
 * (calculators/sweep.py) follows as its own "sweep" message with the same id, so the page draws
 * the answer without waiting for the sweep. The sweep runs in a later task: an evaluate that
 * arrived meanwhile for the same form (`key`) is answered first, and the older sweep, which the
 * page would only throw away, is skipped (posted as null so nothing waits for it).
 */
self.onmessage = ({ data }) => {
  if (data.type !== "evaluate") return;
  if (data.key) newest.set(data.key, data.id);
  let request;
  try {
    request = { name: data.name, inputs: JSON.stringify(data.inputs), options: requestOptions(data) };
    const resultJson = api.run(bundleJson, request.name, request.inputs, request.options);
    const view = JSON.parse(api.view(bundleJson, request.name, request.inputs, resultJson, request.options));
    const result = JSON.parse(resultJson);
    // Input errors have no chart: say so in the answer rather than in a second message.
    post({ type: "result", id: data.id, result, view, sweep: result.errors ? null : "follows" });
    if (result.errors) return;
  } catch (error) {
    // run_json turns bad input into {"errors": [...]}; anything else is our bug, never shown as a traceback.
    console.error(error);
    post({ type: "failed", id: data.id });
    return;
  }
  setTimeout(() => post({ type: "sweep", id: data.id, sweep: stale(data) ? null : sweepFor(request) }));
};

/** The options JSON of an evaluate request: built here only, for run_json and sweep_json alike. */
function requestOptions(data) {
  // typed: the reader typed these figures, so "9,000" is read as 9000 (the CLI stays strict).
  // lang: the page's language ("en" or "zh"); Python writes every word of the answer in it.
  return JSON.stringify({ as_of: data.asOf || "", today: data.today || "", typed: true, lang: data.lang || "en" });
}

/** The chart's series for a request, or null: a failing sweep costs the chart only, never the answer. */
function sweepFor({ name, inputs, options }) {
  try {
    return JSON.parse(api.sweep(bundleJson, name, inputs, options));
  } catch (error) {
    console.error(error);
    return null;
  }
}

start().catch((error) => {
  console.error(error);
  post({ type: "error", stage });
});
