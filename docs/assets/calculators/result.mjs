// Draws a calculator result (plain data from Python) into the page. It decides nothing.

const OUTCOME = { pass: "Passed", fail: "Failed", warn: "Warning", info: "Note" };

/** Render `result` into `slot`. `root` is the site root URL, for the findings' rule links. */
export function drawResult(slot, result, root) {
  const box = el("div", { class: "calc-verdict" });
  box.dataset.verdict = result.verdict;
  box.append(el("p", { class: "calc-headline" }, result.headline));

  const amounts = el("dl", { class: "calc-amounts" });
  for (const [name, value] of Object.entries(result.amounts)) {
    if (value === null || value === undefined) continue;
    const figure = el("dd", {}, formatAmount(name, value));
    figure.dataset.amount = name;
    figure.dataset.value = JSON.stringify(value); // exact, for scripts and tests
    amounts.append(el("dt", {}, labelFor(name)), figure);
  }
  box.append(amounts);

  const findings = el("ul", { class: "calc-findings" });
  for (const finding of result.findings) {
    const item = el("li", { class: `calc-finding calc-${finding.outcome}` });
    item.dataset.rule = finding.rule;
    const link = el("a", { href: new URL(finding.source, root).href }, finding.title);
    item.append(el("span", { class: "calc-outcome" }, OUTCOME[finding.outcome] || finding.outcome), " ", link,
      el("span", { class: "calc-detail" }, ` — ${finding.detail}`));
    if (finding.provenance === "illustrative") item.append(el("span", { class: "calc-illustrative" }, " (illustrative rule)"));
    findings.append(item);
  }
  box.append(el("h3", {}, "Why"), findings);

  if (result.next_steps.length) {
    const steps = el("ul", { class: "calc-next" });
    for (const step of result.next_steps) steps.append(el("li", {}, step));
    box.append(el("h3", {}, "Next steps"), steps);
  }
  box.append(el("p", { class: "calc-meta" }, `Rules as of ${result.as_of} · policy version ${result.policy_version}`));
  slot.replaceChildren(box);
}

/** A message in place of a result (errors without a field, internal failures). */
export function drawMessage(slot, text) {
  slot.replaceChildren(el("p", { class: "calc-message" }, text));
}

function labelFor(name) {
  const words = name.replace(/_(usd|cny)$/, " ($1)").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1).replace("(usd)", "(USD)").replace("(cny)", "(CNY)");
}

function formatAmount(name, value) {
  if (Array.isArray(value)) {
    if (!value.length) return "none";
    // Identifiers read as a line ("official, franchise"); sentences (entry steps) as a numbered list.
    if (value.every((item) => !String(item).includes(" "))) return value.join(", ");
    const list = el("ol", { class: "calc-list" });
    for (const item of value) list.append(el("li", {}, item));
    return list;
  }
  if (typeof value !== "number") return String(value);
  const money = /_(usd|cny)$/.exec(name);
  const text = value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  if (money) return `${money[1].toUpperCase()} ${text}`;
  if (name.endsWith("_percent")) return `${text}%`;
  return text;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
