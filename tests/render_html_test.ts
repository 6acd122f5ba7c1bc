import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import {
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toHTML,
  toPlotly,
  toSVG,
} from "../mod.ts";
import {
  plotlyEmbedOf,
  plotlyEmbedPartsOf,
  UPGRADE_SCRIPT,
} from "../lib/charts/render/_html.ts";
import { packPlotly } from "../lib/charts/render/_plotly_source.ts";
import {
  assertInert,
  byClass,
  byTag,
  HOSTILE,
  lines,
  parseHtml,
  parseXml,
  pictureSvg,
  SVG_DATA_URI,
} from "./_render_helpers.ts";

const LABELS = ["cat", "dog", "bird"];

/** The fragment's parts, checked against its documented structure. */
function partsOf(fragment: string) {
  const root = parseXml(fragment).documentElement!;
  assert.equal(root.localName, "div");
  assert.equal(root.getAttribute("class"), "softmax-chart");
  assert.equal(root.getAttribute("data-state"), "static");
  assert.match(root.getAttribute("data-chart-id") ?? "", /^[0-9a-f]{8}$/);
  const children = [...Array(root.childNodes.length).keys()].map((i) =>
    root.childNodes.item(i)!
  );
  assert.deepEqual(children.map((c) => c.nodeName), [
    "img",
    "script",
    "script",
  ]);
  const [img, json, upgrade] = children as [
    typeof root,
    typeof root,
    typeof root,
  ];
  assert.equal(img.getAttribute("class"), "softmax-chart-img");
  assert.ok((img.getAttribute("src") ?? "").startsWith(SVG_DATA_URI));
  assert.equal(json.getAttribute("type"), "application/json");
  assert.equal(json.getAttribute("class"), "softmax-chart-figure");
  assert.equal(upgrade.textContent, UPGRADE_SCRIPT);
  const svgText = pictureSvg(img);
  return {
    root,
    img,
    svgText,
    svg: parseXml(svgText).documentElement!,
    figure: JSON.parse(json.textContent ?? ""),
    upgrade,
  };
}

Deno.test("toHTML fragment: the SVG as a picture with its description, the figure as inert JSON, and the upgrade script", async (t) => {
  const p = softmax([2, 1, 0.1], { labels: LABELS });
  const fragment = toHTML(p);
  const { root, img, svg, svgText, figure } = partsOf(fragment);
  assert.equal(root.getAttribute("data-chart"), "bars");
  assert.equal(svgText, toSVG(p), "the picture is the SVG byte for byte");
  assert.equal(img.getAttribute("alt"), svg.getAttribute("aria-label"));
  assert.match(img.getAttribute("alt") ?? "", /^softmax over 3 classes/);
  assert.equal(img.getAttribute("width"), svg.getAttribute("width"));
  assert.equal(img.getAttribute("height"), svg.getAttribute("height"));
  assert.deepEqual(figure, toPlotly(p));
  await t.assertSnapshot(lines(fragment));
});

Deno.test("toHTML names the kind of chart in data-chart", () => {
  const kind = (html: string) =>
    parseXml(html).documentElement!.getAttribute("data-chart");
  assert.equal(kind(toHTML(sigmoid([1, 2]))), "bars");
  assert.equal(kind(toHTML(compare([1, 2]))), "compare");
  assert.equal(
    kind(toHTML(temperatureExplorer([1, 2]))),
    "temperature-explorer",
  );
  assert.equal(kind(toHTML(softmax([[1, 2], [3, 4]]))), "multiples");
  assert.equal(
    kind(toHTML(softmax(Array.from({ length: 9 }, () => [1, 2])))),
    "heatmap",
  );
});

Deno.test("toHTML ids come from the content: equal charts share one, different charts do not", () => {
  const id = (html: string) =>
    parseXml(html).documentElement!.getAttribute("data-chart-id");
  assert.equal(id(toHTML(softmax([1, 2, 3]))), id(toHTML(softmax([1, 2, 3]))));
  assert.notEqual(
    id(toHTML(softmax([1, 2, 3]))),
    id(toHTML(softmax([1, 2, 4]))),
  );
  assert.notEqual(
    id(toHTML(softmax([1, 2]))),
    id(toHTML(softmax([1, 2]), { title: "x" })),
  );
  // An attribute, not an id: two copies of one chart on a page stay valid HTML.
  assert.ok(!/\sid=/.test(toHTML(softmax([1, 2, 3]))));
});

Deno.test("toHTML with hostile labels: only our two scripts, and the JSON cannot end its element", async (t) => {
  const cases = {
    softmax: softmax(HOSTILE.map((_, i) => i), { labels: HOSTILE }),
    sigmoid: sigmoid(HOSTILE.map((_, i) => i - 3), { labels: HOSTILE }),
    compare: compare(HOSTILE.map((_, i) => i), { labels: HOSTILE }),
    explorer: temperatureExplorer(HOSTILE.map((_, i) => i), {
      labels: HOSTILE,
    }),
    heatmap: softmax(
      Array.from({ length: 9 }, () => HOSTILE.map((_, i) => i)),
      { labels: HOSTILE },
    ),
    multiples: softmax([HOSTILE.map((_, i) => i), HOSTILE.map((_, i) => -i)], {
      labels: HOSTILE,
    }),
  };
  for (const [name, result] of Object.entries(cases)) {
    await t.step(name, () => {
      const title = "</script><!--<script>";
      const fragment = toHTML(result, { title });
      // As HTML, the way a browser reads it: exactly our scripts, nothing else
      // active, and the JSON one reads back as the chart's Plotly figure.
      const doc = parseHtml(fragment);
      const scripts = byTag(doc, "script");
      assert.equal(scripts.length, 2);
      const figureJson = JSON.parse(
        JSON.stringify(toPlotly(result, { title })),
      );
      assertInert(doc, (s) =>
        s.textContent === UPGRADE_SCRIPT ||
        (s.getAttribute("type") === "application/json" &&
          isDeepStrictEqual(JSON.parse(s.textContent ?? ""), figureJson)));
      // The JSON text has no '<', '>', '&' or line separators that a parser could act on.
      const json = scripts[0]!.textContent ?? "";
      assert.ok(!/[<>&\u2028\u2029]/.test(json));
      // Labels still come out literally where they are shown.
      const { figure } = partsOf(fragment);
      assert.equal(
        figure.layout.title.text.split("<br>")[0],
        "&lt;/script&gt;&lt;!--&lt;script&gt;",
      );
      // The picture's alt text is the chart's description, literally.
      const { img, svg } = partsOf(fragment);
      assert.equal(img.getAttribute("alt"), svg.getAttribute("aria-label"));
      assert.ok(
        (img.getAttribute("alt") ?? "").startsWith("</script><!--<script>"),
      );
      const svgLabels = byClass(svg, "labels").flatMap((g) =>
        byTag(g, "text").map((e) => e.textContent)
      );
      assert.ok(svgLabels.includes(`a & b's "quoted" &amp;`));
      assert.ok(svgLabels.includes("<!-- a"));
      assert.ok(svgLabels.includes(`"><svg onload="window._…`));
    });
  }
});

Deno.test("toHTML's upgrade script is plain: no markup characters, no network, no ids", () => {
  assert.ok(!/[<&]/.test(UPGRADE_SCRIPT));
  assert.ok(
    !/https?:|fetch|XMLHttpRequest|getElementById|Math\.random|Date/.test(
      UPGRADE_SCRIPT,
    ),
  );
  assert.match(UPGRADE_SCRIPT, /div\.softmax-chart\[data-state=static\]/);
});

/** What a browser's DecompressionStream("gzip") makes of base64 text. */
async function gunzip(base64: string): Promise<string> {
  const stream = new Blob([Uint8Array.fromBase64(base64)]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

Deno.test("packPlotly gzips plotly.js deterministically, with no timestamp, and the browser's gunzip gives it back", async () => {
  const source =
    "/**\n* plotly.js (cartesian - minified) v9.8.7\n*/ var s = '</script><!-- x'; 😀";
  const a = await packPlotly(source);
  const b = await packPlotly(source);
  assert.equal(a.version, "9.8.7");
  assert.equal(a.base64, b.base64);
  assert.match(a.base64, /^[A-Za-z0-9+/]+=*$/);
  const bytes = Uint8Array.fromBase64(a.base64);
  assert.deepEqual([...bytes.slice(0, 3)], [0x1f, 0x8b, 8]); // gzip, deflate
  assert.deepEqual([...bytes.slice(4, 8)], [0, 0, 0, 0]); // no mtime
  assert.equal(await gunzip(a.base64), source);
  assert.equal((await packPlotly("no header")).version, "unknown");
});

Deno.test("plotlyEmbedOf hides AMD define while plotly.js runs, decompresses it in the page, and hides itself", async () => {
  const packed = await packPlotly("/** plotly.js v9.8.7 */ var t = 1;");
  const embed = plotlyEmbedOf(packed);
  assert.match(embed, /data-plotly-version="9\.8\.7"/);
  assert.equal(embed.match(/<\/script/gi)?.length, 2); // the two script elements' own ends
  const doc = parseHtml(embed);
  const div = byClass(doc, "softmax-plotly-embed")[0]!;
  // Kept by HTML sanitizers (a valueless hidden="" is not).
  assert.equal(div.getAttribute("hidden"), "hidden");
  assert.equal(div.getAttribute("style"), "display:none");
  const scripts = byTag(doc, "script");
  assert.equal(scripts.length, 2);
  assert.equal(scripts[0]!.getAttribute("type"), "text/plain");
  assert.equal(scripts[0]!.textContent, packed.base64);
  const assemble = scripts[1]!.textContent ?? "";
  assert.match(assemble, /new DecompressionStream\("gzip"\)/);
  assert.match(assemble, /if\(a\)w\.define=undefined;s\.text=x;/);
  assert.match(assemble, /if\(a\)w\.define=f;/);
  assert.ok(assemble.endsWith(`${UPGRADE_SCRIPT}})(window,document)`));
});

Deno.test("plotlyEmbedPartsOf cuts packed plotly.js into numbered parts that join back to it", async () => {
  const packed = await packPlotly(
    "/* plotly.js v1.2.3 */ var a = '</script>'; var b = '😀😀😀';".repeat(3),
  );
  const pieces = (parts: string[]) =>
    parts.map((part) => byTag(parseHtml(part), "script")[0]!.textContent);
  const parts = plotlyEmbedPartsOf(packed, 10);
  assert.equal(parts.length, Math.ceil(packed.base64.length / 10));
  assert.equal(pieces(parts).join(""), packed.base64);
  assert.ok(pieces(parts).every((p) => p!.length <= 10));
  for (const [i, part] of parts.entries()) {
    assert.ok(part.includes(`data-part="${i}" data-parts="${parts.length}"`));
    assert.equal(part.match(/<\/script/gi)?.length, 2);
  }
  assert.equal(plotlyEmbedPartsOf(packed).length, 1);
});

Deno.test("toHTML({ standalone: true }) is a complete offline page with plotly.js inlined once", async () => {
  const p = softmax([2, 1, 0.1], { labels: LABELS });
  const page = await toHTML(p, { standalone: true });
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  // The cartesian bundle, gzipped and base64-encoded: 0.65 MB.
  assert.ok(page.length > 500_000 && page.length < 1_000_000, `${page.length}`);
  assert.equal(page.match(/class="softmax-plotly-embed"/g)?.length, 1);
  assert.equal(page.match(/data-plotly-version="3\.7\.0"/g)?.length, 1);
  const embedAt = page.indexOf("softmax-plotly-embed");
  const chartAt = page.indexOf("class='softmax-chart'");
  assert.ok(
    0 < embedAt && embedAt < chartAt,
    "plotly.js comes before the chart",
  );
  assert.ok(page.includes(toHTML(p)));
  // Nothing is fetched: no href, no src but the picture's data URI, no URLs.
  const markup = page.replace(/<script[^>]*>[^]*?<\/script>/g, "");
  assert.ok(!/\shref=/i.test(markup));
  assert.deepEqual(
    [...markup.matchAll(/\ssrc='([^']{0,26})/gi)].map((m) => m[1]),
    [SVG_DATA_URI],
  );
  assert.equal(page.match(/https?:\/\/[^\s'"]+/g), null);
  assert.match(page, /<title>softmax over 3 classes<\/title>/);
});

Deno.test("toHTML standalone escapes the page title", async () => {
  const page = await toHTML(softmax([1, 2]), {
    standalone: true,
    title: "</title><script>x</script>",
  });
  assert.match(
    page,
    /<title>&lt;\/title&gt;&lt;script&gt;x&lt;\/script&gt;<\/title>/,
  );
});
