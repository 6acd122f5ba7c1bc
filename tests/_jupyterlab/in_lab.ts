/// <reference lib="dom" />
// Functions that run inside the harness page (passed to `page.evaluate`),
// where `window.JupyterLab` holds JupyterLab's output area, renderers and
// sanitizer (see bundle.ts). Each is self-contained: Playwright sends only
// its source text.

/** One notebook output, as nbformat stores it. */
export type OutputJson = Record<string, unknown>;

/** How the page shows a notebook. */
export interface RenderCase {
  /** Each code cell's outputs, in order. */
  cells: OutputJson[][];
  /** Whether the Plotly extension's renderer is registered (at rank 0). */
  plotly: boolean;
  /** Whether the notebook is trusted. */
  trusted: boolean;
  /**
   * `"open"`: every cell's outputs are in its model before its output area
   * exists, and the areas are attached once drawn (opening a notebook);
   * `"run"`: each area is attached empty and gets its outputs one by one,
   * a task apart (running the cells).
   */
  mode: "open" | "run";
}

/**
 * Builds one output area per code cell in `#host`, as a JupyterLab notebook
 * does: a `RenderMimeRegistry` of the standard renderer factories and the
 * real `Sanitizer`, plus the Plotly extension's factory at rank 0 when
 * asked. The areas stay reachable as `window.labAreas` for `inspectLab`.
 */
export async function renderInLab(c: RenderCase): Promise<void> {
  // deno-lint-ignore no-explicit-any
  const w = window as any;
  const L = w.JupyterLab;
  const rendermime = new L.RenderMimeRegistry({
    initialFactories: L.standardRendererFactories,
    sanitizer: new L.Sanitizer(),
  });
  if (c.plotly) rendermime.addFactory(L.plotlyRendererFactory, 0);
  const host = document.getElementById("host") as HTMLElement;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  // deno-lint-ignore no-explicit-any
  const areas: any[] = [];
  w.labAreas = areas;
  if (c.mode === "open") {
    for (const outputs of c.cells) {
      const model = new L.OutputAreaModel({
        values: outputs,
        trusted: c.trusted,
      });
      areas.push(new L.OutputArea({ model, rendermime }));
    }
    // The renderers draw into the detached areas first, as for cells that a
    // notebook lays out before they are on screen: attach once every Plotly
    // renderer has drawn (or 10 s have passed).
    const drawn = () =>
      areas.every((area) =>
        [...area.node.querySelectorAll(".jp-RenderedPlotly")].every((n) =>
          n.querySelector(".plot-container, img[src]") !== null
        )
      );
    for (let waited = 0; !drawn() && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const area of areas) L.Widget.attach(area, host);
  } else {
    for (const outputs of c.cells) {
      const model = new L.OutputAreaModel({ trusted: c.trusted });
      const area = new L.OutputArea({ model, rendermime });
      areas.push(area);
      L.Widget.attach(area, host);
      for (const output of outputs) {
        await tick();
        model.add(output);
      }
    }
  }
}

/**
 * A short description of what the output areas show, which stops changing
 * once every renderer and upgrade has finished.
 */
export function labSignature(): string {
  const count = (s: string) => document.querySelectorAll(s).length;
  const images = [...document.querySelectorAll("#host img")]
    .filter((i) => (i as HTMLImageElement).complete).length;
  return [
    count(".js-plotly-plot .main-svg"),
    count("[data-state=static]"),
    count("[data-state=upgrading]"),
    count("[data-state=interactive]"),
    count(".jp-RenderedPlotly .plot-container"),
    images,
    document.getElementById("host")?.getBoundingClientRect().height,
  ].join(",");
}

/** What one chart output shows in the harness. */
export interface LabOutput {
  /** Code cell (from 0 among code cells) and output index. */
  cell: number;
  output: number;
  /** `"chart"` (a bundle with the Plotly MIME type) or `"part"` (plotly.js). */
  role: "chart" | "part";
  /** `"interactive"`, `"image"` (an `<img>`), `"svg"` (inline) or `"none"`. */
  shows: string;
  /** Height of the output in px. */
  height: number;
  /** Whether the Plotly extension wrote an `image/png` into the output. */
  png: boolean;
  /** Sentences naming what is wrong; empty when the output is right. */
  problems: string[];
}

/**
 * Judges every chart and plotly.js part output: a chart must be an
 * interactive Plotly chart (a drawn `.main-svg` of at least 200×200 px) or a
 * visible static picture (a loaded `<img>` or an inline `<svg>` of at least
 * 200×100 px), and its title must not overlap its subtitle; a part may be at
 * most 2 px tall.
 */
export function inspectLab(): LabOutput[] {
  // deno-lint-ignore no-explicit-any
  const areas = (window as any).labAreas as any[];
  const PLOTLY = "application/vnd.plotly.v1+json";
  const box = (e: Element) => e.getBoundingClientRect();
  const visible = (e: Element) =>
    (e as HTMLElement).checkVisibility?.({
      opacityProperty: true,
      visibilityProperty: true,
    }) ?? true;
  const overlap = (a: DOMRect, b: DOMRect) =>
    a.width > 0 && b.width > 0 && a.left < b.right && b.left < a.right &&
    a.top < b.bottom && b.top < a.bottom;
  const reports: LabOutput[] = [];
  areas.forEach((area, cell) => {
    for (let i = 0; i < area.model.length; i++) {
      const data = area.model.get(i).data as Record<string, unknown>;
      const html = String(data["text/html"] ?? "");
      const role = PLOTLY in data
        ? "chart"
        : html.includes("softmax-plotly-embed")
        ? "part"
        : undefined;
      if (role === undefined) continue;
      const node = area.widgets[i].node as HTMLElement;
      const height = box(node).height;
      const problems: string[] = [];
      const where = `cell ${cell} output ${i}`;
      let shows = "none";
      if (role === "part") {
        if (height > 2) {
          problems.push(`${where}: the plotly.js part takes ${height} px`);
        }
      } else {
        const plots = [...node.querySelectorAll(".js-plotly-plot")].filter(
          (p) => {
            const svg = p.querySelector(".main-svg");
            if (svg === null || !visible(svg)) return false;
            const b = box(svg);
            return b.width >= 200 && b.height >= 200;
          },
        );
        const images = [...node.querySelectorAll("img")].filter((img) => {
          const b = box(img);
          return img.complete && img.naturalWidth > 0 && visible(img) &&
            b.width >= 200 && b.height >= 100;
        });
        const svgs = [...node.querySelectorAll("svg")].filter((svg) => {
          if (svg.closest(".js-plotly-plot") !== null) return false;
          const b = box(svg);
          return visible(svg) && b.width >= 200 && b.height >= 100;
        });
        shows = plots.length > 0
          ? "interactive"
          : images.length > 0
          ? "image"
          : svgs.length > 0
          ? "svg"
          : "none";
        if (shows === "none") {
          const text = (node.textContent ?? "").replace(/\s+/g, " ").trim();
          problems.push(
            `${where}: neither an interactive chart nor a visible picture (${height} px; text ${
              JSON.stringify(text.slice(0, 80))
            })`,
          );
        }
        // A subtitle is plotly.js's title.subtitle or the title's later
        // lines: no two of these may overlap.
        for (const plot of plots) {
          const title = plot.querySelector(".g-gtitle .gtitle");
          if (title === null) continue;
          const lines = title.querySelectorAll("tspan.line");
          const parts = [
            ...lines.length > 0 ? lines : [title],
            ...plot.querySelectorAll(".g-gtitle .gtitle-subtitle"),
          ];
          const name = JSON.stringify(parts[0]?.textContent);
          for (let a = 0; a < parts.length; a++) {
            for (let b = a + 1; b < parts.length; b++) {
              if (overlap(box(parts[a]!), box(parts[b]!))) {
                problems.push(
                  `${where}: the title ${name} overlaps its subtitle (${
                    JSON.stringify(parts[b]!.textContent)
                  })`,
                );
              }
            }
          }
        }
      }
      reports.push({
        cell,
        output: i,
        role,
        shows,
        height: Math.round(height * 10) / 10,
        png: "image/png" in data,
        problems,
      });
    }
  });
  return reports;
}

/**
 * What hostile labels and titles could have smuggled into the output areas:
 * a set `window.__pwned`, event-handler attributes, `javascript:` URLs in
 * URL attributes, links (with an href) inside charts, images other than a chart's picture (an SVG data
 * URI) and the Plotly extension's own snapshot (`img.plot-img`, a PNG data
 * URI or empty), and scripts other than the module's (the plotly.js parts',
 * each chart's figure JSON and upgrade script). Also every chart's title as
 * shown: Plotly's first title line, else the picture's alt text.
 */
export function labInjections(): { problems: string[]; titles: string[] } {
  const problems: string[] = [];
  const w = window as unknown as Record<string, unknown>;
  if (w.__pwned !== undefined) problems.push(`window.__pwned is ${w.__pwned}`);
  const host = document.getElementById("host") as HTMLElement;
  const describe = (e: Element) =>
    `<${e.tagName.toLowerCase()}${
      [...e.attributes].map((a) => ` ${a.name}="${a.value.slice(0, 40)}"`)
        .join("")
    }>`;
  for (const e of host.querySelectorAll("*")) {
    const tag = e.tagName.toLowerCase();
    for (const a of e.attributes) {
      const value = a.value.replace(/[\s\p{Cc}]/gu, "").toLowerCase();
      if (a.name.toLowerCase().startsWith("on")) {
        problems.push(`event handler on ${describe(e)}`);
      }
      // Only URL attributes load or run anything; Plotly keeps the raw
      // label in data-unformatted, which is inert text.
      const url = /(^|:)(href|src|action|formaction|srcdoc)$/.test(
        a.name.toLowerCase(),
      );
      if (url && value.startsWith("javascript:")) {
        problems.push(`javascript: URL on ${describe(e)}`);
      }
    }
    // Plotly's modebar buttons are <a> elements without href.
    if (
      tag === "a" && e.hasAttribute("href") &&
      e.closest(".softmax-chart, .js-plotly-plot") !== null
    ) {
      problems.push(`link in a chart: ${describe(e)}`);
    }
    if (tag === "img") {
      const src = e.getAttribute("src") ?? "";
      const picture = e.classList.contains("softmax-chart-img") &&
        src.startsWith("data:image/svg+xml;base64,");
      const snapshot = e.classList.contains("plot-img") &&
        (src === "" || src.startsWith("data:image/png;base64,"));
      if (!picture && !snapshot) problems.push(`unexpected ${describe(e)}`);
    }
    if (["iframe", "object", "embed", "form", "base"].includes(tag)) {
      problems.push(`unexpected ${describe(e)}`);
    }
    if (tag === "script") {
      const ours = e.closest("div.softmax-plotly-embed, div.softmax-chart");
      if (ours === null) {
        problems.push(
          `unexpected script: ${(e.textContent ?? "").slice(0, 60)}`,
        );
      }
    }
  }
  const titles: string[] = [];
  for (const child of host.querySelectorAll(".jp-OutputArea-output")) {
    const plot = child.querySelector(".js-plotly-plot .gtitle");
    const img = child.querySelector("img.softmax-chart-img");
    if (plot !== null && getComputedStyle(plot).display !== "none") {
      titles.push(
        plot.querySelector("tspan.line")?.textContent ?? plot.textContent ??
          "",
      );
    } else if (img !== null) {
      titles.push(`alt: ${img.getAttribute("alt") ?? ""}`);
    }
  }
  return { problems, titles };
}
