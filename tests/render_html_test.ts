import assert from "node:assert/strict";
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
import {
  assertInert,
  byClass,
  byTag,
  HOSTILE,
  lines,
  parseHtml,
  parseXml,
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
    "svg",
    "script",
    "script",
  ]);
  const [svg, json, upgrade] = children as [
    typeof root,
    typeof root,
    typeof root,
  ];
  assert.equal(json.getAttribute("type"), "application/json");
  assert.equal(json.getAttribute("class"), "softmax-chart-figure");
  assert.equal(upgrade.textContent, UPGRADE_SCRIPT);
  return { root, svg, figure: JSON.parse(json.textContent ?? ""), upgrade };
}

Deno.test("toHTML fragment: the SVG, the figure as inert JSON, and the upgrade script", async (t) => {
  const p = softmax([2, 1, 0.1], { labels: LABELS });
  const fragment = toHTML(p);
  const { root, figure } = partsOf(fragment);
  assert.equal(root.getAttribute("data-chart"), "bars");
  assert.ok(fragment.includes(toSVG(p)), "the SVG is inlined byte for byte");
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
      const fragment = toHTML(result, { title: "</script><!--<script>" });
      // As HTML, the way a browser reads it: exactly our scripts, nothing else active.
      const doc = parseHtml(fragment);
      const scripts = byTag(doc, "script");
      assert.equal(scripts.length, 2);
      assertInert(doc, (s) =>
        s.textContent === UPGRADE_SCRIPT ||
        (s.getAttribute("type") === "application/json" &&
          JSON.parse(s.textContent ?? "") !== undefined));
      // The JSON text has no '<', '>', '&' or line separators that a parser could act on.
      const json = scripts[0]!.textContent ?? "";
      assert.ok(!/[<>&\u2028\u2029]/.test(json));
      // Labels still come out literally where they are shown.
      const { figure } = partsOf(fragment);
      assert.equal(
        figure.layout.title.text,
        "&lt;/script&gt;&lt;!--&lt;script&gt;",
      );
      const svgLabels = byClass(doc, "labels").flatMap((g) =>
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

Deno.test("plotlyEmbedOf hides AMD define while plotly.js runs and cannot be cut short", () => {
  const embed = plotlyEmbedOf(
    "/** plotly.js v9.8.7 */ var s = '</script><!-- x'; var t = '</SCRIPT>';",
  );
  assert.match(embed, /data-plotly-version="9\.8\.7"/);
  assert.equal(embed.match(/<\/script/gi)?.length, 2); // the two script elements' own ends
  assert.ok(!embed.includes("<!--"));
  assert.ok(embed.includes("'<\\/script><\\!-- x'"));
  const doc = parseHtml(embed);
  const scripts = byTag(doc, "script");
  assert.equal(scripts.length, 2);
  assert.equal(scripts[0]!.getAttribute("type"), "text/plain");
  const assemble = scripts[1]!.textContent ?? "";
  assert.match(assemble, /if\(a\)w\.define=undefined;s\.text=t\.join\(""\)/);
  assert.match(assemble, /if\(a\)w\.define=f\}/);
  assert.ok(assemble.endsWith(`${UPGRADE_SCRIPT}})(window,document)`));
});

Deno.test("plotlyEmbedPartsOf cuts plotly.js into parts that join back to the escaped source", async (t) => {
  const source =
    "/* plotly.js v1.2.3 */ var a = '</script>'; var b = '😀😀😀';";
  const whole = byTag(parseHtml(plotlyEmbedOf(source)), "script")[0]!
    .textContent;
  const pieces = (parts: string[]) =>
    parts.map((part) => byTag(parseHtml(part), "script")[0]!.textContent);
  await t.step("parts of at most partChars characters, numbered", () => {
    const parts = plotlyEmbedPartsOf(source, 10);
    assert.equal(parts.length, Math.ceil(whole!.length / 10));
    assert.equal(pieces(parts).join(""), whole);
    for (const [i, part] of parts.entries()) {
      assert.ok(
        part.includes(`data-part="${i}" data-parts="${parts.length}"`),
      );
    }
    assert.ok(pieces(parts).every((p) => p!.length <= 10));
  });
  await t.step("a surrogate pair is never split", () => {
    // Odd sizes put some boundaries inside an emoji's two code units.
    for (const size of [3, 5, 7, 11]) {
      const texts = pieces(plotlyEmbedPartsOf(source, size));
      assert.equal(texts.join(""), whole);
      for (const text of texts) {
        assert.ok(!/[\ud800-\udbff]$/.test(text!), `size ${size}`);
        assert.ok(!/^[\udc00-\udfff]/.test(text!), `size ${size}`);
      }
    }
  });
  await t.step("no part can end its script early", () => {
    for (const part of plotlyEmbedPartsOf(source, 4)) {
      assert.equal(part.match(/<\/script/gi)?.length, 2);
      assert.ok(!part.includes("<!--"));
    }
  });
});

Deno.test("toHTML({ standalone: true }) is a complete offline page with plotly.js inlined once", async () => {
  const p = softmax([2, 1, 0.1], { labels: LABELS });
  const page = await toHTML(p, { standalone: true });
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.ok(page.length > 4_000_000);
  assert.equal(page.match(/class="softmax-plotly-embed"/g)?.length, 1);
  assert.equal(page.match(/plotly\.js v3\.7\.0/g)?.length, 1);
  const embedAt = page.indexOf("softmax-plotly-embed");
  const chartAt = page.indexOf("class='softmax-chart'");
  assert.ok(
    0 < embedAt && embedAt < chartAt,
    "plotly.js comes before the chart",
  );
  assert.ok(page.includes(toHTML(p)));
  // Nothing is fetched: no src or href attributes, no URLs outside plotly.js itself.
  const outside = page.slice(0, embedAt) +
    page.slice(page.indexOf("</div>", embedAt));
  assert.ok(
    !/\s(src|href)=/i.test(page.replace(/<script[^>]*>[^]*?<\/script>/g, "")),
  );
  assert.deepEqual(outside.match(/https?:\/\/[^\s'"]+/g), [
    "http://www.w3.org/2000/svg",
  ]);
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
