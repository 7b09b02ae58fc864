// The form controller: wires each calculator form on the page to the Python worker (client.mjs).
// Each change asks for a new result (Python answers in a few milliseconds; stale answers are
// dropped); the URL and the screen-reader announcement wait for typing to pause. The answer is
// drawn as soon as it comes; the chart's series follows it and is painted in the next frame.
//
// A mounted form is one `calc` object: its parts on the page (`parts`), its state (`state`,
// the only mutable data), and the named pieces below act on it: starting, asking, drawing the
// answer, the pinned scenario, the link in the address bar, the store's figures and the wiring.
import * as client from "./client.mjs";
import {
  MADE, PIN, fillForm, formQuery, holdsScenario, keepScenario, localToday, markNeeded, readForm, readQuery, saveToUrl,
  showFieldErrors, showLabels, startingScenario, urlLacksScenario,
} from "./form.mjs";
import { drawMessage, drawResult } from "./result.mjs";
import { fillFromStore, forget, remember, shares, showFromStore } from "./store.mjs";

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
  const calc = start(form);
  const stop = wire(calc);
  calculate(calc);
  form.dataset.mounted = "true"; // wired: scripts and tests wait for this after an instant page change
  return stop;
}

// ---------------------------------------------------------------------------------------------
// Starting: the form's parts, its first figures and its state
// ---------------------------------------------------------------------------------------------

function start(form) {
  const parts = {
    words: form.dataset, // the status texts, from the template: data-msg-*
    status: form.querySelector(".calc-status"),
    slot: form.querySelector(".calc-result"),
    announcer: form.querySelector(".calc-announce"),
  };
  // A reload of the page shown first in this document (not a later page reached in place).
  const reloaded = forms === 0 && performance.getEntriesByType?.("navigation")[0]?.type === "reload";
  const starting = startingScenario(form, reloaded);
  const touched = new Set(fillForm(form, starting));
  // A form that opens without figures of its own takes the seller's store figures (store.mjs).
  const fromStore = holdsScenario(form, starting) ? [] : fillFromStore(form);
  for (const name of fromStore) touched.add(name); // the seller's own figures: a wrong one is marked
  const state = {
    key: `${form.dataset.calculator}-${++forms}`,
    home: location.pathname, // the form's page: its scenario is written into this URL only
    touched, // the fields the reader (or the opened link) has filled: their errors are shown
    fromStore: new Set(fromStore), // the fields the store filled, until the reader changes them
    // The day the opened link was made ("" for none): Python answers as of it when it is before
    // today, until the reader asks for today's answer. A link made now carries today.
    madeOn: starting.get(MADE) || "",
    latest: 0, // the newest request's number: only its answer is drawn
    asked: "", // the figures of the newest request: its answer is shown, or on its way
    latestAnswer: null, // {result, view, sweep: a promise of the series}
    // A pinned scenario to compare with: {query, result, view, sweep}. A shared link carries its
    // inputs as #…&pin=...; its result is asked of Python like any other once Python is ready.
    pinQuery: starting.get(PIN) || "",
    pinned: null,
    showPendingErrors: null, // marks held back while a figure is being typed (ERROR_PAUSE_MS)
    timers: { save: null, announce: null, error: null },
  };
  const calc = { form, parts, state };
  // A scenario the fragment does not carry (a link's query, or the one this tab kept) goes into it
  // now, with the day: no reload sends a query again (form.mjs says why), and the link in the
  // address bar is whole.
  // The store's figures go into the link with the seller's first change (a page reached by a link
  // keeps that link's address until then); the tab keeps them for the page at once.
  if (fromStore.length) keepScenario(form, "", made(calc));
  else if (holdsScenario(form, starting)) {
    if (urlLacksScenario(form)) saveToUrl(form, state.pinQuery, made(calc));
    else keepScenario(form, state.pinQuery, made(calc)); // the URL carries it already: only the tab's copy
  }
  showFromStore(form, state.fromStore);
  showEmptyDates(calc);
  return calc;
}

const made = ({ state }) => state.madeOn || localToday();

// ---------------------------------------------------------------------------------------------
// Asking and drawing the answer
// ---------------------------------------------------------------------------------------------

const ask = ({ form, state }, { inputs, asOf }, more = {}) =>
  client.evaluate({ name: form.dataset.calculator, inputs, asOf, today: localToday(), made: state.madeOn, lang: pageLang(), ...more });

// The form's figures as one text, to tell a new question from the one asked last.
const figures = (form, { inputs, asOf } = readForm(form)) => JSON.stringify([inputs, asOf]);

/** Ask for the form's answer and draw it. `typingIn`: the text field the reader is typing in, if
 *  this change is a keystroke there. */
async function calculate(calc, typingIn = null) {
  const { form, parts, state } = calc;
  const id = ++state.latest;
  const { inputs, asOf } = readForm(form);
  state.asked = figures(form, { inputs, asOf });
  if (!Object.keys(inputs).length && !asOf) return drawMessage(parts.slot, parts.words.msgEmpty);
  if (client.current().phase !== "ready") return; // the status line explains; "ready" recalculates
  const answer = await ask(calc, { inputs, asOf }, { key: state.key });
  if (id !== state.latest || answer.type === "superseded") return; // a newer change is on its way
  if (answer.type === "failed") return drawMessage(parts.slot, parts.words.msgInternal);
  const { result, view } = answer;
  showLabels(form, view.labels);
  if (!result.errors) state.latestAnswer = { result, view, sweep: answer.sweep };
  clearTimeout(state.timers.error);
  state.showPendingErrors = null;
  if (result.errors) return drawErrors(calc, id, result.errors, view, typingIn);
  showFieldErrors(form, []);
  markNeeded(form, []);
  drawResult(parts.slot, result, view, pagesRoot());
  drawChart(calc, id, view, answer.sweep);
  announce(calc, result.headline);
}

/** The fields marked wrong and what is missing, in the result's place. */
function drawErrors(calc, id, errors, view, typingIn) {
  const { form, parts, state } = calc;
  // An empty field the reader has not reached yet is listed in the summary, not marked red;
  // it is marked as required (aria-required) when another answer makes it so.
  const required = new Set(view.required || []); // fields whose only fault is being empty (present.py)
  const shown = errors.filter((e) => !required.has(e.field) || state.touched.has(e.field));
  const showErrors = () => {
    const orphans = showFieldErrors(form, shown);
    markNeeded(form, required);
    const rest = orphans.map(([, message]) => message).join("; ");
    drawMessage(parts.slot, rest ? `${view.summary} ${rest}` : view.summary, view);
    // A field marked wrong is said, with its label; a form still being filled in is not.
    const said = (e) => view.said[errors.indexOf(e)]; // worded by Python (present.py), label and all
    if (shown.length) announce(calc, [view.summary, ...shown.map(said)].join(" "));
  };
  // Mid-figure ("45," on the way to "45,000") the field is not marked at once: what is shown
  // stays until typing pauses, then the mark comes if the figure is still wrong.
  if (!(typingIn && shown.some((e) => e.field === typingIn))) return showErrors();
  state.showPendingErrors = () => {
    clearTimeout(state.timers.error);
    state.showPendingErrors = null;
    if (id === state.latest) showErrors();
  };
  state.timers.error = setTimeout(state.showPendingErrors, ERROR_PAUSE_MS);
}

/** The chart comes after the answer is in the page (its series a moment after the answer), and its
 *  code (ECharts too) only then loads; chart.mjs paints it at the next frame's start, so a series
 *  that came in time shares the answer's frame. Only the newest request's series is drawn: a
 *  slower, older one never overwrites it. */
function drawChart(calc, id, view, sweep) {
  const { parts, state } = calc;
  Promise.all([import("./chart.mjs"), sweep])
    .then(([chart, series]) => id === state.latest
      && chart.drawChart(parts.slot, series, root, { pinned: state.pinned, pin: (on) => pin(calc, on), now: view }))
    .catch((error) => console.warn("no chart:", error));
}

/** The live region says each answer once typing has paused: the result's headline, or the fields
 *  marked wrong (the message in the result's place is not live). */
function announce({ parts, state }, text) {
  clearTimeout(state.timers.announce);
  state.timers.announce = setTimeout(() => {
    if (parts.announcer.textContent !== text) parts.announcer.textContent = text;
  }, ANNOUNCE_MS);
}

function showStatus({ parts }, phase) {
  parts.status.dataset.state = phase.phase === "failed" ? "error" : phase.phase;
  parts.status.querySelector(".calc-status-text").textContent = statusText(parts.words, phase);
  parts.status.querySelector(".calc-retry").hidden = phase.phase !== "failed";
}

/** An empty date field looks empty in every engine (WebKit draws today's date in grey in one):
 *  `data-empty` lets the stylesheet hide the engine's stand-in, and "Rules as of" says what empty
 *  means, naming the reader's today in the page's language. */
function showEmptyDates({ form, parts }) {
  for (const control of form.querySelectorAll("input[type=date]")) control.toggleAttribute("data-empty", control.value === "");
  const note = form.querySelector(".calc-empty-date");
  if (!note) return;
  // The form's own language (the template's), as Python writes dates: 7 December 2026, 2026年12月7日.
  const today = longDate(parts.words.dateLocale).format(new Date());
  note.hidden = form.elements.as_of?.value !== "";
  note.querySelector("time").textContent = today; // the sentence around it is the template's (one catalogue)
}

// One formatter per locale, not one per keystroke (building it costs more than formatting).
const longDates = new Map();
function longDate(locale) {
  if (!longDates.has(locale)) longDates.set(locale, new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric" }));
  return longDates.get(locale);
}

// ---------------------------------------------------------------------------------------------
// The pinned scenario
// ---------------------------------------------------------------------------------------------

async function loadPin(calc) {
  const { form, state } = calc;
  if (!state.pinQuery || state.pinned?.query === state.pinQuery) return;
  const query = state.pinQuery;
  const answer = await ask(calc, readQuery(form, query));
  if (query !== state.pinQuery || answer.type !== "result" || answer.result.errors) return;
  state.pinned = { query, result: answer.result, view: answer.view, sweep: await answer.sweep };
  if (query !== state.pinQuery) return;
  calculate(calc);
}

async function pin(calc, on) {
  const { form, state } = calc;
  const answer = state.latestAnswer;
  state.pinQuery = on && answer ? formQuery(form).toString() : "";
  state.pinned = on && answer ? { query: state.pinQuery, ...answer, sweep: await answer.sweep } : null;
  saveToUrl(form, state.pinQuery, made(calc));
  calculate(calc);
}

// ---------------------------------------------------------------------------------------------
// The link in the address bar
// ---------------------------------------------------------------------------------------------

// The URL follows the form once typing pauses (browsers limit how often a page may rewrite it),
// and at once when the reader clicks anything (a link, the language, the menu) or leaves, so the
// entry that Back returns to holds the last figure. Only while the form's page is the one shown:
// instant navigation changes the URL first and the content a moment later.
function save(calc) {
  const { form, state } = calc;
  clearTimeout(state.timers.save);
  state.timers.save = null;
  if (form.isConnected && location.pathname === state.home) saveToUrl(form, state.pinQuery, made(calc));
}

// Another scenario put in the fragment in place (a link pasted into this tab, Back between two):
// the form follows it. A fragment without one (a heading's link) changes nothing. The page's own
// writes (replaceState) fire no hashchange, so every one that comes is someone else's.
function followUrl(calc) {
  const { form, state } = calc;
  const scenario = new URLSearchParams(location.hash.slice(1));
  if (location.pathname !== state.home || !holdsScenario(form, scenario)) return;
  for (const name of fillForm(form, scenario, true)) state.touched.add(name);
  state.pinQuery = scenario.get(PIN) || "";
  state.madeOn = scenario.get(MADE) || "";
  state.pinned = null;
  state.fromStore.clear(); // the link's figures are the link's
  showFromStore(form, state.fromStore);
  showEmptyDates(calc);
  if (urlLacksScenario(form)) saveToUrl(form, state.pinQuery, made(calc)); // a link without its day gets today's
  else keepScenario(form, state.pinQuery, made(calc));
  calculate(calc);
  loadPin(calc);
}

// A dated link's answer offers today's (result.mjs draws the button): the link's day is dropped, the
// answer follows today's rules, and the URL carries today as the day of the link it now is.
function showToday(calc) {
  const { state } = calc;
  state.madeOn = "";
  state.pinned = null; // the pinned answer was computed as of the link's day too: asked again below
  calculate(calc);
  loadPin(calc);
  save(calc);
}

// ---------------------------------------------------------------------------------------------
// The seller's changes, and the wiring
// ---------------------------------------------------------------------------------------------

/** A change the reader made: the store keeps it (a field they set is no longer the store's), the
 *  answer follows, and the URL once typing pauses. */
function changed(calc, event) {
  const { form, state } = calc;
  const name = event.target.name;
  if (name) state.touched.add(name);
  if (event.type === "change" && figures(form) === state.asked) {
    // Leaving a field fires "change" for the figure its keystrokes already asked about. Asking
    // again would redraw the same answer under the pointer of the click that left the field, and
    // a click on a finding's link would be lost. A mark held back while typing is shown now.
    state.showPendingErrors?.();
  } else calculate(calc, event.type === "input" && event.target.type === "text" ? name : null);
  // The question is with Python now; the page's own bookkeeping is done while it answers.
  if (name) {
    remember(name, event.target.value);
    // The badges and the clear control follow the store: redrawn only when what they show changed.
    if (state.fromStore.delete(name) || shares(name)) showFromStore(form, state.fromStore);
  }
  showEmptyDates(calc);
  clearTimeout(state.timers.save);
  state.timers.save = setTimeout(() => save(calc), PAUSE_MS);
}

/** "Clear my store's figures": the store forgets them, and the fields it filled are emptied. */
function clearStore(calc) {
  const { form, state } = calc;
  forget();
  for (const name of state.fromStore) form.elements[name].value = "";
  state.fromStore.clear();
  showFromStore(form, state.fromStore);
  showEmptyDates(calc);
  calculate(calc);
  save(calc);
}

/** Listen to the form, the page and the worker; returns the function that stops it all. */
function wire(calc) {
  const { form, parts, state } = calc;
  const saveNow = () => state.timers.save !== null && save(calc);
  const onChange = (event) => changed(calc, event);
  const onHash = () => followUrl(calc);
  const onSlotClick = (event) => event.target.closest(".calc-today") && showToday(calc);
  parts.slot.addEventListener("click", onSlotClick);
  window.addEventListener("click", saveNow, true);
  window.addEventListener("pagehide", saveNow);
  window.addEventListener("hashchange", onHash);
  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);
  form.addEventListener("submit", (event) => event.preventDefault());
  parts.status.querySelector(".calc-retry").addEventListener("click", () => client.retry());
  form.querySelector(".calc-store-clear")?.addEventListener("click", () => clearStore(calc));
  const unsubscribe = client.subscribe((phase) => {
    showStatus(calc, phase);
    if (phase.phase === "ready") calculate(calc), loadPin(calc);
  });
  return () => {
    unsubscribe();
    parts.slot.removeEventListener("click", onSlotClick);
    window.removeEventListener("click", saveNow, true);
    window.removeEventListener("pagehide", saveNow);
    window.removeEventListener("hashchange", onHash);
    for (const timer of Object.values(state.timers)) clearTimeout(timer);
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
