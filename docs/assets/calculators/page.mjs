// Loaded on every page, and tiny: it only looks for calculator forms. The calculator code, and
// Pyodide, load only on a page that has one. Material's instant navigation swaps pages without a
// reload, so forms are wired on each `document$` emission and the worker outlives page changes.
// On a calculator page loaded whole, start.mjs (from <head>) has started the worker already.
const wire = () => {
  if (document.querySelector("form.calc")) import("./calculator.mjs").then((m) => m.mountAll());
};

if (window.document$) window.document$.subscribe(wire);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
else wire();
