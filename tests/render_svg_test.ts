import assert from "node:assert/strict";
import {
  chart,
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toSVG,
} from "../mod.ts";
import {
  assertInert,
  byClass,
  byTag,
  elements,
  HOSTILE,
  lines,
  parseXml,
} from "./_render_helpers.ts";

const LABELS = ["cat", "dog", "bird"];

function svgOf(markup: string) {
  const doc = parseXml(markup);
  const root = doc.documentElement;
  assert.ok(root !== null);
  assert.equal(root.localName, "svg");
  assert.equal(root.namespaceURI, "http://www.w3.org/2000/svg");
  return root;
}

const texts = (node: Parameters<typeof byTag>[0]) =>
  byTag(node, "text").map((t) => t.textContent ?? "");

Deno.test("toSVG(softmax) is an accessible standalone SVG document", async (t) => {
  const markup = toSVG(softmax([2, 1, 0.1], { labels: LABELS }));
  const svg = svgOf(markup);
  assert.equal(svg.getAttribute("role"), "img");
  assert.equal(
    svg.getAttribute("aria-label"),
    "softmax over 3 classes: cat 0.66 (argmax), dog 0.24, bird 0.10; sum 1.000",
  );
  const title = svg.firstChild;
  assert.equal(title?.nodeName, "title");
  assert.equal(title?.textContent, "softmax over 3 classes");
  assert.ok(Number(svg.getAttribute("width")) >= 640);
  assert.equal(
    svg.getAttribute("viewBox"),
    `0 0 ${svg.getAttribute("width")} ${svg.getAttribute("height")}`,
  );
  await t.assertSnapshot(lines(markup));
});

Deno.test("toSVG draws one rect.bar per shown class, with its class index", () => {
  const svg = svgOf(toSVG(softmax([2, 1, 0.1], { labels: LABELS })));
  const bars = byClass(svg, "bar");
  assert.equal(bars.length, 3);
  assert.ok(bars.every((b) => b.localName === "rect"));
  assert.deepEqual(bars.map((b) => b.getAttribute("data-index")), [
    "0",
    "1",
    "2",
  ]);
  assert.deepEqual(texts(byClass(svg, "labels")[0]!), LABELS);
  assert.deepEqual(texts(byClass(svg, "values")[0]!), ["0.66", "0.24", "0.10"]);
  // Bar heights are proportional to the values.
  const h = bars.map((b) => Number(b.getAttribute("height")));
  assert.ok(Math.abs(h[0]! / h[1]! - 0.659 / 0.242) < 0.05);
});

Deno.test("toSVG marks and highlights the softmax argmax", () => {
  const svg = svgOf(toSVG(softmax([1, 3, 2])));
  const [argmax, ...rest] = byClass(svg, "argmax");
  assert.equal(rest.length, 0);
  assert.equal(argmax?.getAttribute("data-index"), "1");
  assert.equal(argmax?.getAttribute("fill"), "#D55E00");
  assert.deepEqual(texts(byClass(svg, "marks")[0]!), ["argmax"]);
  assert.equal(byClass(svg, "threshold").length, 0);
});

Deno.test("toSVG(sigmoid) draws the threshold and marks the bars above it", async (t) => {
  const markup = toSVG(sigmoid([2, 1, -1], { labels: LABELS }));
  const svg = svgOf(markup);
  assert.equal(byClass(svg, "threshold").length, 1);
  assert.deepEqual(texts(byClass(svg, "threshold-label")[0]!), [
    "threshold 0.5",
  ]);
  assert.deepEqual(
    byClass(svg, "predicted").map((b) => b.getAttribute("data-index")),
    ["0", "1"],
  );
  assert.deepEqual(byClass(svg, "subtitle").map((s) => s.textContent), [
    "sum 1.88, 2 classes above 0.5: not a probability distribution",
  ]);
  await t.assertSnapshot(lines(markup));
  await t.step("the threshold option moves the line", () => {
    const at = (threshold: number) => {
      const d = byClass(
        svgOf(toSVG(sigmoid([2, 1, -1]), { threshold })),
        "threshold",
      )[0]!
        .getAttribute("d")!;
      return Number(/^M[\d.]+ ([\d.]+)/.exec(d)?.[1]);
    };
    assert.ok(at(0.9) < at(0.5) && at(0.5) < at(0.1));
    assert.equal(
      byClass(
        svgOf(toSVG(sigmoid([2, 1, -1]), { threshold: 0.9 })),
        "predicted",
      ).length,
      0,
    );
  });
  await t.step("softmax draws a threshold only when asked", () => {
    assert.equal(
      byClass(svgOf(toSVG(softmax([1, 2]), { threshold: 0.3 })), "threshold")
        .length,
      1,
    );
  });
});

Deno.test("toSVG draws NaN as a labelled gap", () => {
  const svg = svgOf(toSVG(softmax([1, NaN, 2])));
  const missing = byClass(svg, "missing");
  assert.equal(missing.length, 3);
  assert.ok(missing.every((m) => m.getAttribute("fill") === "none"));
  assert.deepEqual(texts(byClass(svg, "gaps")[0]!), ["NaN", "NaN", "NaN"]);
  assert.match(svg.getAttribute("aria-label")!, /class 0 NaN, class 1 NaN/);
});

Deno.test("toSVG folds many classes into the top ones and one other bar", () => {
  const x = new Float64Array(50_000).map((_, i) => Math.sin(i));
  const p = softmax(x);
  const svg = svgOf(toSVG(p));
  const bars = byClass(svg, "bar");
  assert.equal(bars.length, 21);
  const other = bars.at(-1)!;
  assert.equal(other.getAttribute("data-index"), "-1");
  assert.ok(other.getAttribute("class")!.split(" ").includes("other"));
  // The other bar is grey, apart from the blue and vermillion class bars.
  assert.equal(other.getAttribute("fill"), "#8C8C8C");
  assert.equal(
    texts(byClass(svg, "labels")[0]!).at(-1),
    "other (49,980 classes)",
  );
  // The shown classes are the largest, in descending order.
  const shown = bars.slice(0, -1).map((b) =>
    p[Number(b.getAttribute("data-index"))]!
  );
  assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
  assert.equal(
    Math.min(...shown) >= Math.max(...[...p].filter((v) => !shown.includes(v))),
    true,
  );
  assert.equal(byClass(svgOf(toSVG(p, { maxBars: 5 })), "bar").length, 6);
});

Deno.test("toSVG escapes hostile labels and titles: nothing can run", async (t) => {
  const labels = HOSTILE;
  for (
    const [name, result] of [
      ["softmax", softmax(labels.map((_, i) => i), { labels })],
      ["sigmoid", sigmoid(labels.map((_, i) => i - 3), { labels })],
      ["compare", compare(labels.map((_, i) => i), { labels })],
      ["top-k", softmax(labels.map((_, i) => i), { labels })],
      [
        "heatmap",
        softmax(Array.from({ length: 8 }, () => labels.map((_, i) => i)), {
          labels,
        }),
      ],
      [
        "multiples",
        softmax([labels.map((_, i) => i), labels.map((_, i) => -i)], {
          labels,
        }),
      ],
    ] as const
  ) {
    await t.step(name, () => {
      const markup = toSVG(result, {
        title: "</title><script>alert(1)</script>",
        maxBars: name === "top-k" ? 3 : 20,
      });
      const svg = svgOf(markup);
      assertInert(svg);
      const shown = texts(byClass(svg, "labels")[0]!);
      for (const label of shown) {
        assert.ok(
          HOSTILE.some((h) =>
            h.replace(/[\u2028\u2029]/g, " ").startsWith(
              label.replace(/…$/, ""),
            )
          ) ||
            label.startsWith("other ("),
          `label ${label}`,
        );
      }
      assert.equal(
        byTag(svg, "title")[0]?.textContent,
        "</title><script>alert(1)</script>",
      );
    });
  }
  await t.step("labels are shown literally, quotes and all", () => {
    const svg = svgOf(
      toSVG(
        softmax([1, 2, 3], { labels: [`"><svg onload=x>`, "a & b", "x'y"] }),
      ),
    );
    assert.deepEqual(texts(byClass(svg, "labels")[0]!), [
      `"><svg onload=x>`,
      "a & b",
      "x'y",
    ]);
    assert.match(
      svg.getAttribute("aria-label")!,
      /^softmax over 3 classes: "><svg onload=x> 0\.09/,
    );
  });
});

Deno.test("toSVG shortens long labels without splitting characters", () => {
  const long = "😀".repeat(30);
  const svg = svgOf(toSVG(softmax([1, 2], { labels: [long, "a".repeat(40)] })));
  const [emoji, ascii] = texts(byClass(svg, "labels")[0]!);
  assert.equal(emoji, "😀".repeat(23) + "…");
  assert.equal(ascii, "a".repeat(23) + "…");
});

Deno.test("toSVG has no ids, scripts or external references, so copies can share a page", () => {
  for (
    const markup of [
      toSVG(softmax([1, 2, 3])),
      toSVG(compare([1, 2, 3])),
      toSVG(softmax([[1, 2], [3, 4]])),
      toSVG(softmax(Array.from({ length: 20 }, () => [1, 2]))),
    ]
  ) {
    const svg = svgOf(markup);
    assert.ok(elements(svg).every((e) => !e.hasAttribute("id")));
    assertInert(svg);
  }
});

Deno.test("toSVG draws on an opaque card with explicit colours (readable on dark themes)", () => {
  const svg = svgOf(toSVG(compare([1, 2, 3])));
  const card = byClass(svg, "background")[0]!;
  assert.equal(card.getAttribute("fill"), "#ffffff");
  assert.ok(!toSVG(compare([1, 2, 3])).includes("currentColor"));
  for (const e of byTag(svg, "text")) {
    let n: typeof e | null = e;
    let fill: string | null = null;
    while (n !== null && fill === null) {
      fill = n.getAttribute("fill");
      n = n.parentNode?.nodeType === 1 ? n.parentNode as typeof e : null;
    }
    assert.ok(fill !== null, `text "${e.textContent}" has an explicit fill`);
  }
});

Deno.test("toSVG of a comparison: grouped bars, legend swatches, both sums", async (t) => {
  const markup = toSVG(compare([2, 1, 0.1], { labels: LABELS }));
  const svg = svgOf(markup);
  assert.equal(byClass(svg, "sigmoid").length, 3);
  assert.equal(byClass(svg, "softmax").length, 3);
  assert.equal(byClass(svg, "swatch").length, 2);
  assert.equal(byClass(svg, "threshold").length, 1);
  assert.deepEqual(byClass(svg, "subtitle").map((s) => s.textContent), [
    "sigmoid: sum 2.14, 3 classes above 0.5: not a probability distribution",
    "softmax: sum 1.000",
  ]);
  assert.match(
    svg.getAttribute("aria-label")!,
    /^sigmoid and softmax over 3 classes: cat: sigmoid 0\.88 \(above 0\.5\), softmax 0\.66 \(argmax\);/,
  );
  await t.assertSnapshot(lines(markup));
});

Deno.test("toSVG of a temperature explorer is the T = 1 chart", () => {
  const svg = svgOf(
    toSVG(temperatureExplorer([2, 1, 0.1], { labels: LABELS })),
  );
  const plain = svgOf(toSVG(softmax([2, 1, 0.1], { labels: LABELS })));
  assert.deepEqual(
    byClass(svg, "bar").map((b) => b.getAttribute("height")),
    byClass(plain, "bar").map((b) => b.getAttribute("height")),
  );
});

Deno.test("toSVG of n-D results: small multiples up to 6 rows, a heatmap beyond", async (t) => {
  await t.step("one panel per row, rects grouped by row", async () => {
    const markup = toSVG(
      softmax([[1, 2, 3], [3, 2, 1], [0, 0, 0]], { labels: LABELS }),
    );
    const svg = svgOf(markup);
    const panels = byClass(svg, "panel");
    assert.equal(panels.length, 3);
    for (const [i, panel] of panels.entries()) {
      assert.equal(panel.getAttribute("data-row"), String(i));
      assert.equal(byClass(panel, "bar").length, 3);
    }
    assert.deepEqual(texts(byClass(svg, "panel-titles")[0]!), [
      "row 0",
      "row 1",
      "row 2",
    ]);
    assert.equal(byClass(svg, "argmax").length, 3);
    assert.equal(
      svg.getAttribute("aria-label"),
      "softmax over 3 classes, 3 rows: row 0: argmax bird 0.67; row 1: argmax cat 0.67; row 2: argmax cat 0.33",
    );
    await t.assertSnapshot(lines(markup));
  });
  await t.step("panels share a bar budget", () => {
    const x = new Float32Array(6 * 1000).map((_, i) => Math.cos(i));
    const svg = svgOf(toSVG(softmax(x, { shape: [6, 1000] })));
    for (const panel of byClass(svg, "panel")) {
      assert.equal(byClass(panel, "bar").length, 3); // 2 classes + other
    }
  });
  await t.step("a heatmap beyond 6 rows, argmax marked per row", async () => {
    const x = Array.from({ length: 7 }, (_, r) => [r % 3, 1, 0.5]);
    const markup = toSVG(softmax(x, { labels: LABELS }));
    const svg = svgOf(markup);
    assert.equal(byClass(svg, "bar").length, 0);
    assert.equal(byClass(svg, "cells").length, 1);
    const segments = byClass(svg, "cells")[0]!.getElementsByTagName("path");
    let cells = 0;
    for (let i = 0; i < segments.length; i++) {
      cells += (segments.item(i)!.getAttribute("d")!.match(/M/g) ?? []).length;
    }
    assert.equal(cells, 7 * 3);
    const dots = byClass(svg, "argmax")[0]!.getElementsByTagName("path").item(
      0,
    )!;
    assert.equal(dots.getAttribute("d")!.match(/M/g)?.length, 7);
    assert.deepEqual(
      texts(byClass(svg, "row-labels")[0]!),
      Array.from({ length: 7 }, (_, r) => `row ${r}`),
    );
    await t.assertSnapshot(lines(markup));
  });
  await t.step("a heatmap draws NaN cells in light grey", () => {
    const x = Array.from({ length: 7 }, (_, r) => [r === 3 ? NaN : r, 1, 0]);
    const svg = svgOf(toSVG(softmax(x, { labels: LABELS })));
    const cells = byClass(svg, "cells")[0]!;
    const [missing, ...rest] = byClass(cells, "missing");
    assert.equal(rest.length, 0);
    assert.equal(missing!.getAttribute("stroke"), "#bdbdbd");
    // One segment per cell of row 3.
    assert.equal(missing!.getAttribute("d")!.match(/M/g)?.length, 3);
  });
  await t.step("rows of other axes are named by index", () => {
    const svg = svgOf(toSVG(softmax([[[1, 2], [3, 4]]], { axis: 1 })));
    assert.deepEqual(texts(byClass(svg, "panel-titles")[0]!), [
      "[0, :, 0]",
      "[0, :, 1]",
    ]);
    const columns = svgOf(toSVG(softmax([[1, 2], [3, 4]], { axis: 0 })));
    assert.deepEqual(texts(byClass(columns, "panel-titles")[0]!), [
      "column 0",
      "column 1",
    ]);
  });
});

Deno.test("toSVG with chart options: title, labels, no title", () => {
  const p = softmax([2, 1, 0.1], { labels: LABELS });
  const svg = svgOf(
    toSVG(chart(p, { title: "Next token" }), { labels: ["a", "b", "c"] }),
  );
  assert.equal(byClass(svg, "title")[0]?.textContent, "Next token");
  assert.deepEqual(texts(byClass(svg, "labels")[0]!), ["a", "b", "c"]);
  assert.match(
    svg.getAttribute("aria-label")!,
    /^Next token, softmax over 3 classes: a 0\.66/,
  );
  const untitled = svgOf(toSVG(p, { title: "" }));
  assert.equal(byClass(untitled, "title").length, 0);
  assert.equal(
    byTag(untitled, "title")[0]?.textContent,
    untitled.getAttribute("aria-label"),
  );
});

Deno.test("toSVG is deterministic: the same input gives the same bytes, whatever was drawn before", () => {
  const make = () =>
    toSVG(
      softmax([0.3, 0.1, 0.6].map(Math.log), { labels: HOSTILE.slice(0, 3) }),
    );
  const first = make();
  toSVG(softmax([[1, 2], [3, 4]]));
  toSVG(sigmoid([1, 2, 3], { labels: HOSTILE.slice(0, 3) }));
  assert.equal(make(), first);
});
