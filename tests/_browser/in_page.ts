/// <reference lib="dom" />
// Functions that run inside the page (passed to `page.evaluate`): each is
// self-contained, since Playwright sends only its source text. They report
// problems as sentences instead of throwing, so one failure lists every
// chart that is wrong, not just the first.

/** What one `div.softmax-chart` shows, as found in the page. */
export interface ChartReport {
  /** Position among the page's charts, from 0. */
  index: number;
  /** `data-chart`: bars, compare, temperature-explorer, multiples, heatmap. */
  kind: string;
  /** `data-state`: static, upgrading, interactive or failed. */
  state: string;
  /** Bars drawn (Plotly points when interactive, SVG rects when static). */
  bars: number;
  /** The class labels as displayed, in order, across panels. */
  labels: string[];
  /** The title as displayed. */
  title: string;
  /** Sentences naming what is wrong; empty when the chart is right. */
  problems: string[];
  /** Texts that cross the chart's edge, where the browser clips them. */
  clipped: string[];
}

/**
 * Checks every chart on the page against its own Plotly figure (the JSON in
 * `script.softmax-chart-figure`): with `"interactive"`, that Plotly drew it
 * (one `.point` per bar and class, every subplot, the heatmap image and its
 * argmax markers, tick labels equal to the figure's tick text, the title,
 * the slider) and the SVG is hidden; with `"static"`, that the inline SVG is
 * visible and readable (every text inside the card with a non-empty box,
 * labels equal to the figure's, no two level labels overlapping, one rect per
 * bar). `mode` is `"interactive"` or `"static"`.
 */
export function inspectCharts(mode: string): ChartReport[] {
  interface Trace {
    type?: string;
    x?: unknown[];
    y?: unknown[];
    xaxis?: string;
  }
  interface Axis {
    ticktext?: string[];
  }
  interface Figure {
    data: Trace[];
    layout: Record<string, unknown> & {
      title?: { text?: string };
      yaxis?: Axis;
    };
    frames?: unknown[];
  }
  // Plotly and the HTML parser decode entities; a detached textarea decodes
  // them without parsing tags or running anything.
  const decode = (text: string): string => {
    const area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  };
  const box = (e: Element) => e.getBoundingClientRect();
  const same = (a: string[], b: string[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  const show = (list: string[]) => JSON.stringify(list);

  const charts = [...document.querySelectorAll("div.softmax-chart")];
  return charts.map((chart, index): ChartReport => {
    const kind = chart.getAttribute("data-chart") ?? "";
    const state = chart.getAttribute("data-state") ?? "";
    const problems: string[] = [];
    const clipped: string[] = [];
    const say = (message: string) =>
      problems.push(`chart ${index} (${kind}): ${message}`);
    const clip = (t: Element) =>
      clipped.push(
        `chart ${index} (${kind}): text ${
          JSON.stringify(t.textContent)
        } sticks out of the chart`,
      );
    const report: ChartReport = {
      index,
      kind,
      state,
      bars: 0,
      labels: [],
      title: "",
      problems,
      clipped,
    };
    let figure: Figure;
    try {
      figure = JSON.parse(
        chart.querySelector("script.softmax-chart-figure")?.textContent ?? "",
      );
    } catch {
      say("its figure JSON is missing or unreadable");
      return report;
    }
    const layout = figure.layout;
    const axisIds = Object.keys(layout)
      .filter((k) => /^xaxis\d*$/.test(k))
      .sort((a, b) => Number(a.slice(5) || 1) - Number(b.slice(5) || 1));
    const expectedLabels = axisIds.flatMap((k) =>
      ((layout[k] as Axis).ticktext ?? []).map(decode)
    );
    const expectedRows = (layout.yaxis?.ticktext ?? []).map(decode);
    const barTraces = figure.data.filter((t) => t.type === "bar");
    const expectedBars = barTraces.reduce((n, t) => n + (t.x?.length ?? 0), 0);
    // The title's first line; the subtitle lines follow it after <br>.
    const expectedTitle = decode((layout.title?.text ?? "").split("<br>")[0]!);
    const img = chart.querySelector("img.softmax-chart-img");
    if (!(img instanceof HTMLImageElement)) {
      say("has no picture (img.softmax-chart-img)");
      return report;
    }
    // The picture is the SVG as a base64 data URI: decoded, it can be read
    // and, put inline for a moment, measured.
    let svgSource = "";
    const prefix = "data:image/svg+xml;base64,";
    const src = img.getAttribute("src") ?? "";
    if (src.startsWith(prefix)) {
      svgSource = new TextDecoder().decode(
        Uint8Array.from(atob(src.slice(prefix.length)), (c) => c.charCodeAt(0)),
      );
    }

    if (mode === "interactive") {
      if (state !== "interactive") say(`data-state is "${state}"`);
      const plot = chart.querySelector(".js-plotly-plot");
      if (plot === null) {
        say("has no .js-plotly-plot");
        return report;
      }
      const r = box(plot);
      if (r.width < 200 || r.height < 200) {
        say(`the Plotly chart is ${r.width}×${r.height} px`);
      }
      if (getComputedStyle(img).display !== "none") {
        say("the picture is still shown beside the Plotly chart");
      }
      const drawn = [...plot.querySelectorAll(".barlayer .trace.bars")];
      if (drawn.length !== barTraces.length) {
        say(
          `${drawn.length} bar traces drawn, ${barTraces.length} in the figure`,
        );
      }
      drawn.forEach((trace, i) => {
        const points = trace.querySelectorAll(".point");
        const want = barTraces[i]?.x?.length ?? 0;
        report.bars += points.length;
        if (points.length !== want) {
          say(`trace ${i} has ${points.length} bars, expected ${want}`);
        }
        const tall = [...trace.querySelectorAll(".point path")].filter((p) => {
          const b = box(p);
          return b.width > 1 && b.height > 1;
        });
        const values = (barTraces[i]?.y ?? []) as (number | null)[];
        if (values.some((v) => v !== null && v > 0.05) && tall.length === 0) {
          say(`trace ${i} draws no visible bar`);
        }
      });
      const subplots = plot.querySelectorAll(".cartesianlayer > .subplot");
      if (subplots.length !== Math.max(axisIds.length, 1)) {
        say(`${subplots.length} subplots, expected ${axisIds.length}`);
      }
      report.labels = axisIds.flatMap((k) => {
        const id = `x${k.slice(5)}`;
        return [...plot.querySelectorAll(`g.${id}tick > text`)].map((t) =>
          t.textContent ?? ""
        );
      });
      if (kind === "heatmap") {
        const image = plot.querySelector(".heatmaplayer .hm image");
        const b = image === null ? undefined : box(image);
        if (b === undefined || b.width < 10 || b.height < 10) {
          say("the heatmap draws no cells");
        }
        const marked = figure.data.find((t) => t.type === "scatter");
        const markers = plot.querySelectorAll(".scatterlayer .trace .point");
        if (markers.length !== (marked?.x?.length ?? 0)) {
          say(
            `${markers.length} argmax markers, expected ${marked?.x?.length}`,
          );
        }
        const rows = [...plot.querySelectorAll("g.ytick > text")].map((t) =>
          t.textContent ?? ""
        );
        if (!same(rows, expectedRows)) {
          say(`row labels ${show(rows)}, expected ${show(expectedRows)}`);
        }
      }
      if (figure.frames !== undefined) {
        const steps = plot.querySelectorAll(
          ".slider-container .slider-tick-rect",
        );
        if (steps.length !== figure.frames.length) {
          say(
            `the slider has ${steps.length} steps, expected ${figure.frames.length}`,
          );
        }
      }
      // Plotly draws into SVG elements, which clip whatever crosses their
      // edge: every label must lie inside the chart.
      for (const t of plot.querySelectorAll("text")) {
        if (t.closest(".hoverlayer") !== null) continue;
        if ((t.textContent ?? "").trim() === "") continue;
        const b = box(t);
        if (b.width === 0 && b.height === 0) continue; // not displayed
        if (
          b.left < r.left - 0.5 || b.right > r.right + 0.5 ||
          b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5
        ) {
          clip(t);
        }
      }
      const title = plot.querySelector(".gtitle");
      report.title = title?.querySelector("tspan.line")?.textContent ??
        title?.textContent ?? "";
    } else {
      if (state !== "static") say(`data-state is "${state}"`);
      if (chart.querySelector(".js-plotly-plot") !== null) {
        say("has a Plotly chart with scripts off");
      }
      const shown = box(img);
      const look = getComputedStyle(img);
      if (
        look.display === "none" || look.visibility === "hidden" ||
        !img.complete || img.naturalWidth === 0 || shown.width < 200 ||
        shown.height < 150
      ) {
        say(`the picture is not visible (${shown.width}×${shown.height} px)`);
      }
      const parsed = new DOMParser().parseFromString(
        svgSource,
        "image/svg+xml",
      ).documentElement;
      if (parsed.localName !== "svg") {
        say("its picture is not an SVG");
        return report;
      }
      const svg = document.importNode(parsed, true) as unknown as SVGSVGElement;
      svg.style.width = `${shown.width}px`;
      svg.style.height = `${shown.height}px`;
      chart.appendChild(svg);
      const style = getComputedStyle(svg);
      const card = box(svg);
      if (
        style.display === "none" || style.visibility === "hidden" ||
        card.width < 200 || card.height < 150
      ) {
        say(`the SVG is not visible (${card.width}×${card.height} px)`);
      }
      const texts = [...svg.querySelectorAll("text")].filter((t) =>
        (t.textContent ?? "").trim() !== ""
      );
      for (const t of texts) {
        const b = box(t);
        const size = parseFloat(getComputedStyle(t).fontSize);
        const what = JSON.stringify(t.textContent);
        if (b.width <= 0 || b.height <= 0) say(`text ${what} has an empty box`);
        if (size < 9) say(`text ${what} is ${size} px`);
        if (
          b.left < card.left - 0.5 || b.right > card.right + 0.5 ||
          b.top < card.top - 0.5 || b.bottom > card.bottom + 0.5
        ) {
          clip(t);
        }
      }
      const labels = [...svg.querySelectorAll("g.labels > text")];
      report.labels = labels.map((t) => t.textContent ?? "");
      // Level labels side by side must not touch; slanted ones are laid out
      // by their rotated boxes, which overlap by design.
      const level = labels.filter((t) =>
        !t.parentElement?.hasAttribute("transform")
      );
      for (let i = 0; i < level.length; i++) {
        for (let j = i + 1; j < level.length; j++) {
          const a = box(level[i] as Element);
          const b = box(level[j] as Element);
          if (
            a.left < b.right && b.left < a.right && a.top < b.bottom &&
            b.top < a.bottom
          ) {
            say(
              `labels ${JSON.stringify(level[i]?.textContent)} and ${
                JSON.stringify(level[j]?.textContent)
              } overlap`,
            );
          }
        }
      }
      report.bars = svg.querySelectorAll("rect.bar").length;
      if (kind !== "heatmap" && report.bars !== expectedBars) {
        say(`${report.bars} SVG bars, expected ${expectedBars}`);
      }
      if (kind === "heatmap") {
        const rows = [...svg.querySelectorAll("g.row-labels > text")].map((
          t,
        ) => t.textContent ?? "");
        if (!same(rows, expectedRows)) {
          say(`SVG row labels ${show(rows)}, expected ${show(expectedRows)}`);
        }
        if (svg.querySelector("g.cells path") === null) {
          say("the SVG heatmap has no cells");
        }
      }
      report.title = svg.querySelector("text.title")?.textContent ?? "";
      svg.remove();
    }
    if (!same(report.labels, expectedLabels)) {
      say(`labels ${show(report.labels)}, expected ${show(expectedLabels)}`);
    }
    if (report.title !== expectedTitle) {
      say(
        `title ${JSON.stringify(report.title)}, expected ${
          JSON.stringify(expectedTitle)
        }`,
      );
    }
    return report;
  });
}

/** What one chart picture (`img.softmax-chart-img`) shows. */
export interface PictureReport {
  /** Whether the image decoded (a broken data URI does not). */
  loaded: boolean;
  /** Its size on the page, in px. */
  width: number;
  height: number;
  /** Whether it is displayed (not hidden by CSS). */
  visible: boolean;
  /** Its alt text. */
  alt: string;
}

/** Every chart picture on the page, in order. */
export function pictures(): PictureReport[] {
  return [...document.querySelectorAll("img.softmax-chart-img")].map((e) => {
    const img = e as HTMLImageElement;
    const b = img.getBoundingClientRect();
    return {
      loaded: img.complete && img.naturalWidth > 0,
      width: Math.round(b.width),
      height: Math.round(b.height),
      visible: img.checkVisibility(),
      alt: img.alt,
    };
  });
}

/** Whether every chart picture on the page has loaded or failed. */
export function picturesDecoded(): boolean {
  return [...document.querySelectorAll("img")].every((img) => img.complete);
}

/** Whether the classic Notebook trusts the open notebook. */
export function notebookTrusted(): boolean {
  return (window as unknown as {
    Jupyter?: { notebook?: { trusted?: boolean } };
  }).Jupyter?.notebook?.trusted === true;
}

/** Whether every chart has left the static and upgrading states. */
export function chartsSettled(): boolean {
  return [...document.querySelectorAll("div.softmax-chart")].every((c) => {
    const state = c.getAttribute("data-state");
    return state === "interactive" || state === "failed";
  });
}

/**
 * Everything on the page that hostile labels could have smuggled in: a set
 * `window.__pwned`, event-handler attributes, `javascript:` URLs, elements
 * that load or run content, links inside charts, and scripts other than the
 * module's own (the plotly.js embed, each chart's figure JSON and upgrade
 * script, whose text is `upgradeScript`).
 */
export function injectionProblems(upgradeScript: string): string[] {
  const problems: string[] = [];
  const w = window as unknown as Record<string, unknown>;
  if (w.__pwned !== undefined) {
    problems.push(`window.__pwned is ${String(w.__pwned)}`);
  }
  const describe = (e: Element) =>
    `<${e.tagName.toLowerCase()}${
      [...e.attributes].map((a) => ` ${a.name}="${a.value.slice(0, 40)}"`)
        .join("")
    }>`;
  const banned = new Set([
    "img",
    "iframe",
    "frame",
    "object",
    "embed",
    "base",
    "form",
    "input",
    "video",
    "audio",
    "foreignobject",
    "animate",
    "set",
    "use",
  ]);
  // The charts' pictures: the one image allowed, an SVG data URI inside a
  // chart, whose SVG is held to the same rules (it cannot run as an image,
  // but it is also the image/svg+xml output, which front ends inline).
  const prefix = "data:image/svg+xml;base64,";
  const pictures = [...document.querySelectorAll("img")].filter((img) =>
    img.classList.contains("softmax-chart-img") &&
    img.parentElement?.classList.contains("softmax-chart") === true &&
    (img.getAttribute("src") ?? "").startsWith(prefix)
  );
  const inside = pictures.map((img) =>
    new DOMParser().parseFromString(
      new TextDecoder().decode(
        Uint8Array.from(
          atob((img.getAttribute("src") ?? "").slice(prefix.length)),
          (c) => c.charCodeAt(0),
        ),
      ),
      "image/svg+xml",
    ).documentElement
  );
  for (
    const e of [
      ...document.body.querySelectorAll("*"),
      ...inside.flatMap((svg) => [svg, ...svg.querySelectorAll("*")]),
    ]
  ) {
    const tag = e.tagName.toLowerCase();
    if (tag === "img" && pictures.includes(e as HTMLImageElement)) continue;
    if (tag === "parsererror") {
      problems.push("a picture is not well-formed SVG");
    }
    if (banned.has(tag)) problems.push(`unexpected element ${describe(e)}`);
    if (tag === "meta" || tag === "link") {
      problems.push(`unexpected element ${describe(e)}`);
    }
    if (tag === "a" && e.closest(".softmax-chart") !== null) {
      problems.push(`link in a chart: ${describe(e)}`);
    }
    for (const a of e.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\s\p{Cc}]/gu, "").toLowerCase();
      if (name.startsWith("on")) {
        problems.push(`event handler on ${describe(e)}`);
      }
      // Only URL attributes load or run anything; Plotly keeps the raw
      // label in data-unformatted, which is inert text.
      const url = /(^|:)(href|src|action|formaction|srcdoc|background|poster)$/
        .test(name);
      if (
        url && !/^data:image\//.test(value) && !value.startsWith("#")
      ) {
        // Plotly's heatmap is an <image> with a data:image/png href; a
        // fragment link (#...) cannot load anything.
        problems.push(`URL attribute on ${describe(e)}`);
      }
    }
    if (tag === "script" && !document.contains(e)) {
      problems.push(`script inside a picture`);
    }
    if (tag === "image" && e.closest(".hm") === null) {
      problems.push(`unexpected element ${describe(e)}`);
    }
  }
  for (const s of document.querySelectorAll("script")) {
    const embed = s.parentElement?.classList.contains("softmax-plotly-embed");
    const figure = s.classList.contains("softmax-chart-figure") &&
      s.type === "application/json" &&
      s.parentElement?.classList.contains("softmax-chart");
    const upgrade = s.textContent === upgradeScript &&
      s.parentElement?.classList.contains("softmax-chart");
    if (!embed && !figure && !upgrade) {
      problems.push(
        `unexpected script: ${(s.textContent ?? "").slice(0, 80)}`,
      );
    }
  }
  return problems;
}

/**
 * The height of each notebook output that holds a plotly.js embed part
 * (nbconvert's and JupyterLab's output wrapper, else the classic Notebook's).
 */
export function embedOutputHeights(): number[] {
  return [...document.querySelectorAll("div.softmax-plotly-embed")].map((e) =>
    (e.closest(".jp-OutputArea-child") ?? e.closest(".output_area") ?? e)
      .getBoundingClientRect().height
  );
}

/** The text of Plotly's hover label, or "" when none is shown. */
export function hoverText(): string {
  return [...document.querySelectorAll(".hoverlayer .hovertext")]
    .map((e) => e.textContent ?? "").join(" | ");
}

/** The centre of the `n`th bar of the `chart`th chart, in page pixels. */
export function barCentre(
  [chart, n]: [number, number],
): { x: number; y: number } | null {
  const c = document.querySelectorAll("div.softmax-chart")[chart];
  const bar = c?.querySelectorAll(".barlayer .point path")[n];
  if (bar === undefined) return null;
  const b = bar.getBoundingClientRect();
  return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
}

/** The subtitle Plotly shows on the `chart`th chart: the title's lines after the first. */
export function plotlySubtitle(chart: number): string {
  const c = document.querySelectorAll("div.softmax-chart")[chart];
  return [...c?.querySelectorAll(".js-plotly-plot .gtitle tspan.line") ?? []]
    .slice(1).map((t) => t.textContent ?? "").join("");
}

/** Where the `step`th slider step of the `chart`th chart is, in page pixels. */
export function sliderStep(
  [chart, step]: [number, number],
): { x: number; y: number } | null {
  const c = document.querySelectorAll("div.softmax-chart")[chart];
  const tick = c?.querySelectorAll(".slider-container .slider-tick-rect")[step];
  const rail = c?.querySelector(".slider-container .slider-rail-rect");
  if (tick === undefined || rail === null || rail === undefined) return null;
  const t = tick.getBoundingClientRect();
  const r = rail.getBoundingClientRect();
  return { x: t.left + t.width / 2, y: r.top + r.height / 2 };
}

/** A figure for {@linkcode validateFigures}. */
export interface FigureCase {
  name: string;
  figure: {
    data: Record<string, unknown>[];
    layout: Record<string, unknown>;
    frames?: { data?: Record<string, unknown>[] }[];
  };
}

/**
 * Runs `Plotly.validate(data, layout)` on each figure, and on each animation
 * frame's traces merged over the figure's own (frames carry only what
 * changes), and returns the errors as sentences.
 */
export function validateFigures(cases: FigureCase[]): string[] {
  const P = (window as unknown as {
    Plotly: {
      validate(
        data: unknown,
        layout: unknown,
      ): { msg: string; path?: unknown[] }[] | undefined;
    };
  }).Plotly;
  const problems: string[] = [];
  for (const { name, figure } of cases) {
    for (const e of P.validate(figure.data, figure.layout) ?? []) {
      problems.push(`${name}: ${e.msg}`);
    }
    (figure.frames ?? []).forEach((frame, f) => {
      const data = figure.data.map((t, i) => ({ ...t, ...frame.data?.[i] }));
      for (const e of P.validate(data, figure.layout) ?? []) {
        problems.push(`${name} frame ${f}: ${e.msg}`);
      }
    });
  }
  return problems;
}

/** The labels and titles of the `chart`th chart's picture (its SVG), and the picture's alt text. */
export function svgText(
  chart: number,
): { labels: string[]; title: string; tooltip: string; alt: string } {
  const img = document.querySelectorAll("div.softmax-chart")[chart]
    ?.querySelector("img.softmax-chart-img");
  const src = img?.getAttribute("src") ?? "";
  const prefix = "data:image/svg+xml;base64,";
  // Parsed as a document of its own: nothing in it runs or loads.
  const svg = src.startsWith(prefix)
    ? new DOMParser().parseFromString(
      new TextDecoder().decode(
        Uint8Array.from(atob(src.slice(prefix.length)), (c) => c.charCodeAt(0)),
      ),
      "image/svg+xml",
    ).documentElement
    : undefined;
  return {
    alt: img?.getAttribute("alt") ?? "",
    labels: [...svg?.querySelectorAll("g.labels > text") ?? []].map((t) =>
      t.textContent ?? ""
    ),
    title: svg?.querySelector("text.title")?.textContent ?? "",
    tooltip: svg?.querySelector(":scope > title")?.textContent ?? "",
  };
}

interface JupyterCell {
  cell_type: string;
  input_prompt_number?: number | string | null;
  get_text(): string;
  output_area?: {
    outputs: { output_type: string; ename?: string; evalue?: string }[];
  };
}

interface JupyterApp {
  notebook?: {
    _fully_loaded?: boolean;
    get_cells(): JupyterCell[];
    kernel?: {
      is_connected(): boolean;
      execute(
        code: string,
        callbacks: { iopub: { output: () => void } },
        options: { silent: boolean; store_history: boolean },
      ): string;
    } | null;
  };
}

/** Whether the classic Notebook has loaded the notebook and connected its kernel. */
export function notebookReady(): boolean {
  const app = (window as unknown as { Jupyter?: JupyterApp }).Jupyter;
  return app?.notebook?._fully_loaded === true &&
    app.notebook.kernel?.is_connected() === true;
}

/**
 * Whether the kernel's outputs reach the page: runs `0` without storing it
 * in the history and waits up to `ms` for its result on IOPub.
 */
export function kernelOutputArrives(ms: number): Promise<boolean> {
  const app = (window as unknown as { Jupyter?: JupyterApp }).Jupyter;
  const kernel = app?.notebook?.kernel;
  if (!kernel) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    kernel.execute("0", {
      iopub: {
        output: () => {
          clearTimeout(timer);
          resolve(true);
        },
      },
    }, { silent: false, store_history: false });
  });
}

/**
 * How far Run All has got: whether every non-empty code cell has its
 * execution number, whether the kernel indicator shows idle, and the errors
 * cells raised.
 */
export function runAllProgress(): {
  numbered: boolean;
  idle: boolean;
  errors: string[];
} {
  const app = (window as unknown as { Jupyter?: JupyterApp }).Jupyter;
  const cells = (app?.notebook?.get_cells() ?? []).filter((c) =>
    c.cell_type === "code" && c.get_text().trim() !== ""
  );
  return {
    numbered: cells.every((c) => typeof c.input_prompt_number === "number"),
    idle: document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !==
      null,
    errors: cells.flatMap((c, i) =>
      (c.output_area?.outputs ?? []).filter((o) => o.output_type === "error")
        .map((o) => `code cell ${i}: ${o.ename}: ${o.evalue}`)
    ),
  };
}

/** The notebook's code cells as `[execution number or "*", outputs]`, and the kernel indicator, for failure messages. */
export function notebookState(): string {
  const app = (window as unknown as { Jupyter?: JupyterApp }).Jupyter;
  const cells = (app?.notebook?.get_cells() ?? []).filter((c) =>
    c.cell_type === "code"
  ).map((c) => [c.input_prompt_number ?? null, c.output_area?.outputs.length]);
  const indicator = document.querySelector("#kernel_indicator_icon")
    ?.className;
  return JSON.stringify({ cells, indicator });
}
