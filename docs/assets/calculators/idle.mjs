// The worker's idle-time jobs, beside its protocol: both wait until the reader pauses, so they never
// compete with the answer to a change. `changed()` is told of every request; `whenQuiet` runs a
// job once no request has come for a while (workers have no requestIdleCallback).

const seller = { requests: 0, lastChange: 0 }; // evaluate requests so far; performance.now() of the newest

/** A request came (or the form is about to ask): every waiting job waits for a new pause. */
export function changed(counts = true) {
  if (counts) seller.requests += 1;
  seller.lastChange = performance.now();
}

/**
 * Run `job` in a later task once the reader has paused: no request for `quiet()` ms (a function:
 * the pause needed may change while waiting).
 */
export function whenQuiet(quiet, job) {
  const due = () => {
    const left = quiet() - (performance.now() - seller.lastChange);
    if (left > 0) setTimeout(due, left);
    else job();
  };
  setTimeout(due);
}

// Python restored from the shipped snapshot skips its own start-up, and with it the 0.7 s of
// running that made V8 optimise the interpreter's hottest functions (dynamic tiering: a wasm
// function is optimised once it has run enough). So answers stay slower for a while (the
// figures are in design/decisions.md), and the code V8 caches for the next visit holds less
// optimised code (a later first answer 0.1 s slower). The cure is to run: after the first answer
// (while the page draws it and loads the chart), and later whenever the reader has paused for
// WARM_UP_AFTER_QUIET_MS, the worker answers their last request again, WARM_UP_STEPS times in all
// (about 0.6 s on a 2-core desktop), one step per task, so a change is answered between two steps
// and the steps wait for the next pause.
const WARM_UP_AFTER_QUIET_MS = 300;
const WARM_UP_STEPS = 200;

/** Warm the interpreter up by running `step()` (the last request again) in the reader's pauses. */
export function warmUp(step) {
  let steps = WARM_UP_STEPS;
  // Until the reader's first change after the first answer, no pause is needed.
  const pause = () => (seller.requests > 1 ? WARM_UP_AFTER_QUIET_MS : 0);
  const next = () => {
    try {
      step();
    } catch (error) {
      console.error(error); // our bug, as in a request: no more warming up
      return;
    }
    if (--steps > 0) whenQuiet(pause, next);
  };
  whenQuiet(pause, next); // after the first answer's sweep, already queued
}
