// The calculator form: read inputs by control name, keep them in the page URL so a link
// reproduces the scenario, and show input errors on their own fields.
//
// The scenario lives in the URL's fragment (#category=…&annual_sales_usd=…), never in its query: a
// browser sends the query to the server on every reload and in the Referer of every request the
// page makes (the chart's script, the search index), but never the fragment. So a link still
// reproduces the scenario, and the seller's figures stay in their browser. A link with the inputs
// in the query (the handbook's worked examples, links made before) is read too, and its inputs are
// moved into the fragment at once. The tab also keeps each page's scenario in sessionStorage (in
// the browser too), so a fragment replaced by a heading's link (#delisting-risk) loses nothing.
//
// Beside the inputs the fragment carries the day the link was made (`made`): opened on a later
// day, the page answers as of that day and says so (Python decides: calculators/api.py, link_day).

const DIAGNOSTIC_PARAMS = ["pyodide_timeout"]; // never copied into a shared link
export const PIN = "pin"; // the pinned scenario's query text, carried beside the inputs
export const MADE = "made"; // the day the link was made, YYYY-MM-DD, carried beside the inputs
const KEPT = "calculators-scenario:"; // sessionStorage key, + the page's path

const names = (form) => [...form.querySelectorAll("[name]")].map((control) => control.name);
export const holdsScenario = (form, params) => params.has(PIN) || names(form).some((name) => params.has(name));
const fragment = () => new URLSearchParams(location.hash.slice(1));

/** The scenario the URL carries: the fragment's parameters, or else the query's (an incoming link). */
export function urlScenario(form) {
  return holdsScenario(form, fragment()) ? fragment() : new URLSearchParams(location.search);
}

/** The scenario a form starts from: the URL's; or, when a heading's link (#delisting-risk) has taken
 *  the fragment's place or the page was reloaded (`reloaded`), the one this tab kept for the page;
 *  or none (a page reached from the menu starts empty, as it always has). */
export function startingScenario(form, reloaded = false) {
  const url = urlScenario(form);
  if (holdsScenario(form, url) || !(reloaded || location.hash.length > 1)) return url;
  try {
    return new URLSearchParams(sessionStorage.getItem(KEPT + location.pathname) ?? "");
  } catch {
    return new URLSearchParams(); // storage refused (a privacy setting): the URL alone
  }
}

/** The form's scenario as query text, with the pinned one's (`pin`, "" for none) and the day the
 *  link is made (`made`, "" for none) beside it. */
function scenarioOf(form, pin, made) {
  const scenario = formQuery(form);
  if (pin) scenario.set(PIN, pin);
  if (made) scenario.set(MADE, made);
  return scenario;
}

/** Keep the form's scenario for this tab and page (saveToUrl does too). Not on every keystroke:
 *  measured, the write showed in the slowest answers. */
export function keepScenario(form, pin = "", made = "") {
  try {
    sessionStorage.setItem(KEPT + location.pathname, scenarioOf(form, pin, made).toString());
  } catch {
    // storage refused or full: the URL still carries the scenario
  }
}

/** Whether the URL does not carry the scenario the form holds (it came in the query, or from the tab),
 *  or carries it without the day of the link (one made before links carried it). */
export const urlLacksScenario = (form) => !holdsScenario(form, fragment()) || !fragment().has(MADE);

/** The form's inputs as {name: text}, leaving out empty fields, plus the as-of date.
 *  `valueOf` reads a control: its current value, or (for a pinned scenario) a saved query's. */
export function readForm(form, valueOf = (control) => control.value) {
  const inputs = {};
  let asOf = "";
  for (const control of form.querySelectorAll("[name]")) {
    const value = valueOf(control).trim();
    if (control.name === "as_of") asOf = value;
    else if (value === "") continue;
    else if (control.dataset.type === "boolean") inputs[control.name] = value === "true";
    else inputs[control.name] = value; // Python reads what was typed ("9,000") and says what is wrong
  }
  return { inputs, asOf };
}

/** Fill the form from a scenario (URLSearchParams). Returns the names it set. With `reset`, every
 *  control the scenario leaves out goes back to its first state (another link opened in place). */
export function fillForm(form, scenario, reset = false) {
  const filled = [];
  for (const control of form.querySelectorAll("[name]")) {
    if (scenario.has(control.name)) {
      control.value = scenario.get(control.name);
      filled.push(control.name);
    } else if (reset) {
      control.value = control.tagName === "SELECT"
        ? [...control.options].find((option) => option.defaultSelected)?.value ?? control.options[0]?.value ?? ""
        : control.defaultValue;
    }
  }
  return filled;
}

/** The form's controls as query text: what a link carries, and what a pinned scenario keeps. */
export function formQuery(form) {
  const query = new URLSearchParams();
  for (const control of form.querySelectorAll("[name]")) {
    if (control.value.trim() !== "") query.set(control.name, control.value.trim());
  }
  for (const name of DIAGNOSTIC_PARAMS) query.delete(name);
  return query;
}

/** The inputs a saved query holds, read as readForm reads the form (a list left out: its first choice). */
export function readQuery(form, text) {
  const saved = new URLSearchParams(text);
  return readForm(form, (control) => saved.get(control.name)
    ?? (control.tagName === "SELECT" ? control.options[0]?.value ?? "" : ""));
}

/** Write the form into the URL's fragment, without adding a history entry per keystroke, and keep
 *  it for the tab; `pin` is the pinned scenario's query text, carried in the link too ("" for none),
 *  and `made` the day the answer's link was made.
 *  The query keeps what is not the scenario's (a search highlight, say), less the inputs an
 *  incoming link put there. */
export function saveToUrl(form, pin, made) {
  const scenario = scenarioOf(form, pin, made);
  const query = new URLSearchParams(location.search);
  for (const name of names(form)) query.delete(name);
  for (const name of [PIN, MADE, ...DIAGNOSTIC_PARAMS]) query.delete(name);
  const search = query.toString();
  const fragment = scenario.toString();
  history.replaceState(history.state, "", `${location.pathname}${search ? `?${search}` : ""}${fragment ? `#${fragment}` : ""}`);
  keepScenario(form, pin, made);
}

/** Show each {field, message} next to its control; clear the others. Returns the errors with no field. */
export function showFieldErrors(form, errors) {
  const byField = new Map(errors.map((e) => [e.field, e.message]));
  for (const box of form.querySelectorAll(".calc-field")) {
    const message = byField.get(box.dataset.field);
    const slot = box.querySelector(".calc-field-error");
    const control = box.querySelector("[name]");
    slot.hidden = !message;
    slot.textContent = message || "";
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    byField.delete(box.dataset.field);
  }
  return [...byField.entries()];
}

/** Word the labels an answer gives from the inputs (the sales field names its window's dates, in
 *  Python: calculators/delisting.field_labels): the label's own words, before its unit and "optional". */
export function showLabels(form, labels = {}) {
  for (const [name, text] of Object.entries(labels)) {
    const words = form.querySelector(`.calc-field[data-field="${name}"] label`)?.firstChild;
    if (!words || words.nodeType !== Node.TEXT_NODE) continue;
    const spacing = words.textContent.match(/\s*$/)[0]; // before the unit's span
    if (words.textContent !== text + spacing) words.textContent = text + spacing;
  }
}

/** aria-required on the fields an answer has made needed (a trademark date, once the application is
 *  pending); the always-required fields carry `required` from the template. */
export function markNeeded(form, fields) {
  const needed = new Set(fields);
  for (const control of form.querySelectorAll("[name]")) {
    if (control.required) continue;
    if (needed.has(control.name)) control.setAttribute("aria-required", "true");
    else control.removeAttribute("aria-required");
  }
}

/** The reader's own date, YYYY-MM-DD in their time zone: what "today's rules" means to them. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
