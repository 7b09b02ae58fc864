// The what-if chart under a calculator result. It only draws: the series, and every word on the
// chart and in its text alternative, come from Python (calculators/sweep.py) with each result.
// What it draws follows the series' `kind` (KINDS below), never the calculator's name, so a new
// calculator whose chart is one of these kinds needs nothing here.
//
// Apache ECharts (self-hosted under assets/echarts/, copied from npm by hooks/assets.py) is
// loaded here, on calculator pages only and only once a first result is on screen, so it never
// delays an answer. The SVG renderer prints crisply; its styles are set through the CSSOM, which
// the site's CSP (style-src 'self') allows. If ECharts cannot load, the chart's table stays as
// the answer's companion and the console says why: the result itself never breaks.

const ECHARTS = "assets/echarts/echarts.common.min.js";
let library = null; // the promise of window.echarts, loaded once per page life
// canvas -> {update(option), dispose()}: its live ECharts instance. A recalculation moves the canvas
// into the new figure and updates the instance, cheaper than a new one on every keystroke. The
// update itself waits for the next frame's start (requestAnimationFrame), so the chart is painted
// in the first frame after its series came, together with the answer when both came in time, and
// several series within one frame draw only the last.
const charts = new WeakMap();
const LINE = "#5470c6"; // ECharts' first palette colour, named so the tier ends can share it
// The seller's own point: a strong colour no other mark uses, clear on light and dark backgrounds
// (the palette's pale green would not stand out against the blue step beside it).
const SELLER = "#d9480f";
const BAND = "rgba(178,106,0,.25)"; // the at-risk band; its legend swatch shares it

/** Axis ticks are ECharts' choice, so only here can they be written: in the page's language's own
 *  compact notation (the browser's Intl), 20K in English and 2万 in Chinese. Every other figure and
 *  word on the chart comes from Python. One formatter per language, not one per redraw. */
const tickLabels = new Map();
const ticks = () => {
  const lang = document.documentElement.lang || "en";
  if (!tickLabels.has(lang)) {
    const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
    tickLabels.set(lang, { formatter: (value) => compact.format(value), hideOverlap: true });
  }
  return tickLabels.get(lang);
};

/** Draw `sweep` below the amounts of the result in `slot`. `root` is the site root URL.
 *  compare: {pinned, pin, now}: a pinned scenario ({result, view, sweep}) to draw beside this one,
 *  pin(on) to pin or unpin the current scenario, and the current result's view. */
export function drawChart(slot, sweep, root, compare = {}) {
  const box = slot.querySelector(".calc-verdict");
  // The previous answer's chart, kept in place by result.mjs until this series came (or none did):
  // its live canvas is reused for the same calculator, anything else of it is let go.
  let reused = null;
  for (const stale of slot.querySelectorAll(".calc-chart-stale")) {
    for (const canvas of stale.querySelectorAll(".calc-chart-canvas")) {
      if (!reused && sweep && stale.dataset.kind === sweep.kind && charts.has(canvas)) reused = canvas;
      else charts.get(canvas)?.dispose();
    }
    stale.remove();
  }
  if (!box || !sweep) return charts.get(reused)?.dispose();
  const figure = el("figure", { class: "calc-chart" });
  figure.dataset.series = JSON.stringify(sweep); // the contract for tests: exactly what Python sent
  figure.dataset.calculator = sweep.calculator;
  figure.dataset.kind = sweep.kind;
  const title = el("figcaption", { class: "calc-chart-title" }, sweep.words.title);
  figure.append(title);
  (box.querySelector(".calc-amounts") ?? box.querySelector(".calc-headline")).after(figure);
  const pinned = compare.pinned?.sweep?.calculator === sweep.calculator ? compare.pinned : null;
  if (compare.pin) {
    const button = el("button", { type: "button", class: "md-button calc-pin", "aria-pressed": String(!!pinned) },
      pinned ? sweep.words.unpin : sweep.words.pin);
    button.addEventListener("click", () => compare.pin(!pinned));
    title.after(button);
  }
  if (pinned && compare.now) {
    figure.dataset.pinned = JSON.stringify(pinned.sweep);
    figure.append(comparison(sweep.words, pinned, compare.now));
  }

  const kind = KINDS[sweep.kind];
  if (!kind) {
    console.warn(`no chart of kind ${sweep.kind}: the result stands without it`);
    figure.remove();
    return charts.get(reused)?.dispose();
  }
  if (kind.draw) return kind.draw(figure, sweep);
  if (sweep.reason) figure.append(el("p", { class: "calc-chart-reason" }, sweep.reason.text));
  // The difference in words, under the bar rather than on it: a short bar has no room for it.
  if (sweep.bar) figure.append(el("p", { class: "calc-chart-difference" }, sweep.bar.text));
  if (sweep.table) figure.append(table(sweep.table));
  figure.append(...(kind.after?.(sweep) ?? []));
  const option = kind.option(sweep, pinned?.sweep);
  if (!option) return charts.get(reused)?.dispose();
  const canvas = reused ?? el("div", { class: "calc-chart-canvas", role: "img" });
  canvas.setAttribute("aria-label", kind.describe(sweep));
  (figure.querySelector(".calc-pin") ?? title).after(canvas);
  load(root).then((echarts) => {
    if (!canvas.isConnected) return; // a newer result replaced this one meanwhile
    if (charts.has(canvas)) charts.get(canvas).update(option);
    else render(echarts, canvas, option);
  }).catch((error) => {
    console.warn("The chart could not be drawn; the table below gives the same figures.", error);
    canvas.remove();
    figure.classList.add("calc-chart-failed"); // shows the table on screen too
  });
}

// The first load waits until the answer's frame has been painted (a task queued from
// requestAnimationFrame): ECharts' script is large to parse, and the answer comes first.
const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

function load(root) {
  library ??= afterPaint().then(() => new Promise((resolve, reject) => {
    if (window.echarts) return resolve(window.echarts);
    const script = document.createElement("script");
    script.src = new URL(ECHARTS, root).href;
    script.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error("no echarts global")));
    script.onerror = () => reject(new Error(`${script.src} did not load`));
    document.head.append(script);
  }));
  library.catch(() => { library = null; }); // a later result may try again
  return library;
}

function render(echarts, canvas, option) {
  const dark = document.body.dataset.mdColorScheme === "slate";
  const chart = echarts.init(canvas, dark ? "dark" : null, {
    renderer: "svg",
    locale: document.documentElement.lang?.startsWith("zh") ? "ZH" : "EN",
  });
  const paint = (replace) => {
    // replaceMerge: a series (the pinned one, the gap's arrow) that went away is not kept, while the
    // axes, grid and legend are updated in place rather than built again on every change.
    chart.setOption({ backgroundColor: "transparent", animation: false, aria: { enabled: false }, ...option },
      replace ? { replaceMerge: ["series"] } : { notMerge: true });
  };
  let frame = 0; // the frame an update waits for; the newest option is drawn once, in it
  const draw = (next) => {
    option = next;
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      if (canvas.isConnected) paint(true);
    });
  };
  paint(false);
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(canvas);
  const dispose = () => {
    cancelAnimationFrame(frame);
    scheme.disconnect();
    resize.disconnect();
    chart.dispose();
    charts.delete(canvas);
  };
  // Material's palette toggle swaps data-md-color-scheme on <body>: draw again in the new colours.
  const scheme = new MutationObserver(() => {
    dispose();
    if (canvas.isConnected) render(echarts, canvas, option);
  });
  scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  charts.set(canvas, { update: draw, dispose });
}

/** A label's alignment that keeps it off the axes: from the point inwards in the outer quarters. */
const inwards = (share) => (share < 0.25 ? { align: "left", offset: [-6, 0] } : share > 0.75 ? { align: "right", offset: [6, 0] } : {});

/** ECharts option for steps (the refund tiers): percent on the left axis, CNY on the right, to the whole fee. */
function stepsOption(sweep, pinned) {
  if (!sweep.steps) return null;
  const { words, steps, seller, gap } = sweep;
  const line = steps.map((s) => [s.from_usd, s.percent]).concat([[sweep.x_max, steps.at(-1).percent]]);
  // Each tier's start: a closed end (filled) includes the amount, an open end (hollow) does not.
  const ends = steps.slice(1).map((s) => ({
    value: [s.from_usd, s.percent], name: s.label,
    itemStyle: s.start === "open" ? { color: "transparent", borderColor: LINE, borderWidth: 2 }
      : { color: LINE, borderColor: LINE, borderWidth: 2 },
  }));
  const series = [
    { name: words.series, type: "line", step: "end", data: line, showSymbol: false, color: LINE, lineStyle: { width: 3 } },
    { name: words.series, type: "scatter", data: ends, symbolSize: 10, tooltip: { show: false } },
    // Labelled with whose point it is and its percent, above the step it sits on (below at the top
    // step, where above is the axis names' room): beside it, the label sat on the line itself.
    { name: words.seller, type: "scatter", data: [[seller.sales_usd, seller.percent]], symbol: "diamond",
      // Opaque (ECharts draws scatter points at 0.8); the label in the theme's text colour, legible
      // on light and dark pages alike.
      symbolSize: 18, z: 5, color: SELLER, itemStyle: { borderColor: "#fff", borderWidth: 1.5, opacity: 1 },
      // Near either end of the axis the label runs inwards from the point, not over the axis's
      // figures (on a phone, "Your store: 50%" sat on the 60% tick).
      label: { show: true, position: seller.percent >= 90 ? "bottom" : "top", distance: 8, formatter: seller.label,
        fontWeight: "bold", ...inwards(seller.sales_usd / sweep.x_max) } },
  ];
  if (pinned?.seller) {
    const { words: w } = sweep;
    if (pinned.steps && JSON.stringify(pinned.steps) !== JSON.stringify(steps)) {
      const other = pinned.steps.map((s) => [s.from_usd, s.percent]).concat([[sweep.x_max, pinned.steps.at(-1).percent]]);
      series.push({ name: w.pinned, type: "line", step: "end", data: other, showSymbol: false, lineStyle: { type: "dotted", width: 2 } });
    }
    series.push({ name: w.pinned, type: "scatter", data: [[pinned.seller.sales_usd, pinned.seller.percent]], symbol: "triangle",
      symbolSize: 14, z: 4 });
  }
  if (gap) {
    // Named by what it says ("USD 30,000 more for 100%"): the legend carries it, clear of the steps.
    series.push({ name: gap.text, type: "line", data: [[seller.sales_usd, seller.percent], [gap.at_usd, seller.percent]],
      color: SELLER, lineStyle: { type: "dashed", width: 2 }, symbol: ["none", "arrow"], symbolSize: 10 });
  }
  return {
    grid: { left: 8, right: 8, top: 40, bottom: 76, containLabel: true },
    legend: { bottom: 0, data: [words.series, words.seller, ...(pinned?.seller ? [words.pinned] : []), ...(gap ? [gap.text] : [])] },
    tooltip: { trigger: "item" },
    xAxis: { type: "value", min: 0, max: sweep.x_max, name: words.x_axis, nameLocation: "middle", nameGap: 28,
      axisLabel: ticks() },
    yAxis: [
      { type: "value", min: 0, max: 100, name: words.y_axis, nameTextStyle: { align: "left" },
        axisLabel: { formatter: "{value}%" } },
      { type: "value", min: 0, max: sweep.fee_cny || 1, name: words.y_axis_cny, nameTextStyle: { align: "right" },
        splitLine: { show: false }, axisLabel: ticks() },
    ],
    series,
  };
}

/** ECharts option for a bar (delisting): sales against the threshold and the at-risk band.
 *  The bar carries its figure and the legend says it is the seller's sales; the threshold's line
 *  is labelled with its amount above the plot, and the band is named in the legend only (two labels
 *  stacked over the line were cramped and read as one). */
function barOption(sweep, pinned) {
  const bar = sweep.bar;
  if (!bar) return null;
  const { words } = sweep;
  const before = pinned?.bar ? [{ name: words.pinned, type: "scatter", data: [[pinned.bar.sales_usd, words.sales]],
    symbol: "triangle", symbolSize: 14, z: 4 }] : [];
  const share = (usd) => usd / bar.x_max; // how far along the axis
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 64, containLabel: true },
    legend: { bottom: 0, data: [words.sales, { name: words.at_risk, icon: "rect" }, ...(pinned?.bar ? [words.pinned] : [])] },
    xAxis: { type: "value", min: 0, max: bar.x_max, name: words.x_axis, nameLocation: "middle", nameGap: 24,
      axisLabel: ticks() },
    yAxis: { type: "category", data: [words.sales], axisLabel: { show: false } },
    series: [{
      name: words.sales, type: "bar", data: [bar.sales_usd], barWidth: 28, color: LINE,
      // The figure inside a long bar, else just past its end (a short bar ends well before the
      // threshold: it is at least two thirds of the axis, as sweep.py sets the axis's reach).
      label: { show: true, formatter: bar.sales_text, fontWeight: "bold",
        ...(share(bar.sales_usd) >= 0.4 ? { position: "insideRight", color: "#fff" } : { position: "right" }) },
      markLine: { symbol: "none", silent: true, data: [{ xAxis: bar.threshold_usd, name: words.threshold }],
        // Left-aligned from the line when it is near the axis's start, so the words stay on the chart.
        label: { position: "end", formatter: bar.threshold_text, ...(share(bar.threshold_usd) < 0.3 ? { align: "left" } : {}) } },
    }, {
      // The band has no data of its own: a series only so that the legend can name it.
      name: words.at_risk, type: "line", data: [], color: BAND,
      markArea: { silent: true, itemStyle: { color: BAND }, label: { show: false },
        data: [[{ xAxis: bar.threshold_usd, name: words.at_risk }, { xAxis: bar.at_risk_until_usd }]] },
    }, ...before],
  };
}

/** The pinned scenario and this one side by side: verdict and amounts, as Python worded them. */
function comparison(words, pinned, now) {
  const t = el("table", { class: "calc-compare" });
  t.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, ""), el("th", { scope: "col" }, words.pinned),
    el("th", { scope: "col" }, words.now))));
  const body = el("tbody", {});
  const text = (view, name) => view.amounts.find((a) => a.name === name)?.text ?? "–";
  body.append(el("tr", { "data-row": "verdict" }, el("th", { scope: "row" }, words.verdict),
    el("td", {}, pinned.view.verdict_label), el("td", {}, now.verdict_label)));
  const names = [...new Set([...pinned.view.amounts, ...now.amounts].map((a) => a.name))];
  for (const name of names) {
    const label = (now.amounts.find((a) => a.name === name) ?? pinned.view.amounts.find((a) => a.name === name)).label;
    body.append(el("tr", { "data-row": name }, el("th", { scope: "row" }, label), el("td", {}, text(pinned.view, name)),
      el("td", {}, text(now, name))));
  }
  t.append(body);
  // Shown to everyone (not only read aloud, as the chart's own data table is): it is the comparison.
  return el("div", { class: "calc-compare-table" }, t);
}

function drawChecklist(figure, sweep) {
  const list = el("ul", { class: "calc-checklist" });
  for (const item of sweep.checklist) {
    const entry = el("li", { class: `calc-${item.outcome}` }, el("span", { class: "calc-outcome" }, item.outcome_label),
      ` ${item.title} — ${item.detail}`);
    list.append(entry);
  }
  figure.append(list);
  if (sweep.change_text) {
    // A space between the label and the change, as between a checklist item's outcome and its title above.
    const label = sweep.words.change ? [el("strong", {}, sweep.words.change), " "] : [];
    figure.append(el("p", { class: "calc-chart-change" }, ...label, sweep.change_text));
  }
}

function timeline(sweep) {
  const list = el("ol", { class: "calc-timeline" });
  list.setAttribute("aria-label", sweep.words.timeline);
  for (const event of sweep.timeline) {
    // The label in its own box: the CSS sets dates and labels in two columns, a long label
    // wrapping within its own (calculators.css).
    const item = el("li", { "data-kind": event.kind }, el("time", { datetime: event.date }, event.text), " ",
      el("span", { class: "calc-timeline-label" }, event.label));
    list.append(item);
  }
  return list;
}

/**
 * The figures as a table: what screen readers read, and what shows if the chart cannot load. It is
 * hidden inside a box (.calc-chart-table): a table itself cannot be narrower than its content, and
 * a hidden one would still widen the page on a phone.
 */
function table(data) {
  const t = el("table", {});
  t.append(el("caption", {}, data.caption));
  if (data.columns.some(Boolean)) {
    const head = el("tr", {});
    for (const column of data.columns) head.append(el("th", { scope: "col" }, column));
    t.append(el("thead", {}, head));
  }
  const body = el("tbody", {});
  for (const row of data.rows) body.append(el("tr", {}, ...row.map((cell) => el("td", {}, cell))));
  t.append(body);
  return el("div", { class: "calc-chart-table" }, t);
}

/** Each chart kind the sweeps declare (calculators/unit.py CHART_KINDS): `draw` a figure of its own,
 *  or an ECharts `option` with what goes `after` the table and how the canvas is `describe`d aloud. */
const KINDS = {
  steps: { option: stepsOption, describe: (sweep) => `${sweep.words.title}. ${sweep.seller.text}.` },
  bar: { option: barOption, after: (sweep) => [timeline(sweep)],
    describe: (sweep) => `${sweep.words.title}. ${sweep.bar?.text ?? ""}` },
  checklist: { draw: drawChecklist },
};

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
