// The Python side of the calculators: a module Web Worker (Pyodide 314 needs one) that starts
// Python (boot.mjs) and answers the page's requests by id (protocol.mjs). It runs off the main
// thread so the page stays responsive while Python starts. Its two requests:
//   evaluate {name, inputs, asOf, today, made, lang, key, seq} -> {result, view}
//   sweep    (the same body, once the answer is drawn)        -> the chart's series, or null
// and its notices: status {stage}, ready {python, boot}, error {stage}, snapshot {kept}.
// Only JSON text crosses into Python (a JS null would arrive as `jsnull`, not None).
import { startCalculators } from "./boot.mjs";
import { changed, warmUp, whenQuiet } from "./idle.mjs";
import { notify, serve } from "./protocol.mjs";
import { keepSnapshot } from "./snapshot.mjs";

// How long a first visit waits for the shipped snapshot: 1 s, or the page's ?snapshot_wait=MS,
// which the client checks and passes on (client.mjs, snapshotWait).
const SHIPPED_WAIT_MS = 1000;
const askedWait = new URL(import.meta.url).searchParams.get("snapshot_wait");
// Keeping the snapshot means decompressing and writing 31 MB; done while the reader types, it
// competes with the answers to their changes (two cores: the page, this worker, the stream). So it
// starts once the form has been quiet for this long, and every change puts it off again.
const KEEP_AFTER_QUIET_MS = 2000;

let calculators = null; // calculators.worker.Calculators, bound to the policy bundle, once Python is up
let warmUpDue = false; // started from the shipped snapshot: the first answer starts the warm-up
let lastAnswered = null; // the newest request answered without input errors: {name, inputs, options}
const newest = new Map(); // form key -> the seq of its newest evaluate request

/**
 * One evaluate request: the answer (result and view). Input errors come back as an answer with
 * errors; anything else thrown is our bug, replied as failed (protocol.mjs), never a traceback.
 */
function evaluate(body) {
  if (body.key) newest.set(body.key, body.seq);
  changed(); // the reader is typing: keeping the snapshot and warming up wait
  const request = pythonRequest(body);
  const answer = JSON.parse(calculators.answer(request.name, request.inputs, request.options));
  if (!answer.result.errors) lastAnswered = request;
  if (warmUpDue && lastAnswered) {
    warmUpDue = false;
    warmUp(() => {
      calculators.answer(lastAnswered.name, lastAnswered.inputs, lastAnswered.options);
      calculators.sweep(lastAnswered.name, lastAnswered.inputs, lastAnswered.options);
    });
  }
  return answer;
}

/**
 * The chart's series for an answered request, in a later task: an evaluate that arrived meanwhile
 * for the same form (`key`) is answered first, and this older sweep, which the page would only
 * throw away, is skipped (null). A failing sweep costs the chart only, never the answer.
 */
async function sweep(body) {
  await new Promise((resolve) => setTimeout(resolve));
  if (body.key && newest.get(body.key) !== body.seq) return null;
  const { name, inputs, options } = pythonRequest(body);
  try {
    return JSON.parse(calculators.sweep(name, inputs, options));
  } catch (error) {
    console.error(error);
    return null;
  }
}

/** The JSON texts Python reads for a request: built here only, for answer() and sweep() alike. */
function pythonRequest(body) {
  // typed: the reader typed these figures, so "9,000" is read as 9000 (the CLI stays strict).
  // lang: the page's language ("en" or "zh"); Python writes every word of the answer in it.
  // made: the day the page's link was made; Python answers as of it when the link is older than today.
  const options = JSON.stringify({ as_of: body.asOf || "", today: body.today || "", made: body.made || "",
    typed: true, lang: body.lang || "en" });
  return { name: body.name, inputs: JSON.stringify(body.inputs), options };
}

/** Keep the snapshot for the next visit once the reader has paused; tell the page (tests wait for it). */
function keepWhenQuiet({ snapshot, gzipped }) {
  whenQuiet(() => KEEP_AFTER_QUIET_MS, () => keepSnapshot(snapshot, gzipped).then(
    () => notify(self, "snapshot", { kept: true }),
    (error) => {
      console.warn("calculators: the Python snapshot was not kept for the next visit", error);
      notify(self, "snapshot", { kept: false });
    }));
}

async function start() {
  const at = { stage: "python" };
  try {
    const wait = askedWait === null ? SHIPPED_WAIT_MS : Number(askedWait);
    const started = await startCalculators({ notify: (stage) => notify(self, "status", { stage }), at, wait });
    calculators = started.calculators;
    notify(self, "ready", { python: started.python, boot: started.restored ? "snapshot" : "normal" });
    changed(false); // the form is about to ask: a pause is counted from here
    if (started.refused) notify(self, "snapshot", { kept: false });
    else if (started.keep) keepWhenQuiet(started.keep);
    warmUpDue = started.fromShipped;
  } catch (error) {
    console.error(error);
    notify(self, "error", { stage: at.stage });
  }
}

serve(self, { evaluate, sweep });
start();
