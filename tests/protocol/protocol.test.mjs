// The worker's message protocol (docs/assets/calculators/protocol.mjs) over a real MessageChannel,
// as the page and the worker use it: answers reach their own request by id, whatever their order.
// Run by tests/test_worker_protocol.py with `node --test`.
import assert from "node:assert/strict";
import { MessageChannel } from "node:worker_threads";
import { test } from "node:test";

import { Failed, SupersededError, connect, notify, serve } from "../../docs/assets/calculators/protocol.mjs";

/** A page side and a worker side joined by a channel; `handlers` answer on the worker side. */
function pair(handlers, onNotice = () => {}) {
  const { port1: page, port2: worker } = new MessageChannel();
  serve(worker, handlers);
  const client = connect(page, onNotice);
  page.start(); // a MessagePort listened to with addEventListener delivers only once started
  worker.start();
  return { client, page, worker, done: () => { page.close(); worker.close(); } };
}

test("each answer reaches the request that asked, even when a later one is answered first", { timeout: 10_000 }, async () => {
  let releaseSlow;
  const slowGate = new Promise((resolve) => { releaseSlow = resolve; });
  const { client, done } = pair({ echo: async ({ text, slow }) => { if (slow) await slowGate; return text.toUpperCase(); } });
  const first = client.request("echo", { text: "first", slow: true });
  const second = client.request("echo", { text: "second" });
  assert.equal(await second, "SECOND"); // answered while the first still waits
  releaseSlow();
  assert.equal(await first, "FIRST");
  done();
});

test("a request the worker fails on rejects with Failed, and the next one is answered", { timeout: 10_000 }, async () => {
  const quiet = console.error;
  console.error = () => {}; // the worker logs its own bug; the test needs no noise
  const { client, done } = pair({ divide: ({ by }) => { if (by === 0) throw new Error("by zero"); return 12 / by; } });
  try {
    await assert.rejects(client.request("divide", { by: 0 }), Failed);
    await assert.rejects(client.request("no-such-request", {}), Failed);
    assert.equal(await client.request("divide", { by: 4 }), 3);
  } finally {
    console.error = quiet;
    done();
  }
});

test("notices carry no id: they go to the listener, and a waiting request still gets its answer", { timeout: 10_000 }, async () => {
  const notices = [];
  let gotNotice;
  const noticed = new Promise((resolve) => { gotNotice = resolve; });
  const { client, worker, done } = pair({ ping: () => "pong" }, (notice) => { notices.push(notice); gotNotice(); });
  notify(worker, "status", { stage: "download" });
  assert.equal(await client.request("ping", {}), "pong");
  await noticed;
  assert.deepEqual(notices, [{ notice: "status", stage: "download" }]);
  done();
});

test("closing the page side supersedes every request still waiting", { timeout: 10_000 }, async () => {
  const { client, done } = pair({ never: () => new Promise(() => {}) });
  const waiting = [client.request("never", {}), client.request("never", {})];
  client.close();
  for (const request of waiting) await assert.rejects(request, SupersededError);
  done();
});
