// The worker client: one Python worker per browser tab, kept across instant page changes, and
// its start-up as a small state machine that cannot get stuck:
//
//   loading ──ready──► ready          (a "ready" that arrives after a timeout is still used)
//      └──error/timeout──► failed ──retry──► loading (a new worker; the old one's messages are ignored)
//
// States are codes; the words for them live in the form template (hooks/templates/calculator_form.html).
// Requests and their answers go through protocol.mjs, which matches each answer to its request by id.
import { SupersededError, connect } from "./protocol.mjs";

const DEFAULT_TIMEOUT_MS = 30_000;
// ?pyodide_timeout=MS shortens the start-up limit for diagnosis and tests; only sane values count.
const MIN_TIMEOUT_MS = 1_000;
const MAX_TIMEOUT_MS = 120_000;
// ?snapshot_wait=MS: how long a first visit waits for Python's shipped snapshot (worker.mjs), for
// diagnosis and tests; 0 (never) to 10,000 ms, whole.
const MAX_SNAPSHOT_WAIT_MS = 10_000;

const listeners = new Set();
let state = { phase: "idle" };
let worker = null;
let channel = null; // protocol.mjs's page side, for the current worker
let generation = 0; // which worker's notices count: a retried one supersedes the old
let seq = 0; // numbers evaluate requests: the worker skips the sweep of one a newer request of its form replaced
let kept = null; // whether the worker kept Python's snapshot for the next visit (null: not yet said)

/** The start-up limit from `?pyodide_timeout=` (milliseconds, 1,000-120,000), else 30 s. */
export function startTimeout(search = location.search) {
  return numberParameter(search, "pyodide_timeout", MIN_TIMEOUT_MS, MAX_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS;
}

/** Call `listener(state)` now and on every change; returns the unsubscribe function. */
export function subscribe(listener) {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** The wait from `?snapshot_wait=` (whole milliseconds, 0-10,000), else null: the worker's own 1 s. */
export function snapshotWait(search = location.search) {
  const ms = numberParameter(search, "snapshot_wait", 0, MAX_SNAPSHOT_WAIT_MS);
  return Number.isInteger(ms) ? ms : null;
}

/** The number in `?name=` of `search` if it lies in [min, max], else null ("" is no number, not 0). */
function numberParameter(search, name, min, max) {
  const asked = new URLSearchParams(search).get(name)?.trim();
  const value = asked ? Number(asked) : NaN;
  return Number.isFinite(value) && value >= min && value <= max ? value : null;
}

export const current = () => state;

/** true once the worker has kept Python's snapshot for the next visit, false if it could not. */
export const snapshotKept = () => kept;

/** Start the worker once per tab. */
export function start() {
  if (!worker) boot();
}

/** Throw the current worker away and start again (the Retry button): its waiting requests are superseded. */
export function retry() {
  worker?.terminate();
  worker = null;
  channel?.close();
  boot();
}

/**
 * Ask Python for a result; resolves with {type: "result", result, view, sweep} or {type: "failed"|"superseded"}.
 * The answer comes first; its `sweep` is a promise of the chart's series (null when there is none),
 * asked for once the answer is in. `request.key` names the form asking: a newer request with the
 * same key lets the worker skip the older one's sweep (its promise then gives null).
 */
export function evaluate(request) {
  const asked = { ...request, seq: ++seq };
  const rpc = channel;
  return rpc.request("evaluate", asked).then(({ result, view }) => {
    const sweep = result.errors ? Promise.resolve(null) : rpc.request("sweep", asked).catch(() => null);
    return { type: "result", result, view, sweep };
  }, (error) => ({ type: error instanceof SupersededError ? "superseded" : "failed", sweep: Promise.resolve(null) }));
}

function boot() {
  const mine = ++generation;
  const limit = startTimeout();
  const script = new URL("./worker.mjs", import.meta.url);
  const wait = snapshotWait();
  if (wait !== null) script.searchParams.set("snapshot_wait", String(wait));
  const own = new Worker(script, { type: "module" });
  worker = own;
  setState({ phase: "loading", stage: "start" });
  const timer = setTimeout(() => {
    if (mine === generation && state.phase === "loading") setState({ phase: "failed", reason: "timeout", seconds: limit / 1000 });
  }, limit);
  channel = connect(own, (data) => {
    if (mine !== generation) return; // a superseded worker: ignore whatever it says
    if (data.notice === "status" && state.phase === "loading") setState({ phase: "loading", stage: data.stage });
    // boot: "snapshot" or "normal", how the worker started Python (for tests and diagnosis).
    else if (data.notice === "ready") clearTimeout(timer), setState({ phase: "ready", boot: data.boot });
    else if (data.notice === "error") clearTimeout(timer), setState({ phase: "failed", reason: data.stage });
    else if (data.notice === "snapshot") kept = data.kept;
  });
  own.addEventListener("error", (event) => {
    event.preventDefault();
    if (mine !== generation) return;
    clearTimeout(timer);
    setState({ phase: "failed", reason: "worker" });
  });
}

function setState(next) {
  state = next;
  for (const listener of listeners) listener(state);
}
