import assert from "node:assert/strict";
import {
  escapePlotly,
  escapeXml,
  jsonForScript,
} from "../lib/charts/_escape.ts";
import {
  BOLD_WIDTH,
  columns,
  displayLabel,
  displayTitle,
  formatParameter,
  formatValue,
  groupDigits,
  sanitizeText,
  textWidth,
  truncate,
} from "../lib/charts/_format.ts";
import { fnv1a } from "../lib/charts/render/_hash.ts";

Deno.test("formatValue(v) shows probabilities readably", async (t) => {
  await t.step("two decimals", () => {
    assert.equal(formatValue(0.659), "0.66");
    assert.equal(formatValue(1), "1.00");
    assert.equal(formatValue(0.005), "0.01");
  });
  await t.step("exact zero and negative zero", () => {
    assert.equal(formatValue(0), "0");
    assert.equal(formatValue(-0), "0");
  });
  await t.step("tiny values in exponent form, never a false 0.00", () => {
    assert.equal(formatValue(0.0049), "4.9e-3");
    assert.equal(formatValue(5e-324), "4.9e-324");
  });
  await t.step("NaN and infinities spelled out", () => {
    assert.equal(formatValue(NaN), "NaN");
    assert.equal(formatValue(Infinity), "Infinity");
    assert.equal(formatValue(-Infinity), "-Infinity");
  });
  await t.step("large totals rounded with grouping", () => {
    assert.equal(formatValue(24987.34), "24,987");
  });
  await t.step("three decimals for the text chart", () => {
    assert.equal(formatValue(0.6590011, 3), "0.659");
    assert.equal(formatValue(0.0004, 3), "4.0e-4");
  });
});

Deno.test("formatParameter and groupDigits write numbers as people do", () => {
  assert.equal(formatParameter(0.5), "0.5");
  assert.equal(formatParameter(0.1 + 0.2), "0.3");
  assert.equal(formatParameter(1e-7), "1e-7");
  assert.equal(groupDigits(50_000), "50,000");
  assert.equal(groupDigits(999), "999");
  assert.equal(groupDigits(1_000_000), "1,000,000");
});

Deno.test("sanitizeText(text) makes untrusted text safe to lay out on one line", async (t) => {
  await t.step("line breaks and tabs become spaces", () => {
    assert.equal(sanitizeText("a\nb\tc\r\nd\u2028e\u2029f"), "a b c  d e f");
  });
  await t.step("other control characters become U+FFFD", () => {
    assert.equal(
      sanitizeText("\x00\x1b[31m\x7f\x9b"),
      "\ufffd\ufffd[31m\ufffd\ufffd",
    );
  });
  await t.step("bidi overrides cannot reorder the line", () => {
    assert.equal(sanitizeText("a\u202eb\u2066c"), "a\ufffdb\ufffdc");
  });
  await t.step(
    "lone surrogates become U+FFFD (they are not XML characters)",
    () => {
      assert.equal(sanitizeText("a\ud800b\udc00"), "a\ufffdb\ufffd");
    },
  );
  await t.step("right-to-left text and emoji stay", () => {
    assert.equal(sanitizeText("שלום 👍🏽"), "שלום 👍🏽");
  });
});

Deno.test("displayLabel and displayTitle shorten by graphemes", () => {
  assert.equal(displayLabel(""), "(empty)");
  assert.equal(displayLabel(" \n "), "(empty)");
  assert.equal(displayLabel("x".repeat(24)), "x".repeat(24));
  assert.equal(displayLabel("x".repeat(25)), "x".repeat(23) + "…");
  assert.equal(displayLabel("😀".repeat(30)), "😀".repeat(23) + "…");
  // Heavy graphemes (a family emoji is 8 UTF-16 units; zalgo text stacks
  // hundreds of marks on one letter) are cut by size, never split.
  assert.equal(displayLabel("👨‍👩‍👧".repeat(30)), "👨‍👩‍👧".repeat(5) + "…");
  assert.ok(displayLabel("a" + "\u0301".repeat(500)).length <= 48);
  assert.equal(displayTitle("t".repeat(100)).length, 56);
  // Markup-heavy labels are cut by their escaped length too.
  assert.equal(displayLabel("<".repeat(24)), "<".repeat(11) + "…");
  assert.equal(
    displayLabel(`a & b's "quoted" &amp;`),
    `a & b's "quoted" &amp;`,
  );
  assert.equal(truncate("abc", 2), "a…");
});

Deno.test("columns(text) counts terminal columns", () => {
  assert.equal(columns("cat"), 3);
  assert.equal(columns("猫"), 2);
  assert.equal(columns("😀"), 2);
  assert.equal(columns("é"), 1); // e + combining acute
  assert.equal(columns("שלום"), 4);
});

Deno.test("textWidth(text, size) covers DejaVu Sans advance widths, regular and bold", () => {
  // Advance widths in em of DejaVu Sans and DejaVu Sans Bold (what Chromium
  // uses for weight 600), the fonts Chromium falls back to on Debian, as its
  // canvas measureText reports them: the widest glyphs and a few common ones.
  const regular: Record<string, number> = {
    W: 0.989,
    m: 0.974,
    M: 0.863,
    O: 0.787,
    w: 0.818,
    a: 0.613,
    "0": 0.636,
    "@": 1,
    "%": 0.95,
  };
  const bold: Record<string, number> = {
    W: 1.103,
    m: 1.042,
    M: 0.995,
    O: 0.85,
    w: 0.924,
    a: 0.675,
    "0": 0.696,
    "@": 1,
    "%": 1.002,
  };
  for (const [ch, em] of Object.entries(regular)) {
    assert.ok(textWidth(ch, 1) >= em, `regular ${ch}`);
  }
  for (const [ch, em] of Object.entries(bold)) {
    assert.ok(textWidth(ch, 1) * BOLD_WIDTH >= em, `bold ${ch}`);
  }
});

Deno.test("textWidth(text, size) estimates generously and grows with the text", () => {
  assert.ok(textWidth("<<<<", 11) > textWidth("iiii", 11));
  assert.ok(textWidth("猫", 10) > textWidth("a", 10));
  assert.equal(textWidth("", 11), 0);
});

Deno.test("escapeXml escapes for text and both kinds of attribute quotes", () => {
  assert.equal(
    escapeXml(`<a href="x" title='y'>&amp;</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
  );
});

Deno.test("escapePlotly keeps plotly.js from reading text as HTML", () => {
  assert.equal(
    escapePlotly("<b>x</b> & <br>"),
    "&lt;b&gt;x&lt;/b&gt; &amp; &lt;br&gt;",
  );
  assert.equal(escapePlotly(`"quotes" 'stay'`), `"quotes" 'stay'`);
});

Deno.test("jsonForScript cannot close a script element or open a comment", () => {
  const value = { s: "</script><!--<script>&\u2028\u2029" };
  const json = jsonForScript(value);
  assert.ok(!/[<>&\u2028\u2029]/.test(json));
  assert.deepEqual(JSON.parse(json), value);
  // Also valid as JavaScript (older parsers reject raw U+2028 in strings).
  assert.deepEqual(new Function(`return ${json}`)(), value);
});

Deno.test("fnv1a(text) is the published FNV-1a 32-bit hash", () => {
  assert.equal(fnv1a(""), "811c9dc5");
  assert.equal(fnv1a("a"), "e40c292c");
  assert.equal(fnv1a("foobar"), "bf9cf968");
});
