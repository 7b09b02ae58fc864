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
// How long a first visit waits for the shipped snapshot (shippedSnapshot): 1 s, or the page's
// ?snapshot_wait=MS, which the client checks and passes on (client.mjs, snapshotWait).
const SHIPPED_WAIT_MS = 1000;
const askedWait = new URL(import.meta.url).searchParams.get("snapshot_wait");
const shippedWait = askedWait === null ? SHIPPED_WAIT_MS : Number(askedWait);

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
  // Python's own files are asked for now, not when loadPyodide reaches them, so the wait for the
  // shipped snapshot below costs them no time; its JavaScript is read meanwhile too.
  const downloads = startDownloads([new URL("pyodide.asm.wasm", options.indexURL).href, options.stdLibURL].filter(Boolean));
  import(new URL("pyodide.asm.mjs", options.indexURL).href).catch(() => {}); // loadPyodide imports it again: the same module
  const line = self.navigator.connection;
  const spare = Boolean(line?.saveData); // the reader asked to spare their line: no snapshot's 5 MB
  const slow = ["slow-2g", "2g", "3g"].includes(line?.effectiveType);
  let started, kept = null, shipped = null;
  try {
    const { loadPyodide } = await loaderP;
    kept = boot.snapshot ? await keptSnapshot(await snapshotsP, boot.snapshot) : null;
    shipped = boot.snapshot && !kept && !spare && !slow ? await Promise.race([shippedSnapshot(boot.snapshot, shippedWait), downloads.failed]) : null;
    const snapshot = kept ? { bytes: kept.arrayBuffer(), kept: true } : shipped && { bytes: shipped.bytes, kept: false };
    started = await Promise.race([startPython(loadPyodide, options, snapshot), downloads.failed]);
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
  // Kept for the next visit, unless this visit started from the kept copy, or refused a snapshot
  // (the next visit fetches a fresh copy), or the reader asked to spare the line. The shipped
  // snapshot this visit started from is kept from the bytes in hand; otherwise it is fetched.
  lastChange = performance.now(); // the form is about to ask: a pause is counted from here
  if (refused) post({ type: "snapshot", kept: false });
  else if (!(restored && kept) && boot.snapshot && self.caches && !spare) {
    const gzipped = restored ? shipped.gzipped : null;
    whenQuiet(() => KEEP_AFTER_QUIET_MS, () => keepSnapshot(boot.snapshot, gzipped).catch((error) => {
      console.warn("calculators: the Python snapshot was not kept for the next visit", error);
      post({ type: "snapshot", kept: false });
    }));
  }
  warmUpDue = restored && !kept;
}

/**
 * Run `job` in a later task once the reader has paused: no evaluate request for `quiet()` ms (a
 * function: the pause needed may change while waiting). Both idle-time jobs wait this way: keeping
 * the snapshot and warming up.
 */
function whenQuiet(quiet, job) {
  const due = () => {
    const left = quiet() - (performance.now() - lastChange);
    if (left > 0) setTimeout(due, left);
    else job();
  };
  setTimeout(due);
}

// Python restored from the shipped snapshot skips its own start-up, and with it the 0.7 s of
// running that made V8 optimise the interpreter's hottest functions (dynamic tiering: a wasm
// function is optimised once it has run enough). So answers stay slower for a while (the
// figures are in design/decisions.md), and the code V8 caches for
// the next visit holds less optimised code (a later first answer 0.1 s slower). The cure is to
// run: after the first answer (while the page draws it and loads the chart), and later whenever
// the reader has paused for WARM_UP_AFTER_QUIET_MS, the worker answers their last request again,
// WARM_UP_STEPS times in all (about 0.6 s on a 2-core desktop), one step per task, so a change is answered
// between two steps and the steps wait for the next pause.
const WARM_UP_AFTER_QUIET_MS = 300;
const WARM_UP_STEPS = 200;
let warmUpDue = false; // set by a start from the shipped snapshot; the first answer starts the warm-up
let requests = 0; // evaluate requests so far
let lastChange = 0; // performance.now() of the newest one (or of "ready")
let lastAnswered = null; // the newest request answered without input errors: {name, inputs, options}

function warmUp() {
  let steps = WARM_UP_STEPS;
  // Until the reader's first change after the first answer, no pause is needed.
  const pause = () => (requests > 1 ? WARM_UP_AFTER_QUIET_MS : 0);
  const step = () => {
    try {
      calculators.answer(lastAnswered.name, lastAnswered.inputs, lastAnswered.options);
      calculators.sweep(lastAnswered.name, lastAnswered.inputs, lastAnswered.options);
    } catch (error) {
      console.error(error); // our bug, as in onmessage: no more warming up
      return;
    }
    if (--steps > 0) whenQuiet(pause, step);
  };
  whenQuiet(pause, step); // after the first answer's sweep, already queued
}

/**
 * The shipped snapshot for a first visit, when the line is fast enough to make it worth its
 * 5 MB: the snapshot skips Python's start-up (0.7 s of a 1.7 s cold start on a 2-core desktop,
 * more on a slower one), and fetching it beside Python's own files costs that much only on a fast
 * line. A browser does not say how fast its line is (Chromium's navigator.connection stops at
 * 10 Mbit/s), so the download itself decides: the snapshot is used only if it arrives whole within
 * `wait` ms of being asked for; otherwise it is abandoned and Python starts normally. (A rate
 * measured early would decide sooner, but on a busy machine the first bytes come in bursts: a fast
 * line looked slow.) On the bench's 10 Mbit/s line the wait, and the bytes the snapshot took
 * meanwhile from Python's own files, cost a first visit about 0.1 s of 6. It is decompressed as
 * it arrives, and its sha256 checked at the end. Resolves to {bytes (decompressed, for loadPyodide), gzipped (as shipped, to keep)}, or null.
 */
async function shippedSnapshot(snapshot, wait) {
  if (!wait || !self.crypto?.subtle) return null; // no sha256 to check it by outside a secure context
  const abandon = new AbortController();
  const timer = setTimeout(() => abandon.abort(), wait);
  try {
    // cache: no-store: if kept, it is kept decompressed in Cache Storage, not twice.
    const response = await fetch(new URL(snapshot.url, here), { cache: "no-store", signal: abandon.signal }).then(ok);
    const [shipped, unpacking] = response.body.tee();
    const bytesP = new Response(unpacking.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    bytesP.catch(() => {}); // abandoned or broken: said below, once
    const gzipped = await new Response(shipped).arrayBuffer();
    clearTimeout(timer);
    const digest = await crypto.subtle.digest("SHA-256", gzipped);
    if (`sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}` !== snapshot.integrity) {
      throw new Error("its sha256 is not the one wheel.json gives");
    }
    return { bytes: await bytesP, gzipped };
  } catch (error) {
    if (!abandon.signal.aborted) console.warn("calculators: the shipped Python snapshot is not used; starting Python normally", error);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// Keeping the snapshot means decompressing and writing 31 MB; done while the reader types, it
// competes with the answers to their changes (two cores: the page, this worker, the stream). So it
// starts once the form has been quiet for this long (whenQuiet), and every change puts it off again.
const KEEP_AFTER_QUIET_MS = 2000;

/**
 * Python restored from a snapshot when there is one: the copy this browser kept on an earlier
 * visit, or, on a first visit, the shipped one if the line brought it in time (shippedSnapshot).
 * Otherwise, or if restoring fails (damaged bytes, another Pyodide build), a normal start; a kept
 * copy that failed is dropped, and `refused` says not to keep a snapshot on this visit.
 * `snapshot`: {bytes: the decompressed bytes or a promise of them, kept: whether from the cache}, or null.
 */
async function startPython(loadPyodide, options, snapshot) {
  let refused = false;
  if (snapshot) {
    try {
      // The bytes may be a promise: loadPyodide reads its own JavaScript while they arrive from disk.
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot.bytes });
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
      if (error instanceof DownloadFailed) throw error; // the line, not the snapshot: keep it
      console.warn("calculators: the Python snapshot could not be restored; starting Python normally", error);
      if (snapshot.kept) await dropSnapshot();
      refused = true;
    }
  }
  return { pyodide: await loadPyodide(options), restored: false, refused };
}

/** A file of Python's that did not download (refused, cut off, or answered with an error status). */
class DownloadFailed extends Error {}

/**
 * Start-up's downloads of Python's own files (the wasm and the stdlib, `files`), asked for at once
 * and handed to Pyodide when it asks for them (each once), and watched while loadPyodide runs,
 * a second start's requests for them too. Pyodide 314 swallows a failed
 * wasm download (its instantiateWasm catches the error, warns on the console and never settles),
 * so without this a blocked or refused wasm would wait for the page's 30-second limit and be
 * reported as slow. `failed` rejects with DownloadFailed as soon as such a fetch fails; a download
 * that is merely slow never rejects it. Pyodide calls the global fetch when it needs a file, so
 * wrapping it for the start-up is enough; `stop()` puts the original back. The worker runs
 * nothing else meanwhile.
 */
function startDownloads(files) {
  const original = self.fetch;
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  failed.catch(() => {}); // a failure after start-up is nobody's concern: no unhandled rejection
  const watch = (url, response) => {
    response.then((answer) => {
      if (!answer.ok) fail(new DownloadFailed(`${url} answered ${answer.status}`));
    }, (error) => fail(new DownloadFailed(`${url} did not download: ${error}`)));
    return response;
  };
  const early = new Map(files.map((file) => [file, watch(file, original.call(self, file))]));
  self.fetch = function (resource, init) {
    const url = String(resource?.url ?? resource);
    const asked = early.get(url);
    early.delete(url); // once: a second start (after a refused snapshot) asks the HTTP cache
    if (asked) return asked;
    const response = original.call(this, resource, init);
    return files.includes(url) ? watch(url, response) : response;
  };
  return { failed, stop: () => { self.fetch = original; } };
}

// Where the snapshot is kept between visits: Cache Storage, decompressed (31 MB), under its
// versioned URL. Read back whole it costs a fraction of decompressing the shipped 5 MB again on
// every visit, which the HTTP cache would need. Cache Storage exists only in a secure context
// (https, or localhost): elsewhere nothing is kept, and every visit starts as a first one.
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
 * Keep the snapshot for the next visit, now that this one has its answer and the reader has
 * paused (whenQuiet; workers have no requestIdleCallback): from `gzipped`, the bytes as
 * shipped that this visit was started from, or else fetched, at low priority (a seller who leaves
 * meanwhile aborts it harmlessly), with the sha256 checked over the bytes as shipped. They are
 * decompressed straight into the cache, and only a whole stream is kept: a damaged download or a
 * broken gzip stream keeps nothing. Any older snapshot is dropped. Tells the page when it is kept
 * (tests wait for it).
 */
async function keepSnapshot(snapshot, gzipped) {
  const url = new URL(snapshot.url, here).href;
  const cache = await self.caches.open(SNAPSHOTS);
  const shipped = gzipped
    ? new Blob([gzipped]).stream()
    : (await fetch(url, { integrity: snapshot.integrity, priority: "low", cache: "no-store" }).then(ok)).body;
  await cache.put(url, new Response(shipped.pipeThrough(new DecompressionStream("gzip"))));
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
  requests += 1;
  lastChange = performance.now(); // the reader is typing: keeping the snapshot and warming up wait (whenQuiet)
  let request;
  try {
    request = { name: data.name, inputs: JSON.stringify(data.inputs), options: requestOptions(data) };
    const { result, view } = JSON.parse(calculators.answer(request.name, request.inputs, request.options));
    // Input errors have no chart: say so in the answer rather than in a second message.
    post({ type: "result", id: data.id, result, view, sweep: result.errors ? null : "follows" });
    if (result.errors) return;
    lastAnswered = request;
  } catch (error) {
    // answer() turns bad input into {"errors": [...]}; anything else is our bug, never shown as a traceback.
    console.error(error);
    post({ type: "failed", id: data.id });
    return;
  }
  setTimeout(() => post({ type: "sweep", id: data.id, sweep: stale(data) ? null : sweepFor(request) }));
  if (warmUpDue) {
    warmUpDue = false;
    warmUp();
  }
};

/** The options JSON of an evaluate request: built here only, for answer() and sweep() alike. */
function requestOptions(data) {
  // typed: the reader typed these figures, so "9,000" is read as 9000 (the CLI stays strict).
  // lang: the page's language ("en" or "zh"); Python writes every word of the answer in it.
  // made: the day the page's link was made; Python answers as of it when the link is older than today.
  return JSON.stringify({ as_of: data.asOf || "", today: data.today || "", made: data.made || "", typed: true,
    lang: data.lang || "en" });
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
