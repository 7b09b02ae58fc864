// Python's start in the worker, beside its protocol: Pyodide's files (self-hosted under
// assets/pyodide/), the calculators wheel and the policy bundle asked for at once, Python started
// from a snapshot when there is one in time (snapshot.mjs) or normally, and the calculators bound
// to the bundle. Failures name the stage that failed (`at.stage`), so the page can say in words
// what went wrong; the technical detail goes to the console only.
import { dropSnapshot, keptSnapshot, ok, openSnapshots, shippedSnapshot } from "./snapshot.mjs";

const assets = new URL("../", import.meta.url);
const here = new URL("calculators/", assets);

/**
 * Start Python and bind the calculators to the policy bundle. `notify(stage)` tells the page of a
 * stage reached; `at.stage` names the stage running, for the page's words if one fails; `wait` is
 * how long a first visit waits for the shipped snapshot. Resolves to {calculators, python,
 * restored, keep}: `keep(gzipped?)` is null when this visit must not keep a snapshot, else the
 * snapshot to keep (and the bytes in hand, when it started from the shipped copy).
 */
export async function startCalculators({ notify, at, wait }) {
  notify("download");
  // Asked for at once, none waiting for another: Pyodide's loader, wheel.json (it names the
  // versioned files: the wheel, the precompiled stdlib and the snapshot) and the cache where an
  // earlier visit may have kept the snapshot. A missing loader is reported as Python's files.
  const loaderP = import("../pyodide/pyodide.mjs");
  const snapshotsP = openSnapshots();
  loaderP.catch(() => {});
  at.stage = "calculators";
  const boot = await fetch(new URL("wheel.json", here)).then(ok).then((r) => r.json());
  at.stage = "python";
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
    shipped = boot.snapshot && !kept && !spare && !slow ? await Promise.race([shippedSnapshot(boot.snapshot, wait), downloads.failed]) : null;
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
  notify("calculators");
  at.stage = "calculators";
  // The snapshot holds memory, not files: the wheel is unpacked again (its modules are already
  // imported, but anything read from disk later must be there).
  pyodide.unpackArchive(await wheelP, "wheel");
  const { Calculators } = pyodide.pyimport("calculators.worker");
  at.stage = "policies";
  // The policy bundle crosses into Python once, here (calculators/worker.py says why).
  const calculators = Calculators(await bundleP);
  if (calculators.problem) throw new Error(calculators.problem); // a damaged policies.json fails here, not on every change
  // Kept for the next visit, unless this visit started from the kept copy, or refused a snapshot
  // (the next visit fetches a fresh copy), or the reader asked to spare the line. The shipped
  // snapshot this visit started from is kept from the bytes in hand; otherwise it is fetched.
  const keep = !refused && !(restored && kept) && boot.snapshot && self.caches && !spare
    ? { snapshot: boot.snapshot, gzipped: restored ? shipped.gzipped : null } : null;
  return { calculators, python: pyodide.runPython("import sys; sys.version.split()[0]"), restored, refused,
    fromShipped: restored && !kept, keep };
}

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

/** The bytes at `url`, fetched synchronously (a worker may): for an import, which cannot wait. */
function fetchNow(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`${url} answered ${request.status}`);
  return new Uint8Array(request.response);
}
