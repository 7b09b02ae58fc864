// The Python side of the calculators: a module Web Worker that starts Pyodide (self-hosted under
// assets/pyodide/), installs the calculators wheel and answers evaluate requests. It runs off the
// main thread so the page stays responsive while Python starts. Module worker: Pyodide 314 needs it.
//
// Only JSON text crosses into Python (a JS null would arrive as `jsnull`, not None). Start-up
// failures are reported with the stage that failed, so the page can say what went wrong in words;
// the technical detail goes to the console only.
const assets = new URL("../", import.meta.url);
const here = new URL("calculators/", assets);
let calculators = null; // calculators.worker.Calculators, bound to the policy bundle, once Python is up
let stage = "python";

async function start() {
  post({ type: "status", stage: "download" });
  // Asked for at once, none waiting for another: Pyodide's loader, wheel.json (it names the
  // versioned files: the wheel, the precompiled stdlib and the snapshot) and the cache where an
  // earlier visit may have kept the snapshot. A missing loader is reported as Python's files.
  const loaderP = import("../pyodide/pyodide.mjs");
  const snapshotsP = openSnapshots();
  loaderP.catch(() => {});
  stage = "calculators";
  const boot = await fetch(new URL("wheel.json", here)).then(ok).then((r) => r.json());
  stage = "python";
  // Fetch the policy bundle and the calculators wheel while the interpreter starts; the wheel holds
  // only modules (precompiled to .pyc by the build), so unpacking it is all an install needs.
  const bundleP = fetch(new URL("policies.json", assets)).then(ok).then((r) => r.text());
  const wheelP = fetch(new URL(boot.wheel, here)).then(ok).then((r) => r.arrayBuffer());
  bundleP.catch(() => {}); // reported below, in order; avoid an unhandled rejection meanwhile
  wheelP.catch(() => {});
  const options = { indexURL: new URL("pyodide/", assets).href };
  if (boot.stdlib) options.stdLibURL = new URL(boot.stdlib, here).href; // .pyc: nothing to compile
  const { loadPyodide } = await loaderP;
  const kept = boot.snapshot ? await keptSnapshot(await snapshotsP, boot.snapshot) : null;
  const downloads = watchDownloads([options.indexURL, options.stdLibURL].filter(Boolean));
  let started;
  try {
    started = await Promise.race([startPython(loadPyodide, options, kept), downloads.failed]);
  } finally {
    downloads.stop();
  }
  const { pyodide, restored, refused } = started;
  // The stdlib's start set holds what start-up and the calculators import; any other module comes
  // from Pyodide's full stdlib, fetched once, synchronously (an import cannot wait), if ever needed.
  const fullStdlib = new URL("python_stdlib.zip", options.indexURL).href;
  pyodide.pyimport("_rest_of_stdlib").install(() => fetchNow(fullStdlib));
  post({ type: "status", stage: "calculators" });
  stage = "calculators";
  // The snapshot holds memory, not files: the wheel is unpacked again (its modules are already
  // imported, but anything read from disk later must be there).
  pyodide.unpackArchive(await wheelP, "wheel");
  const { Calculators } = pyodide.pyimport("calculators.worker");
  stage = "policies";
  // The policy bundle crosses into Python once, here (calculators/worker.py says why).
  calculators = Calculators(await bundleP);
  if (calculators.problem) throw new Error(calculators.problem); // a damaged policies.json fails here, not on every change
  post({ type: "ready", python: pyodide.runPython("import sys; sys.version.split()[0]"), boot: restored ? "snapshot" : "normal" });
  // Not on a line the reader asked to spare (Save-Data): 5 MB for a later visit is not theirs to pay;
  // nor again on the visit that refused it (the next visit fetches a fresh copy).
  if (!restored && !refused && boot.snapshot && self.caches && !self.navigator.connection?.saveData) {
    keepWhenQuiet(boot.snapshot);
  }
}

// Keeping the snapshot means decompressing and writing 31 MB; done while the reader types, it
// competes with the answers to their changes (two cores: the page, this worker, the stream). So it
// starts once the form has been quiet for this long, and every change puts it off again.
const KEEP_AFTER_QUIET_MS = 2000;
let keepLater = null; // () => void: (re)start the quiet wait; null once keeping has begun, or never will

function keepWhenQuiet(snapshot) {
  let timer;
  keepLater = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      keepLater = null;
      keepSnapshot(snapshot).catch((error) => {
        console.warn("calculators: the Python snapshot was not kept for the next visit", error);
        post({ type: "snapshot", kept: false });
      });
    }, KEEP_AFTER_QUIET_MS);
  };
  keepLater();
}

/**
 * Python restored from the snapshot when this browser already keeps it (a later visit), else a
 * normal start. Measured on a 10 Mbit/s line (bench/browser.py), the snapshot's extra 5 MB
 * (gzipped) cost a first visit more than they save, so a first visit never waits for it: it boots
 * normally and, after its first answer and once the reader pauses, keeps the snapshot for the next
 * visit. Any failure to restore (damaged bytes, another Pyodide build) falls back to the normal
 * start, and the kept copy is dropped.
 */
async function startPython(loadPyodide, options, kept) {
  let refused = false;
  if (kept) {
    try {
      // The bytes as a promise: loadPyodide reads its own JavaScript while they arrive from disk.
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: kept.arrayBuffer() });
      // Build-time state frozen into the snapshot: the random generator would give the same
      // numbers on every visit, and the time zone is the build machine's. (hash() randomisation
      // cannot be reseeded once dicts exist: it stays fixed per build; nothing here depends on it.)
      // os.environ is the browser's anyway: the build passes loadPyodide's default env, as here.
      // The last line checks that the restored interpreter runs and holds the calculators.
      const alive = pyodide.runPython(`import random, sys, time
random.seed()
if hasattr(time, "tzset"): time.tzset()
"calculators.worker" in sys.modules`);
      if (alive !== true) throw new Error("the restored interpreter lacks the calculators");
      return { pyodide, restored: true };
    } catch (error) {
      if (error instanceof DownloadFailed) throw error; // the line, not the kept copy: keep it
      console.warn("calculators: the Python snapshot could not be restored; starting Python normally", error);
      await dropSnapshot();
      refused = true;
    }
  }
  return { pyodide: await loadPyodide(options), restored: false, refused };
}

/** A file of Python's that did not download (refused, cut off, or answered with an error status). */
class DownloadFailed extends Error {}

/**
 * Watch the downloads of Python's own files (the wasm, the stdlib: URLs under `prefixes`) while
 * loadPyodide runs. Pyodide 314 swallows a failed wasm download (its instantiateWasm catches the
 * error, warns on the console and never settles), so without this a blocked or refused wasm would
 * wait for the page's 30-second limit and be reported as slow. `failed` rejects with DownloadFailed
 * as soon as such a fetch fails; a download that is merely slow never rejects it. Pyodide calls the
 * global fetch when it needs a file, so wrapping it for the start-up is enough; `stop()` puts the
 * original back. The worker runs nothing else meanwhile.
 */
function watchDownloads(prefixes) {
  const original = self.fetch;
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  failed.catch(() => {}); // a failure after start-up is nobody's concern: no unhandled rejection
  const watched = (url) => prefixes.some((prefix) => String(url?.url ?? url).startsWith(prefix));
  self.fetch = function (resource, init) {
    const response = original.call(this, resource, init);
    if (!watched(resource)) return response;
    const url = String(resource?.url ?? resource);
    response.then((answer) => {
      if (!answer.ok) fail(new DownloadFailed(`${url} answered ${answer.status}`));
    }, (error) => fail(new DownloadFailed(`${url} did not download: ${error}`)));
    return response;
  };
  return { failed, stop: () => { self.fetch = original; } };
}

// Where the snapshot is kept between visits: Cache Storage, decompressed (31 MB), under its
// versioned URL. Read back whole it costs a fraction of decompressing the shipped 5 MB again on
// every visit, which the HTTP cache would need. Cache Storage exists only in a secure context
// (https, or localhost): elsewhere every visit boots normally, from the precompiled stdlib.
const SNAPSHOTS = "calculators-python-snapshot";

/** The cache of kept snapshots, or null (no Cache Storage: not a secure context, or refused). */
async function openSnapshots() {
  try {
    return (await self.caches?.open(SNAPSHOTS)) ?? null;
  } catch {
    return null;
  }
}

/** The kept snapshot (a Response: its bytes are read as they are used), or null (a first visit,
 * another snapshot kept, or no Cache Storage). */
async function keptSnapshot(snapshots, snapshot) {
  try {
    return (await snapshots?.match(new URL(snapshot.url, here).href)) ?? null;
  } catch {
    return null;
  }
}

/**
 * Fetch the snapshot and keep it for the next visit, now that this one has its answer and the
 * reader has paused (keepWhenQuiet; workers have no requestIdleCallback). At low priority; a
 * seller who leaves meanwhile aborts it harmlessly. The sha256 is checked over
 * the bytes as shipped (gzipped), then they are decompressed straight into the cache, and only a
 * whole, verified stream is kept: a damaged download or a broken gzip stream keeps nothing. Any
 * older snapshot is dropped. Tells the page when it is kept (tests wait for it).
 */
async function keepSnapshot(snapshot) {
  const url = new URL(snapshot.url, here).href;
  const cache = await self.caches.open(SNAPSHOTS);
  const response = await fetch(url, { integrity: snapshot.integrity, priority: "low", cache: "no-store" }).then(ok);
  await cache.put(url, new Response(response.body.pipeThrough(new DecompressionStream("gzip"))));
  for (const old of await cache.keys()) if (old.url !== url) await cache.delete(old);
  post({ type: "snapshot", kept: true });
}

/** Forget the kept snapshot: the next visit boots normally and keeps a fresh copy. */
async function dropSnapshot() {
  await self.caches?.delete(SNAPSHOTS).catch(() => {});
}

/** The bytes at `url`, fetched synchronously (a worker may): for an import, which cannot wait. */
function fetchNow(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`${url} answered ${request.status}`);
  return new Uint8Array(request.response);
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
  keepLater?.(); // the reader is typing: the snapshot can wait
  let request;
  try {
    request = { name: data.name, inputs: JSON.stringify(data.inputs), options: requestOptions(data) };
    const { result, view } = JSON.parse(calculators.answer(request.name, request.inputs, request.options));
    // Input errors have no chart: say so in the answer rather than in a second message.
    post({ type: "result", id: data.id, result, view, sweep: result.errors ? null : "follows" });
    if (result.errors) return;
  } catch (error) {
    // answer() turns bad input into {"errors": [...]}; anything else is our bug, never shown as a traceback.
    console.error(error);
    post({ type: "failed", id: data.id });
    return;
  }
  setTimeout(() => post({ type: "sweep", id: data.id, sweep: stale(data) ? null : sweepFor(request) }));
};

/** The options JSON of an evaluate request: built here only, for answer() and sweep() alike. */
function requestOptions(data) {
  // typed: the reader typed these figures, so "9,000" is read as 9000 (the CLI stays strict).
  // lang: the page's language ("en" or "zh"); Python writes every word of the answer in it.
  return JSON.stringify({ as_of: data.asOf || "", today: data.today || "", typed: true, lang: data.lang || "en" });
}

/** The chart's series for a request, or null: a failing sweep costs the chart only, never the answer. */
function sweepFor({ name, inputs, options }) {
  try {
    return JSON.parse(calculators.sweep(name, inputs, options));
  } catch (error) {
    console.error(error);
    return null;
  }
}

start().catch((error) => {
  console.error(error);
  post({ type: "error", stage });
});
