// Loaded on every page, and tiny: it only looks for calculator forms. The calculator code, and
// Pyodide, load only on a page that has one. Material's instant navigation swaps pages without a
// reload, so forms are wired on each `document$` emission and the worker outlives page changes.
const wire = () => {
  if (document.querySelector("form.calc")) import("./calculator.mjs").then((m) => m.mountAll());
};

// Start Python before the form code arrives: the worker's start-up is the long pole, so it begins as
// soon as this (deferred) script sees a form, not after calculator.mjs and its imports load.
if (document.querySelector("form.calc")) import("./client.mjs").then((client) => client.start());

if (window.document$) window.document$.subscribe(wire);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
else wire();
