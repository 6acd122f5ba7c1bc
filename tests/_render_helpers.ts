// Shared by the rendering tests: real parsers for the SVG and HTML, hostile
// labels, a plain-JSON check and the golden-file normaliser.

import { DOMParser, type Element, type Node } from "npm:@xmldom/xmldom@0.9.12";
import assert from "node:assert/strict";

/** Labels that try to break out of every context they are placed in. */
export const HOSTILE = [
  "</script><script>window.__pwned=1</script>",
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload="window.__pwned=1">',
  "<!-- a",
  'a & b\'s "quoted" &amp;',
  "😀👍🏽",
  "שלום עולם",
  "<b>bold</b>\u2028line\u2029para",
];

/** Parses XML strictly: any well-formedness error throws. */
export function parseXml(text: string) {
  return new DOMParser({
    onError(level, message) {
      if (level !== "warning") throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(text, "text/xml");
}

/** Parses HTML with xmldom's HTML rules (script content is raw text). */
export function parseHtml(text: string) {
  return new DOMParser({
    onError(level, message) {
      if (level === "fatalError") throw new Error(`HTML ${level}: ${message}`);
    },
  }).parseFromString(text, "text/html");
}

/** Every element under (and including) `node`, in document order. */
export function elements(node: Node): Element[] {
  const out: Element[] = [];
  const visit = (n: Node) => {
    if (n.nodeType === 1) out.push(n as Element);
    for (let c = n.firstChild; c !== null; c = c.nextSibling) visit(c);
  };
  visit(node);
  return out;
}

/** Elements with a class, found by walking (xmldom has no querySelector). */
export function byClass(node: Node, name: string): Element[] {
  return elements(node).filter((e) =>
    (e.getAttribute("class") ?? "").split(/\s+/).includes(name)
  );
}

/** Elements with a tag name (local name, any namespace). */
export function byTag(node: Node, name: string): Element[] {
  return elements(node).filter((e) => e.localName === name);
}

/** The muted span each subtitle line of a Plotly title is wrapped in. */
export const SUBTITLE_SPAN =
  '<span style="font-size:12px;font-weight:400;color:#555555">';

/**
 * A Plotly title's lines: the title, then each subtitle line without its
 * span (the renderer writes them as lines of one text).
 */
export function titleLines(title: unknown): string[] {
  const text = (title as { text?: string } | undefined)?.text ?? "";
  return text.split("<br>").map((line, i) => {
    if (i === 0) return line;
    assert.ok(line.startsWith(SUBTITLE_SPAN) && line.endsWith("</span>"), line);
    return line.slice(SUBTITLE_SPAN.length, -"</span>".length);
  });
}

/** The prefix of a chart picture's `src`: the SVG as a base64 data URI. */
export const SVG_DATA_URI = "data:image/svg+xml;base64,";

/** The SVG a chart picture (`img.softmax-chart-img`) carries, decoded. */
export function pictureSvg(img: Element): string {
  const src = img.getAttribute("src") ?? "";
  assert.ok(
    src.startsWith(SVG_DATA_URI),
    `not an SVG data URI: ${src.slice(0, 40)}`,
  );
  return new TextDecoder().decode(
    Uint8Array.fromBase64(src.slice(SVG_DATA_URI.length)),
  );
}

/**
 * Nothing that could run: no event-handler attributes, links, or elements
 * that load or run content. The one image allowed is a chart's picture
 * (`img.softmax-chart-img` with an SVG data URI), and the SVG it carries is
 * held to the same rule.
 */
export function assertInert(
  node: Node,
  allowScript: (script: Element) => boolean = () => false,
): void {
  for (const e of elements(node)) {
    const name = (e.localName ?? e.nodeName).toLowerCase();
    if (name === "img" && e.getAttribute("class") === "softmax-chart-img") {
      assert.deepEqual(
        [...Array(e.attributes.length).keys()].map((i) =>
          e.attributes.item(i)?.name
        ),
        ["class", "src", "alt", "width", "height", "style"],
      );
      assertInert(parseXml(pictureSvg(e)));
      continue;
    }
    assert.ok(
      ![
        "iframe",
        "img",
        "object",
        "embed",
        "foreignobject",
        "a",
        "image",
        "use",
        "animate",
        "set",
      ]
        .includes(name),
      `unexpected <${name}> element`,
    );
    if (name === "script") {
      assert.ok(
        allowScript(e),
        `unexpected <script>: ${e.textContent?.slice(0, 80)}`,
      );
    }
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes.item(i);
      if (a === null) continue;
      const attr = a.name.toLowerCase();
      assert.ok(!attr.startsWith("on"), `event handler attribute ${attr}`);
      assert.ok(!/(^|:)href$|^src$/.test(attr), `link attribute ${attr}`);
    }
  }
}

/** Plain JSON data only: what the notebook kernel can send (no typed arrays, no NaN). */
export function assertPlainJson(value: unknown, path = "value"): void {
  if (
    value === null || typeof value === "string" || typeof value === "boolean"
  ) {
    return;
  }
  if (typeof value === "number") {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlainJson(v, `${path}[${i}]`));
    return;
  }
  assert.equal(typeof value, "object", `${path} is ${typeof value}`);
  assert.equal(
    Object.getPrototypeOf(value),
    Object.prototype,
    `${path} is not a plain object`,
  );
  for (const [k, v] of Object.entries(value as object)) {
    assertPlainJson(v, `${path}.${k}`);
  }
}

/**
 * Golden-file normalisation (Observable Plot's approach): long decimals
 * rounded to 6 significant digits (the last ulps of exp may differ between
 * machines; the picture does not), content hashes renumbered in order.
 */
export function normalize(text: string): string {
  const ids = new Map<string, string>();
  return text
    .replace(
      /-?\d+\.\d{7,}(e-?\d+)?/g,
      (n) => String(Number(Number(n).toPrecision(6))),
    )
    .replace(/data-chart-id='([0-9a-f]{8})'/g, (_, id: string) => {
      if (!ids.has(id)) ids.set(id, `id${ids.size + 1}`);
      return `data-chart-id='${ids.get(id)}'`;
    });
}

/** One line per element, so that a golden-file diff points at the element that changed. */
export function lines(markup: string): string {
  return normalize(markup).replace(/></g, ">\n<");
}

/** The sentence a screen reader reads for an SVG chart: its aria-label. */
export function ariaOf(svg: string): string {
  return parseXml(svg).documentElement?.getAttribute("aria-label") ?? "";
}
