// Draws a calculator result into the page. It decides nothing: the result (plain data) and its
// view (every label and formatted figure, from calculators/present.py) both come from Python.

/** Render `result` with its `view` into `slot`. `root` is the root URL of the page's language (/ or /zh/), for the findings' rule links. */
export function drawResult(slot, result, view, root) {
  const box = el("div", { class: "calc-verdict" });
  box.dataset.verdict = result.verdict; // the contract: scripts and tests read the verdict here
  box.dataset.tone = view.tone;
  box.dataset.asOf = result.as_of; // the date the rules were resolved for, ISO
  box.dataset.policyVersion = result.policy_version;
  box.append(...datedNotice(view));
  // The inputs come first on paper (hidden on screen, where the form shows them).
  const inputs = el("dl", { class: "calc-inputs" });
  for (const input of view.inputs) inputs.append(el("dt", {}, input.label), el("dd", {}, input.text));
  box.append(el("h3", { class: "calc-inputs-heading" }, view.headings.inputs), inputs);
  box.append(el("p", { class: "calc-verdict-label" }, view.verdict_label),
    el("p", { class: "calc-headline" }, result.headline));

  const amounts = el("dl", { class: "calc-amounts" });
  for (const amount of view.amounts) {
    const figure = el("dd", {}, amount.text);
    figure.dataset.amount = amount.name;
    figure.dataset.value = JSON.stringify(result.amounts[amount.name]); // exact, for scripts and tests
    amounts.append(el("dt", {}, amount.label), figure);
  }
  box.append(amounts);

  if (result.next_steps.length) {
    const steps = el("ol", { class: "calc-next" });
    for (const step of result.next_steps) steps.append(el("li", {}, step));
    box.append(el("h3", {}, view.headings.next_steps), steps);
  }

  box.append(...onward(view.onward, root), ...announced(view.upcoming), ...keyDates(view.dates));

  const findings = el("ul", { class: "calc-findings" });
  result.findings.forEach((finding, i) => {
    const shown = view.findings[i];
    const item = el("li", { class: `calc-finding calc-${finding.outcome}` });
    item.dataset.rule = finding.rule;
    item.append(el("span", { class: "calc-outcome" }, shown.outcome_label), " ",
      el("a", { href: new URL(finding.source, root).href }, finding.title),
      el("span", { class: "calc-detail" }, ` — ${finding.detail}`));
    if (shown.provenance_label) {
      const badge = el("span", { class: `prov prov-${shown.source_kind}` }, shown.provenance_label);
      if (shown.source_title) badge.title = shown.source_title;
      item.append(" ", badge);
    }
    findings.append(item);
  });
  box.append(el("h3", {}, view.headings.why), findings);

  box.append(el("p", { class: "calc-meta" }, view.meta));
  box.append(el("p", { class: "calc-printed" }, view.printed)); // on paper only: when, and with which day's rules
  // Every answer says it is an estimate, so its print and the page a shared link opens say so too.
  box.append(el("p", { class: "calc-estimate" }, view.estimate));
  // The previous answer's chart stays in its place, marked stale, until this answer's series
  // arrives a moment later (chart.mjs replaces it): the page below does not jump on each keystroke.
  // (Typing fast, the chart may still be the one kept from an answer before that.)
  const chart = slot.querySelector(".calc-chart, .calc-chart-stale");
  slot.replaceChildren(box);
  if (chart) {
    chart.classList.replace("calc-chart", "calc-chart-stale");
    chart.removeAttribute("data-series"); // the contract's series is always the answer on screen's
    chart.inert = true; // its pin button belongs to the old answer
    chart.setAttribute("aria-hidden", "true");
    amounts.after(chart);
  }
}

/** Links to the next calculator with this answer's figures in the fragment (calculators/onward.py
 *  decides where an answer leads); the page they open fills its form from them. */
function onward(links = [], root) {
  return links.map(({ calculator, inputs, text }) => {
    const href = new URL(`calculators/${calculator}/`, root);
    href.hash = new URLSearchParams(inputs).toString();
    const link = el("a", { class: "calc-onward", href: href.href }, text);
    link.dataset.calculator = calculator;
    return el("p", {}, link);
  });
}

// Announced changes under the result: each notice is a whole sentence from Python (upcoming.py).
function announced(upcoming) {
  const list = el("ul", { class: "calc-upcoming" });
  list.dataset.announced = String(upcoming.announced);
  for (const notice of upcoming.notices) list.append(el("li", {}, notice));
  return [el("h3", {}, upcoming.heading), list];
}

// The key dates, and their calendar file as a download made here from Python's text (key_dates.py):
// a Blob behind an object URL, so the figures never leave the browser and no request is made.
let calendarUrl = null; // the previous answer's file, released when the next answer is drawn
function keyDates(dates) {
  if (calendarUrl) URL.revokeObjectURL(calendarUrl);
  calendarUrl = null;
  if (!dates) return [];
  const list = el("ul", { class: "calc-dates" });
  for (const date of dates.items) {
    const item = el("li", {}, el("time", { datetime: date.on }, date.date), ` — ${date.title}`);
    list.append(item);
  }
  calendarUrl = URL.createObjectURL(new Blob([dates.calendar], { type: "text/calendar;charset=utf-8" }));
  const download = el("a", { class: "calc-calendar", href: calendarUrl, download: dates.file }, dates.download);
  return [el("h3", {}, dates.heading), list, el("p", {}, download)];
}

/** A message in place of a result (what is missing, internal failures); under a dated link's notice
 *  when `view` (of the input errors) has one. */
export function drawMessage(slot, text, view = null) {
  slot.replaceChildren(...datedNotice(view), el("p", { class: "calc-message" }, text));
}

/** A link opened after the day it was made answers as of that day: said first, with today's answer a
 *  click away (calculator.mjs handles the button). [] when the view has no such notice. */
function datedNotice(view) {
  if (!view?.dated_link) return [];
  return [el("div", { class: "calc-dated", role: "note" }, el("p", {}, view.dated_link.notice),
    el("button", { type: "button", class: "md-button calc-today" }, view.dated_link.today))];
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
