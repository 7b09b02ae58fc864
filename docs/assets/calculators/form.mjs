// The calculator form: read inputs by control name, keep them in the page URL so a link
// reproduces the scenario, and show input errors on their own fields.
//
// The scenario lives in the URL's fragment (#category=…&annual_sales_usd=…), never in its query: a
// browser sends the query to the server on every reload and in the Referer of every request the
// page makes (the chart's script, the search index), but never the fragment. So a link still
// reproduces the scenario, and the seller's figures stay in their browser. A link with the inputs
// in the query (the handbook's worked examples, links made before) is read too, and its inputs are
// moved into the fragment at once.

const DIAGNOSTIC_PARAMS = ["pyodide_timeout"]; // never copied into a shared link
const PIN = "pin"; // the pinned scenario's query text, carried beside the inputs

const names = (form) => [...form.querySelectorAll("[name]")].map((control) => control.name);
const holdsScenario = (form, params) => params.has(PIN) || names(form).some((name) => params.has(name));

/** The scenario the URL carries: the fragment's parameters, or else the query's (an incoming link). */
export function urlScenario(form) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  return holdsScenario(form, fragment) ? fragment : new URLSearchParams(location.search);
}

/** Whether the scenario came in the query: then it is moved into the fragment (saveToUrl). */
export const scenarioInQuery = (form) => holdsScenario(form, new URLSearchParams(location.search))
  && !holdsScenario(form, new URLSearchParams(location.hash.slice(1)));

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

/** Fill the form from the scenario the page URL carries (a shared link). Returns the names it set. */
export function fillFromUrl(form) {
  const query = urlScenario(form);
  const filled = [];
  for (const control of form.querySelectorAll("[name]")) {
    if (query.has(control.name)) {
      control.value = query.get(control.name);
      filled.push(control.name);
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

/** Write the form into the URL's fragment, without adding a history entry per keystroke; `pin` is
 *  the pinned scenario's query text, carried in the link too ("" for none). The query keeps what is
 *  not the scenario's (a search highlight, say), less the inputs an incoming link put there. */
export function saveToUrl(form, pin = urlScenario(form).get(PIN) ?? "") {
  const scenario = formQuery(form);
  if (pin) scenario.set(PIN, pin);
  const query = new URLSearchParams(location.search);
  for (const name of names(form)) query.delete(name);
  for (const name of [PIN, ...DIAGNOSTIC_PARAMS]) query.delete(name);
  const search = query.toString();
  const fragment = scenario.toString();
  history.replaceState(history.state, "", `${location.pathname}${search ? `?${search}` : ""}${fragment ? `#${fragment}` : ""}`);
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
