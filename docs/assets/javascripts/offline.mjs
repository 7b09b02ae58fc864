// Offline after the first visit: registers the site's service worker (sw.js at the site's root,
// written by the build: hooks/service_worker.py), which precaches every page, the calculators and
// Python's files, so a reader who has been here once keeps the handbook with the network gone; and
// shows the note beside the header (overrides/main.html) whenever the browser is offline.
//
// The worker is registered once the page has what it came for: on a calculator page, once Python
// is up (or has failed), so that the precache's downloads never compete with Python's own; on any
// other page, once it has loaded.
const root = new URL("../../", import.meta.url); // this file is assets/javascripts/offline.mjs
const note = () => document.querySelector(".handbook-offline");

function showWhetherOffline() {
  const element = note();
  if (element) element.hidden = navigator.onLine;
}

function register() {
  if (!("serviceWorker" in navigator) || note()?.dataset.register !== "yes") return;
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).catch((error) => {
    console.warn("handbook: the offline copy could not be set up", error); // the site works as before
  });
}

async function registerWhenSettled() {
  if (document.readyState !== "complete") await new Promise((done) => addEventListener("load", done, { once: true }));
  if (document.querySelector("form.calc")) {
    const { subscribe } = await import("../calculators/client.mjs");
    await new Promise((done) => {
      const stop = subscribe((state) => {
        if (state.phase === "ready" || state.phase === "failed") {
          queueMicrotask(() => stop());
          done();
        }
      });
    });
  }
  register();
}

addEventListener("online", showWhetherOffline);
addEventListener("offline", showWhetherOffline);
if (window.document$) window.document$.subscribe(showWhetherOffline);
else showWhetherOffline();
registerWhenSettled();
