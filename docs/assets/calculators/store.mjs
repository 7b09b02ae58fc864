// The seller's store figures, shared by the calculators: kept once per tab (sessionStorage, so they
// stay in the browser and end with the tab), written when the seller changes one, and filled into
// a calculator form that opens without figures of its own. A link's figures win: a form opened from
// a link (its fragment or query) or kept for its page takes nothing from here. Each field filled
// from here says so (a badge), until the seller changes it; `forget` clears them all.

const KEY = "calculators-store";
// The figures kept, by input name (design/design.md): the same figure may have two names. The sales
// over a year are one figure, asked as the assessment window's (delisting) and the fee year's (refund).
const FIGURES = {
  category: "category",
  sales_365d_usd: "sales_usd",
  annual_sales_usd: "sales_usd",
  as_of: "as_of",
};
export const shares = (name) => Object.hasOwn(FIGURES, name);

/** {figure: text}: what this tab keeps ({} when storage is refused, as in some private modes). */
function stored() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? "{}");
    return kept && typeof kept === "object" && !Array.isArray(kept) ? kept : {};
  } catch {
    return {};
  }
}

function write(figures) {
  try {
    if (Object.keys(figures).length) sessionStorage.setItem(KEY, JSON.stringify(figures));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage refused or full: the calculators still answer, each from its own form
  }
}

/** Keep the value of input `name` as the seller set it; an empty value forgets the figure. */
export function remember(name, value) {
  if (!shares(name)) return;
  const figures = stored();
  if (value.trim() === "") delete figures[FIGURES[name]];
  else figures[FIGURES[name]] = value.trim();
  write(figures);
}

/** Forget every figure this tab keeps. */
export function forget() {
  write({});
}

/** Fill the form's empty shared fields from the store; returns the names filled. A select keeps its
 *  value when the stored one is not among its choices (a category renamed since, say). */
export function fillFromStore(form) {
  const figures = stored();
  const filled = [];
  for (const control of form.querySelectorAll("[name]")) {
    const value = shares(control.name) ? figures[FIGURES[control.name]] : undefined;
    if (value === undefined || control.value !== "") continue;
    control.value = value;
    if (control.value === value) filled.push(control.name);
  }
  return filled;
}

/** Mark `names` as filled from the store (the words from the form's data-msg-from-store), and the
 *  other fields as not; the clear control shows while the store keeps any figure. */
export function showFromStore(form, names) {
  const from = new Set(names);
  for (const box of form.querySelectorAll(".calc-field")) {
    let badge = box.querySelector(".calc-from-store");
    if (from.has(box.dataset.field) && !badge) {
      badge = document.createElement("span");
      badge.className = "calc-from-store";
      badge.textContent = form.dataset.msgFromStore;
      box.querySelector("label").append(" ", badge); // after the label's words: part of the field's name
    } else if (!from.has(box.dataset.field) && badge) {
      badge.previousSibling?.remove(); // the space before it
      badge.remove();
    }
  }
  const clear = form.querySelector(".calc-store");
  if (clear) clear.hidden = Object.keys(stored()).length === 0;
}
