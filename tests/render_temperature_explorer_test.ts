import assert from "node:assert/strict";
import { softmax, TemperatureExplorer, temperatureExplorer } from "../mod.ts";

Deno.test("temperatureExplorer(logits) computes softmax at each temperature, 1 included", () => {
  const e = temperatureExplorer([2, 1, 0.1]);
  assert.ok(e instanceof TemperatureExplorer);
  assert.deepEqual(e.temperatures, [
    0.1,
    0.2,
    0.3,
    0.5,
    0.7,
    1,
    1.5,
    2,
    3,
    5,
    10,
  ]);
  e.temperatures.forEach((temperature, i) => {
    assert.deepEqual(
      e.frames[i]!.toArray(),
      softmax([2, 1, 0.1], { temperature }).toArray(),
    );
  });
});

Deno.test("temperatureExplorer sharpens below 1 and flattens above, keeping the argmax", () => {
  const e = temperatureExplorer([2, 1, 0.1], { temperatures: [0.1, 10] });
  const top = e.frames.map((p) => p[0]!);
  assert.ok(top[0]! > top[1]! && top[1]! > top[2]!);
  assert.ok(e.frames.every((p) => p.argmax() === 0));
  assert.ok(Math.abs(e.frames[2]![2]! - 1 / 3) < 0.05);
});

Deno.test("temperatureExplorer adds T = 1, sorts and drops duplicates", () => {
  assert.deepEqual(
    temperatureExplorer([1, 2], { temperatures: [2, 0.5, 2] }).temperatures,
    [0.5, 1, 2],
  );
  assert.deepEqual(
    temperatureExplorer([1, 2], { temperatures: [1] }).temperatures,
    [1],
  );
});

Deno.test("temperatureExplorer keeps labels on its frames and options without them", () => {
  const e = temperatureExplorer([1, 2], { labels: ["a", "b"], maxBars: 1 });
  assert.ok(e.frames.every((p) => p.labels?.join() === "a,b"));
  assert.deepEqual(e.options, { maxBars: 1 });
});
