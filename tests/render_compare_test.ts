import assert from "node:assert/strict";
import { compare, Comparison, sigmoid, softmax, toText } from "../mod.ts";

Deno.test("compare(logits) holds sigmoid and softmax of the same logits", () => {
  const logits = [2, 1, 0.1];
  const c = compare(logits, { labels: ["cat", "dog", "bird"] });
  assert.ok(c instanceof Comparison);
  assert.deepEqual(c.logits, logits);
  assert.deepEqual(c.sigmoid.toArray(), sigmoid(logits).toArray());
  assert.deepEqual(c.softmax.toArray(), softmax(logits).toArray());
  assert.deepEqual(c.softmax.labels, ["cat", "dog", "bird"]);
  assert.deepEqual(c.options, {});
});

Deno.test("compare copies its input and keeps float32 storage", () => {
  const x = new Float32Array([1, 2, 3]);
  const c = compare(x);
  x[0] = 100;
  assert.deepEqual(c.logits, [1, 2, 3]);
  assert.ok(c.softmax.values instanceof Float32Array);
});

Deno.test("compare keeps its chart options, without labels", () => {
  const c = compare([1, 2], { title: "T", threshold: 0.3, labels: ["a", "b"] });
  assert.deepEqual(c.options, { title: "T", threshold: 0.3 });
  assert.equal(toText(c).split("\n")[0], "T");
  assert.match(toText(c), /sigmoid: sum 1\.61, 2 classes above 0\.3/);
});

Deno.test("compare of one logit and of extreme logits", () => {
  assert.deepEqual(compare(3).softmax.toArray(), [1]);
  const c = compare([1000, -1000]);
  assert.deepEqual(c.softmax.toArray(), [1, 0]);
  assert.deepEqual(c.sigmoid.toArray(), [1, 0]);
});

Deno.test("compare shows the 12 largest classes by default (two bars each)", () => {
  const c = compare(Array.from({ length: 30 }, (_, i) => i));
  const lines = toText(c).split("\n");
  assert.equal(lines.filter((l) => /^\s+softmax /.test(l)).length, 13);
  assert.match(lines[1]!, /^class 29 /);
  assert.match(lines.at(-4)!, /^other \(18 classes\)/);
});
