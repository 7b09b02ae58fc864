// The message protocol between a page and the calculators' worker, in the shape of Pyodide's
// web-worker example: the worker answers each request under the request's id, and the page's side
// keeps one promise per id until its answer comes. Notices (the start-up's stages, "ready", the
// snapshot kept) carry no id: nobody asked for them. Nothing here knows Python, snapshots or forms,
// so either side can be tested with a MessageChannel (tests/protocol/).
//
//   request {id, type, body}   reply {id, type, ok: true, answer} or {id, type, ok: false}   notice {notice, ...}
// (A reply repeats its request's type, for whoever reads the messages: the console, a test.)

/** A request that failed in the worker (our bug: the worker logged it; the page says so in words). */
export class Failed extends Error {}
/** A request whose worker was thrown away before it answered (the Retry button starts another). */
export class SupersededError extends Error {}

/** Worker side: answer every request with `handlers[type](body)`, awaited; a throw is logged and replied as failed. */
export function serve(port, handlers) {
  port.addEventListener("message", async ({ data }) => {
    if (data?.id === undefined) return;
    try {
      if (!Object.hasOwn(handlers, data.type)) throw new Error(`no request called ${data.type}`);
      const answer = await handlers[data.type](data.body);
      port.postMessage({ id: data.id, type: data.type, ok: true, answer });
    } catch (error) {
      console.error(error);
      port.postMessage({ id: data.id, type: data.type, ok: false });
    }
  });
}

/** Worker side: tell the page something it did not ask for (a start-up stage, "ready"). */
export function notify(port, notice, details = {}) {
  port.postMessage({ notice, ...details });
}

/**
 * Page side: `request(type, body)` resolves with the worker's answer to it, or rejects with Failed;
 * notices go to `onNotice`. `close()` rejects every request still waiting with SupersededError.
 */
export function connect(port, onNotice) {
  const waiting = new Map(); // id -> {resolve, reject}
  let nextId = 0;
  port.addEventListener("message", ({ data }) => {
    if (data?.id === undefined) return onNotice(data);
    const asker = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.ok) asker?.resolve(data.answer);
    else asker?.reject(new Failed(`request ${data.id} failed in the worker`));
  });
  return {
    request(type, body) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        port.postMessage({ id, type, body });
      });
    },
    close() {
      for (const asker of waiting.values()) asker.reject(new SupersededError("the worker was replaced"));
      waiting.clear();
    },
  };
}
