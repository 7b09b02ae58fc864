// Connects calculator forms to the Python worker: one worker per browser tab, started as soon as
// a calculator page opens and kept across instant page changes; each input change asks for a new
// result, and answers to stale requests are dropped.
import { fillFromUrl, readForm, saveToUrl, showFieldErrors } from "./form.mjs";
import { drawMessage, drawResult } from "./result.mjs";

const DEFAULT_TIMEOUT_MS = 30000;
const root = new URL("../../", import.meta.url); // the site root: assets/calculators/ is two levels down
const listeners = new Set(); // status callbacks of the forms on the current page
const READY_TEXT = "Python is ready. Results update as you type; nothing leaves your browser.";
let current = ["loading", "Starting Python in your browser…"]; // the status every form shows
let worker = null;
let ready = null; // a promise settled when Python is ready or has failed
let nextId = 0;
const pending = new Map();

export function mountAll() {
  listeners.clear();
  for (const form of document.querySelectorAll("form.calc")) mount(form);
}

function mount(form) {
  const status = form.querySelector(".calc-status");
  const slot = form.querySelector(".calc-result");
  const touched = new Set();
  let latest = 0;
  let timer = null;

  const showStatus = (state, text) => {
    status.dataset.state = state;
    status.querySelector(".calc-status-text").textContent = text;
    status.querySelector(".calc-retry").hidden = state !== "error";
  };
  listeners.add(showStatus);
  showStatus(...current);

  const calculate = async () => {
    const id = (latest = ++nextId);
    const { inputs, asOf } = readForm(form);
    if (!Object.keys(inputs).length) return drawMessage(slot, "Fill in the form to see a result.");
    let answer;
    try {
      await ready;
      answer = await ask({ type: "evaluate", id, name: form.dataset.calculator, inputs, asOf });
    } catch {
      return; // the status line already explains, with a Retry button
    }
    if (id !== latest) return; // a newer change is on its way
    if (answer.type === "failed") return drawMessage(slot, answer.message);
    const result = answer.result;
    if (result.errors) {
      // A field the reader has not reached yet is not an error worth shouting about.
      const shown = result.errors.filter((e) => e.message !== "required" || touched.has(e.field));
      const orphans = showFieldErrors(form, shown);
      const rest = orphans.map(([field, message]) => `${field}: ${message}`).join("; ");
      return drawMessage(slot, rest || "Complete the highlighted fields to see a result.");
    }
    showFieldErrors(form, []);
    drawResult(slot, result, root);
  };

  const changed = (event) => {
    if (event.target.name) touched.add(event.target.name);
    // Python answers in about a millisecond, so each change is calculated at once (stale answers
    // are dropped); only the URL update waits for typing to pause.
    calculate();
    clearTimeout(timer);
    timer = setTimeout(() => saveToUrl(form), 300);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => event.preventDefault());
  status.querySelector(".calc-retry").addEventListener("click", () => {
    restart();
    calculate();
  });

  if (fillFromUrl(form)) for (const control of form.querySelectorAll("[name]")) touched.add(control.name);
  start();
  calculate();
}

/** Start the worker once; `ready` settles when Python answers or the time limit passes. */
function start() {
  if (worker) return;
  const limit = Number(new URLSearchParams(location.search).get("pyodide_timeout")) || DEFAULT_TIMEOUT_MS;
  worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
  ready = new Promise((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`Python did not start within ${Math.round(limit / 1000)} seconds.`)),
      limit,
    );
    worker.addEventListener("message", ({ data }) => {
      if (data.type === "status") announce("loading", data.stage);
      if (data.type === "ready") clearTimeout(timeout), resolve(data);
      if (data.type === "error") clearTimeout(timeout), reject(new Error(`${data.message}.`));
      if (data.type === "result" || data.type === "failed") pending.get(data.id)?.(data), pending.delete(data.id);
    });
    worker.addEventListener("error", (event) => {
      clearTimeout(timeout);
      reject(new Error(event.message || "the Python worker failed to load."));
    });
  });
  ready.then(
    () => announce("ready", READY_TEXT),
    (error) => announce("error", `The calculator could not start: ${error.message} Check your connection, then retry.`),
  );
}

function restart() {
  worker?.terminate();
  worker = null;
  pending.clear();
  announce("loading", "Starting Python again…");
  start();
}

function announce(state, text) {
  current = [state, text];
  for (const show of listeners) show(state, text);
}

function ask(message) {
  return new Promise((resolve) => {
    pending.set(message.id, resolve);
    worker.postMessage(message);
  });
}
