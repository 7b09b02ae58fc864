// The form controller: wires each calculator form on the page to the Python worker (client.mjs).
// Each change asks for a new result (Python answers in a few milliseconds; stale answers are
// dropped); the URL and the screen-reader announcement wait for typing to pause. The answer is
// drawn as soon as it comes; the chart's series follows it and is painted in the next frame.
import * as client from "./client.mjs";
import {
  MADE, PIN, fillForm, formQuery, holdsScenario, keepScenario, localToday, markNeeded, readForm, readQuery, saveToUrl,
  showFieldErrors, showLabels, startingScenario, urlLacksScenario,
} from "./form.mjs";
import { drawMessage, drawResult } from "./result.mjs";

const root = new URL("../../", import.meta.url); // the site root: assets/calculators/ is two levels down
const PAUSE_MS = 300; // typing has paused: save the scenario in the URL
const ANNOUNCE_MS = 1000; // and a little later, announce the result (or what to correct) once
const ERROR_PAUSE_MS = 700; // a half-typed figure ("45,") is marked wrong only once typing pauses
let unmount = []; // the previous page's subscriptions (instant navigation keeps this module alive)
// The page's language ("zh-Hans", "zh" -> "zh"): Python answers in it; everything else is English.
const pageLang = () => (document.documentElement.lang || "").toLowerCase().startsWith("zh") ? "zh" : "en";
// Where this language's pages live (the i18n plugin puts each language but English under its code):
// the findings link to the rule pages in the reader's language.
const pagesRoot = () => (pageLang() === "en" ? root : new URL(`${pageLang()}/`, root));
let forms = 0; // numbers each mounted form: its requests' key, so the worker skips its stale sweeps

export function mountAll() {
  for (const stop of unmount) stop();
  unmount = [...document.querySelectorAll("form.calc")].map(mount);
  client.start();
}

function mount(form) {
  const words = form.dataset; // the status texts, from the template: data-msg-*
  const status = form.querySelector(".calc-status");
  const slot = form.querySelector(".calc-result");
  const announcer = form.querySelector(".calc-announce");
  // A reload of the page shown first in this document (not a later page reached in place).
  const reloaded = forms === 0 && performance.getEntriesByType?.("navigation")[0]?.type === "reload";
  const starting = startingScenario(form, reloaded);
  const touched = new Set(fillForm(form, starting));
  const home = location.pathname; // the form's page: its scenario is written into this URL only
  // The day the opened link was made ("" for none): Python answers as of it when it is before today,
  // until the reader asks for today's answer. A link made now carries today.
  let madeOn = starting.get(MADE) || "";
  const made = () => madeOn || localToday();
  // A scenario the fragment does not carry (a link's query, or the one this tab kept) goes into it
  // now, with the day: no reload sends a query again (form.mjs says why), and the link in the
  // address bar is whole.
  if (holdsScenario(form, starting)) {
    if (urlLacksScenario(form)) saveToUrl(form, starting.get(PIN) ?? "", made());
    else keepScenario(form, starting.get(PIN) ?? "", made()); // the URL carries it already: only the tab's copy
  }
  let latest = 0;
  let asked = ""; // the figures of the newest request: its answer is shown, or on its way
  let showPendingErrors = null; // marks held back while a figure is being typed (ERROR_PAUSE_MS)
  let saveTimer = null;
  let announceTimer = null;
  let errorTimer = null;
  // A pinned scenario to compare with: {query, result, view, sweep}. A shared link carries its
  // inputs as #…&pin=...; its result is asked of Python like any other once Python is ready.
  let pinQuery = starting.get(PIN) || "";
  let pinned = null;
  let latestAnswer = null; // {result, view, sweep: a promise of the series}
  const key = `${form.dataset.calculator}-${++forms}`;

  const ask = ({ inputs, asOf }, more = {}) =>
    client.evaluate({ name: form.dataset.calculator, inputs, asOf, today: localToday(), made: madeOn, lang: pageLang(), ...more });
  const loadPin = async () => {
    if (!pinQuery || pinned?.query === pinQuery) return;
    const query = pinQuery;
    const answer = await ask(readQuery(form, query));
    if (query !== pinQuery || answer.type !== "result" || answer.result.errors) return;
    pinned = { query, result: answer.result, view: answer.view, sweep: await answer.sweep };
    if (query !== pinQuery) return;
    calculate();
  };
  const pin = async (on) => {
    const answer = latestAnswer;
    pinQuery = on && answer ? formQuery(form).toString() : "";
    pinned = on && answer ? { query: pinQuery, ...answer, sweep: await answer.sweep } : null;
    saveToUrl(form, pinQuery, made());
    calculate();
  };

  const showStatus = (state) => {
    status.dataset.state = state.phase === "failed" ? "error" : state.phase;
    status.querySelector(".calc-status-text").textContent = statusText(words, state);
    status.querySelector(".calc-retry").hidden = state.phase !== "failed";
  };

  // The live region says each answer once typing has paused: the result's headline, or the fields
  // marked wrong (the message in the result's place is not live).
  const announce = (text) => {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (announcer.textContent !== text) announcer.textContent = text;
    }, ANNOUNCE_MS);
  };

  // The form's figures as one text, to tell a new question from the one asked last.
  const figures = ({ inputs, asOf } = readForm(form)) => JSON.stringify([inputs, asOf]);
  // `typingIn`: the text field the reader is typing in, if this change is a keystroke there.
  const calculate = async (typingIn = null) => {
    const id = ++latest;
    const { inputs, asOf } = readForm(form);
    asked = figures({ inputs, asOf });
    if (!Object.keys(inputs).length && !asOf) return drawMessage(slot, words.msgEmpty);
    if (client.current().phase !== "ready") return; // the status line explains; "ready" recalculates
    const answer = await ask({ inputs, asOf }, { key });
    if (id !== latest || answer.type === "superseded") return; // a newer change is on its way
    if (answer.type === "failed") return drawMessage(slot, words.msgInternal);
    const { result, view, sweep } = answer;
    showLabels(form, view.labels);
    if (!result.errors) latestAnswer = { result, view, sweep };
    clearTimeout(errorTimer);
    showPendingErrors = null;
    if (result.errors) {
      // An empty field the reader has not reached yet is listed in the summary, not marked red;
      // it is marked as required (aria-required) when another answer makes it so.
      const required = new Set(view.required || []); // fields whose only fault is being empty (present.py)
      const shown = result.errors.filter((e) => !required.has(e.field) || touched.has(e.field));
      const showErrors = () => {
        const orphans = showFieldErrors(form, shown);
        markNeeded(form, required);
        const rest = orphans.map(([, message]) => message).join("; ");
        const text = rest ? `${view.summary} ${rest}` : view.summary;
        drawMessage(slot, text, view);
        // A field marked wrong is said, with its label; a form still being filled in is not.
        const said = (e) => view.said[result.errors.indexOf(e)];
        if (shown.length) announce([view.summary, ...shown.map(said)].join(" "));
      };
      // Mid-figure ("45," on the way to "45,000") the field is not marked at once: what is shown
      // stays until typing pauses, then the mark comes if the figure is still wrong.
      if (typingIn && shown.some((e) => e.field === typingIn)) {
        showPendingErrors = () => {
          clearTimeout(errorTimer);
          showPendingErrors = null;
          if (id === latest) showErrors();
        };
        errorTimer = setTimeout(showPendingErrors, ERROR_PAUSE_MS);
      } else showErrors();
      return;
    }
    showFieldErrors(form, []);
    markNeeded(form, []);
    drawResult(slot, result, view, pagesRoot());
    // The chart comes after the answer is in the page (its series a moment after the answer), and
    // its code (ECharts too) only then loads; chart.mjs paints it at the next frame's start, so a
    // series that came in time shares the answer's frame. Only the newest request's series is
    // drawn: a slower, older one never overwrites it.
    Promise.all([import("./chart.mjs"), sweep])
      .then(([chart, series]) => id === latest && chart.drawChart(slot, series, root, { pinned, pin, now: view }))
      .catch((error) => console.warn("no chart:", error));
    announce(result.headline);
  };

  // The URL follows the form once typing pauses (browsers limit how often a page may rewrite it),
  // and at once when the reader clicks anything (a link, the language, the menu) or leaves, so the
  // entry that Back returns to holds the last figure. Only while the form's page is the one shown:
  // instant navigation changes the URL first and the content a moment later.
  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = null;
    if (form.isConnected && location.pathname === home) saveToUrl(form, pinQuery, made());
  };
  const saveNow = () => saveTimer !== null && save();
  const changed = (event) => {
    if (event.target.name) touched.add(event.target.name);
    if (event.type === "change" && figures() === asked) {
      // Leaving a field fires "change" for the figure its keystrokes already asked about. Asking
      // again would redraw the same answer under the pointer of the click that left the field, and
      // a click on a finding's link would be lost. A mark held back while typing is shown now.
      showPendingErrors?.();
    } else calculate(event.type === "input" && event.target.type === "text" ? event.target.name : null);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, PAUSE_MS);
  };
  // Another scenario put in the fragment in place (a link pasted into this tab, Back between two):
  // the form follows it. A fragment without one (a heading's link) changes nothing. The page's own
  // writes (replaceState) fire no hashchange, so every one that comes is someone else's.
  const followUrl = () => {
    const scenario = new URLSearchParams(location.hash.slice(1));
    if (location.pathname !== home || !holdsScenario(form, scenario)) return;
    for (const name of fillForm(form, scenario, true)) touched.add(name);
    pinQuery = scenario.get(PIN) || "";
    madeOn = scenario.get(MADE) || "";
    pinned = null;
    if (urlLacksScenario(form)) saveToUrl(form, pinQuery, made()); // a link without its day gets today's
    else keepScenario(form, pinQuery, made());
    calculate();
    loadPin();
  };
  // A dated link's answer offers today's (result.mjs draws the button): the link's day is dropped, the
  // answer follows today's rules, and the URL carries today as the day of the link it now is.
  const showToday = (event) => {
    if (!event.target.closest(".calc-today")) return;
    madeOn = "";
    pinned = null; // the pinned answer was computed as of the link's day too: asked again below
    calculate();
    loadPin();
    save();
  };
  slot.addEventListener("click", showToday);
  window.addEventListener("click", saveNow, true);
  window.addEventListener("pagehide", saveNow);
  window.addEventListener("hashchange", followUrl);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => event.preventDefault());
  status.querySelector(".calc-retry").addEventListener("click", () => client.retry());

  const unsubscribe = client.subscribe((state) => {
    showStatus(state);
    if (state.phase === "ready") calculate(), loadPin();
  });
  calculate();
  form.dataset.mounted = "true"; // wired: scripts and tests wait for this after an instant page change
  return () => {
    unsubscribe();
    slot.removeEventListener("click", showToday);
    window.removeEventListener("click", saveNow, true);
    window.removeEventListener("pagehide", saveNow);
    window.removeEventListener("hashchange", followUrl);
    clearTimeout(saveTimer);
    clearTimeout(announceTimer);
    clearTimeout(errorTimer);
  };
}

/** The words for a start-up state, from the form's data-msg-* attributes. */
function statusText(words, state) {
  if (state.phase === "ready") return words.msgReady;
  if (state.phase === "failed") {
    return words[`msgFailed${capitalise(state.reason)}`] || words.msgFailedPython;
  }
  return words[`msgLoading${capitalise(state.stage || "start")}`] || words.msgLoadingStart;
}

const capitalise = (word) => word.charAt(0).toUpperCase() + word.slice(1);
