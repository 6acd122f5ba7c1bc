import assert from "node:assert/strict";
import {
  compare,
  sigmoid,
  softmax,
  temperatureExplorer,
  toText,
} from "../mod.ts";
import { BAR_CELLS } from "../lib/charts/render/_text.ts";
import { HOSTILE } from "./_render_helpers.ts";

const LABELS = ["cat", "dog", "bird"];
// Control characters other than the newline: matching them is the point.
// deno-lint-ignore no-control-regex
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/;
const bars = (text: string) => text.split("\n").slice(1, -1);

Deno.test("toText(softmax) draws label, bar, value and mark, then the sum", async (t) => {
  const text = toText(softmax([2, 1, 0.1], { labels: LABELS }));
  assert.deepEqual(text.split("\n"), [
    "softmax over 3 classes",
    "cat   ███████████████▉          0.659  argmax",
    "dog   █████▉                    0.242",
    "bird  ██▍                       0.099",
    "sum 1.000",
  ]);
  await t.assertSnapshot(text);
});

Deno.test("toText(sigmoid) marks classes above the threshold and says it is not a distribution", async (t) => {
  const text = toText(sigmoid([2, 1, -1], { labels: LABELS }));
  const lines = text.split("\n");
  assert.equal(lines[0], "sigmoid over 3 classes");
  assert.match(lines[1] as string, /^cat .* 0\.881 {2}✓$/);
  assert.match(lines[2] as string, /^dog .* 0\.731 {2}✓$/);
  assert.match(lines[3] as string, /^bird .*┊.* 0\.269$/);
  assert.equal(
    lines[4],
    "sum 1.88, 2 classes above 0.5: not a probability distribution",
  );
  await t.assertSnapshot(text);
});

Deno.test("toText(sigmoid) counts and marks only values strictly above the threshold", () => {
  // sigmoid(0) is exactly 0.5, the default threshold: not above it.
  const lines = toText(sigmoid([0, 2])).split("\n");
  assert.match(lines[1] as string, /^class 0 .* 0\.500$/);
  assert.match(lines[2] as string, /^class 1 .* 0\.881 {2}✓$/);
  assert.equal(
    lines[3],
    "sum 1.38, 1 class above 0.5: not a probability distribution",
  );
  // A value equal to a given threshold, in a comparison too.
  const c = toText(compare([0, 2], { threshold: 0.5 })).split("\n");
  assert.equal(c.filter((l) => l.endsWith("✓")).length, 1);
  assert.equal(
    c.find((l) => l.startsWith("sigmoid: ")),
    "sigmoid: sum 1.38, 1 class above 0.5: not a probability distribution",
  );
});

Deno.test("toText bars have eighth-block resolution over 24 columns", async (t) => {
  // Class "x" of softmax([logit(v), 0]) has probability v; softmax draws no threshold.
  const bar = (v: number) => {
    const p = softmax([Math.log(v / (1 - v)), 0], { labels: ["x", "y"] });
    const line = toText(p).split("\n")[1] as string;
    return line.slice(3, 3 + BAR_CELLS).trimEnd();
  };
  await t.step("0.5 is twelve full blocks", () => {
    assert.equal(bar(0.5), "█".repeat(12));
  });
  await t.step("one eighth of a cell is ▏", () => {
    assert.equal(bar(1 / (BAR_CELLS * 8)), "▏");
  });
  await t.step("seven eighths of a cell is ▉", () => {
    assert.equal(bar(7 / (BAR_CELLS * 8)), "▉");
  });
  await t.step("values round to the nearest eighth", () => {
    assert.equal(bar(0.5 + 0.4 / (BAR_CELLS * 8)), "█".repeat(12));
    assert.equal(bar(0.5 + 0.6 / (BAR_CELLS * 8)), "█".repeat(12) + "▏");
  });
});

Deno.test("toText shows the threshold where a bar does not reach it", () => {
  const [low, high] = bars(
    toText(sigmoid([-1, 1], { labels: ["a", "b"] }), { threshold: 0.5 }),
  );
  assert.equal(low?.indexOf("┊"), 3 + 12);
  assert.ok(!high?.includes("┊"));
});

Deno.test("toText of edge cases stays readable", async (t) => {
  await t.step("NaN is a labelled gap", () => {
    const [line] = bars(toText(softmax([1, NaN])));
    assert.match(line as string, /^class 0 +NaN$/);
  });
  await t.step("empty and blank labels read (empty)", () => {
    const lines = bars(toText(softmax([1, 2], { labels: ["", "  "] })));
    assert.ok(lines.every((l) => l.startsWith("(empty)")));
  });
  await t.step("tiny values are not rounded to zero", () => {
    const [, small] = bars(toText(softmax([0, -20])));
    assert.match(small as string, /2\.1e-9$/);
  });
  await t.step("no classes", () => {
    assert.deepEqual(toText(sigmoid([])).split("\n"), [
      "sigmoid over 0 classes",
      "(no classes)",
    ]);
  });
  await t.step("no rows", () => {
    assert.equal(toText(sigmoid([[], []])).split("\n")[1], "(no classes)");
    assert.equal(
      toText(sigmoid(new Float64Array(0), { shape: [0, 3] })).split("\n")[1],
      "(no rows)",
    );
  });
  await t.step("one class sigmoid is not called a non-distribution", () => {
    assert.equal(
      toText(sigmoid([3])).split("\n").at(-1),
      "sum 0.95, 1 class above 0.5",
    );
  });
});

Deno.test("toText never emits ANSI codes or control characters, whatever the labels", () => {
  const labels = [...HOSTILE, "\x1b[31mred\x1b[0m", "tab\there", "new\nline"];
  const text = toText(softmax(labels.map((_, i) => i), { labels }));
  assert.ok(!CONTROLS.test(text));
  assert.equal(text.split("\n").length, labels.length + 2);
  assert.ok(text.includes("\ufffd[31mred\ufffd[0m"));
  assert.ok(text.includes("tab here") && text.includes("new line"));
});

Deno.test("toText aligns wide characters by terminal columns", () => {
  const lines = bars(toText(softmax([1, 1], { labels: ["猫", "ab"] })));
  // "猫" takes two columns, like "ab": the bars start in the same column.
  assert.equal(lines[0]?.indexOf("█"), (lines[1]?.indexOf("█") ?? 0) - 1);
});

Deno.test("toText folds many classes into the top ones and other", () => {
  const x = Array.from({ length: 100 }, (_, i) => i / 10);
  const lines = toText(softmax(x), { maxBars: 3 }).split("\n");
  assert.deepEqual(lines.slice(1, 5).map((l) => l.split(/\s{2,}/)[0]), [
    "class 99",
    "class 98",
    "class 97",
    "other (97 classes)",
  ]);
});

Deno.test("toText of a comparison pairs sigmoid and softmax per class", async (t) => {
  const text = toText(compare([2, 1, 0.1], { labels: LABELS }));
  const lines = text.split("\n");
  assert.equal(lines[0], "sigmoid and softmax over 3 classes");
  assert.match(lines[1] as string, /^cat {3}sigmoid .* 0\.881 {2}✓$/);
  assert.match(lines[2] as string, /^ {6}softmax .* 0\.659 {2}argmax$/);
  assert.equal(
    lines.at(-2),
    "sigmoid: sum 2.14, 3 classes above 0.5: not a probability distribution",
  );
  assert.equal(lines.at(-1), "softmax: sum 1.000");
  await t.assertSnapshot(text);
});

Deno.test("toText of a temperature explorer shows T = 1", () => {
  const e = temperatureExplorer([2, 1, 0.1], { labels: LABELS });
  const text = toText(e);
  assert.equal(
    text.split("\n")[1],
    toText(softmax([2, 1, 0.1], { labels: LABELS })).split("\n")[1],
  );
  assert.match(
    text,
    /temperature 1: sum 1\.000; the interactive chart has a slider from 0\.1 to 10$/,
  );
});

Deno.test("toText of n-D results: one block per row, a heatmap beyond 6 rows", async (t) => {
  await t.step("small multiples", async () => {
    const text = toText(softmax([[1, 2, 3], [3, 2, 1]], { labels: LABELS }));
    const lines = text.split("\n");
    assert.equal(lines[0], "softmax over 3 classes, 2 rows");
    assert.equal(lines[1], "row 0: sum 1.000");
    assert.match(lines[4] as string, /^ {2}bird .* argmax$/);
    assert.equal(lines[5], "row 1: sum 1.000");
    await t.assertSnapshot(text);
  });
  await t.step("heatmap", async () => {
    const x = Array.from({ length: 8 }, (_, r) => [r % 3, 1, 0]);
    const text = toText(softmax(x, { labels: LABELS }));
    const lines = text.split("\n");
    assert.equal(lines[0], "softmax over 3 classes, 8 rows");
    assert.equal(lines[1], "columns: cat, dog, bird");
    assert.match(
      lines[3] as string,
      /^row 0 {2}[▁-█ ]{3} {2}argmax dog 0\.576$/,
    );
    assert.equal(lines.length, 3 + 8 + 1);
    await t.assertSnapshot(text);
  });
});
