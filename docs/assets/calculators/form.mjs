// The calculator form: read inputs by control name, keep them in the page URL so a link
// reproduces the scenario, and show input errors on their own fields.

/** The form's inputs as {name: value}, leaving out empty optional fields, plus the as-of date. */
export function readForm(form) {
  const inputs = {};
  let asOf = null;
  for (const control of form.querySelectorAll("[name]")) {
    const value = control.value.trim();
    if (control.name === "as_of") asOf = value || null;
    else if (value === "") continue;
    else if (control.dataset.type === "boolean") inputs[control.name] = value === "true";
    else inputs[control.name] = value; // Python validates and converts numbers and dates
  }
  return { inputs, asOf };
}

/** Fill the form from the page URL's query (a shared scenario). Returns true if anything was set. */
export function fillFromUrl(form) {
  const query = new URLSearchParams(location.search);
  let filled = false;
  for (const control of form.querySelectorAll("[name]")) {
    if (query.has(control.name)) {
      control.value = query.get(control.name);
      filled = true;
    }
  }
  return filled;
}

/** Write the form into the URL without adding a history entry per keystroke. */
export function saveToUrl(form) {
  const query = new URLSearchParams();
  for (const control of form.querySelectorAll("[name]")) {
    if (control.value.trim() !== "") query.set(control.name, control.value.trim());
  }
  // Keep test/diagnostic switches such as pyodide_timeout.
  const current = new URLSearchParams(location.search);
  if (current.has("pyodide_timeout")) query.set("pyodide_timeout", current.get("pyodide_timeout"));
  history.replaceState(history.state, "", `${location.pathname}?${query}${location.hash}`);
}

/** Show each {field, message} next to its control; clear the others. */
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
  return [...byField.entries()]; // errors with no field of their own
}
