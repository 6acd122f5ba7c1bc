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
  formatNumber,
  formatParameter,
  formatValue,
  groupDigits,
  sanitizeText,
  shortSummary,
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
  await t.step("grouping starts at exactly 1,000", () => {
    assert.equal(formatValue(999.99), "999.99");
    assert.equal(formatValue(1000), "1,000");
    assert.equal(formatValue(-1000), "-1,000");
  });
  await t.step("three decimals for the text chart", () => {
    assert.equal(formatValue(0.6590011, 3), "0.659");
    assert.equal(formatValue(0.0004, 3), "4.0e-4");
  });
});

Deno.test("formatNumber(v) switches to exponent form at a million and below 0.001", async (t) => {
  await t.step("999,999.5 rounds to a million, so it is written 1e+6", () => {
    assert.equal(formatNumber(999_999.4), "999,999");
    assert.equal(formatNumber(999_999.5), "1e+6");
    assert.equal(formatNumber(-999_999.5), "-1e+6");
  });
  await t.step("0.001 itself is still written in decimals", () => {
    assert.equal(formatNumber(0.001), "0.001");
    assert.equal(formatNumber(-0.001), "-0.001");
    assert.equal(formatNumber(0.00099), "9.9e-4");
  });
});

Deno.test("shortSummary(summary) drops the word class(es) and the note after the colon", () => {
  assert.equal(
    shortSummary(
      "sum 1.86, 2 classes above 0.5: not a probability distribution",
    ),
    "sum 1.86, 2 above 0.5",
  );
  assert.equal(
    shortSummary("sum 0.73, 1 class above 0.5"),
    "sum 0.73, 1 above 0.5",
  );
  assert.equal(shortSummary("sum 1.000"), "sum 1.000");
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
  await t.step("vertical tabs, form feeds and NEL become spaces too", () => {
    assert.equal(sanitizeText("a\vb\fc\u0085d"), "a b c d");
    assert.equal(sanitizeText("Vf"), "Vf");
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

Deno.test("displayLabel and displayTitle keep text that fits exactly", async (t) => {
  await t.step(
    "24 emoji are 48 UTF-16 units but 24 graphemes: kept whole",
    () => {
      assert.equal(displayLabel("😀".repeat(24)), "😀".repeat(24));
      assert.equal(truncate("😀".repeat(24), 24), "😀".repeat(24));
    },
  );
  await t.step("56 emoji make a title that is kept whole", () => {
    assert.equal(displayTitle("😀".repeat(56)), "😀".repeat(56));
    assert.equal(displayTitle("😀".repeat(57)), "😀".repeat(55) + "…");
  });
  await t.step(
    "a label escaping to exactly 48 characters is kept whole",
    () => {
      // Each "<" is written "&lt;" (4 characters): 12 of them make 48.
      assert.equal(displayLabel("<".repeat(12)), "<".repeat(12));
      assert.equal(displayLabel("<".repeat(13)), "<".repeat(11) + "…");
    },
  );
});

Deno.test("displayLabel(label) cuts markup-heavy labels to at most 48 escaped characters", async (t) => {
  await t.step("the cut keeps as much as fits, ellipsis included", () => {
    // "abc" and eleven "&lt;" escape to 47 characters, "…" makes 48.
    assert.equal(
      displayLabel("abc" + "<".repeat(20)),
      "abc" + "<".repeat(11) + "…",
    );
  });
  await t.step(
    "the last grapheme is dropped whole, even one ending in markup",
    () => {
      // U+0600 ARABIC NUMBER SIGN joins the character after it into one
      // grapheme: "\u0600<" escapes to 5 characters, and goes as one.
      assert.equal(
        displayLabel("&".repeat(9) + "\u0600<"),
        "&".repeat(9) + "…",
      );
      assert.equal(
        displayLabel("…" + "&".repeat(9) + "\u0600<"),
        "…" + "&".repeat(9) + "…",
      );
    },
  );
  await t.step(
    "a single huge grapheme is cut by code points, not dropped",
    () => {
      // An "a" with 500 combining acute accents is one grapheme: it keeps
      // the "a" and 46 accents (47 characters), then "…".
      assert.equal(
        displayLabel("a" + "\u0301".repeat(500)),
        "a" + "\u0301".repeat(46) + "…",
      );
    },
  );
});

Deno.test("columns(text) counts terminal columns", () => {
  assert.equal(columns("cat"), 3);
  assert.equal(columns("猫"), 2);
  assert.equal(columns("😀"), 2);
  assert.equal(columns("é"), 1); // e + combining acute
  assert.equal(columns("שלום"), 4);
});

Deno.test("columns(text) gives zero-width characters no column", async (t) => {
  await t.step("a decomposed é (e + U+0301) takes one column", () => {
    assert.equal(columns("e\u0301"), 1);
    assert.equal(columns("cafe\u0301"), 4);
  });
  await t.step("a zero-width space takes none", () => {
    assert.equal(columns("a\u200bb"), 2);
    assert.equal(columns("\u200b"), 0);
  });
  await t.step("a spacing mark after a lone combining mark takes one", () => {
    // U+0301 (Mn) has no column, U+0903 DEVANAGARI SIGN VISARGA (Mc) one;
    // at the start of a text they form one grapheme.
    assert.equal(columns("\u0301\u0903"), 1);
  });
});

Deno.test("textWidth(text, size) covers DejaVu Sans advance widths, regular and bold", () => {
  // Advance widths in em of every printable ASCII character in DejaVu Sans
  // and DejaVu Sans Bold (what Chromium uses for weight 600), the fonts
  // Chromium falls back to on Debian: read from the fonts' hmtx tables
  // (advance / unitsPerEm, Debian's fonts-dejavu-core 2.37), rounded up to
  // 0.001 em.
  const chars = Array.from(
    { length: 95 },
    (_, i) => String.fromCharCode(32 + i),
  );
  const regular = [
    0.318,
    0.401,
    0.46,
    0.838,
    0.637,
    0.951,
    0.78,
    0.275,
    0.391,
    0.391,
    0.5,
    0.838,
    0.318,
    0.361,
    0.318,
    0.337,
    0.637,
    0.637,
    0.637,
    0.637,
    0.637,
    0.637,
    0.637,
    0.637,
    0.637,
    0.637,
    0.337,
    0.337,
    0.838,
    0.838,
    0.838,
    0.531,
    1,
    0.685,
    0.687,
    0.699,
    0.771,
    0.632,
    0.576,
    0.775,
    0.752,
    0.295,
    0.295,
    0.656,
    0.558,
    0.863,
    0.749,
    0.788,
    0.604,
    0.788,
    0.695,
    0.635,
    0.611,
    0.732,
    0.685,
    0.989,
    0.686,
    0.611,
    0.686,
    0.391,
    0.337,
    0.391,
    0.838,
    0.5,
    0.5,
    0.613,
    0.635,
    0.55,
    0.635,
    0.616,
    0.353,
    0.635,
    0.634,
    0.278,
    0.278,
    0.58,
    0.278,
    0.975,
    0.634,
    0.612,
    0.635,
    0.635,
    0.412,
    0.521,
    0.393,
    0.634,
    0.592,
    0.818,
    0.592,
    0.592,
    0.525,
    0.637,
    0.337,
    0.637,
    0.838,
  ];
  const bold = [
    0.349,
    0.457,
    0.521,
    0.838,
    0.696,
    1.002,
    0.873,
    0.307,
    0.458,
    0.458,
    0.523,
    0.838,
    0.38,
    0.416,
    0.38,
    0.366,
    0.696,
    0.696,
    0.696,
    0.696,
    0.696,
    0.696,
    0.696,
    0.696,
    0.696,
    0.696,
    0.4,
    0.4,
    0.838,
    0.838,
    0.838,
    0.581,
    1,
    0.774,
    0.763,
    0.734,
    0.831,
    0.684,
    0.684,
    0.821,
    0.837,
    0.373,
    0.373,
    0.775,
    0.638,
    0.996,
    0.837,
    0.851,
    0.733,
    0.851,
    0.771,
    0.721,
    0.683,
    0.813,
    0.774,
    1.104,
    0.771,
    0.725,
    0.726,
    0.458,
    0.366,
    0.458,
    0.838,
    0.5,
    0.5,
    0.675,
    0.716,
    0.593,
    0.716,
    0.679,
    0.436,
    0.716,
    0.712,
    0.343,
    0.343,
    0.666,
    0.343,
    1.042,
    0.712,
    0.688,
    0.716,
    0.716,
    0.494,
    0.596,
    0.479,
    0.712,
    0.652,
    0.924,
    0.646,
    0.652,
    0.583,
    0.712,
    0.366,
    0.712,
    0.838,
  ];
  chars.forEach((ch, i) => {
    assert.ok(textWidth(ch, 1) >= regular[i]!, `regular ${JSON.stringify(ch)}`);
    assert.ok(
      textWidth(ch, 1) * BOLD_WIDTH >= bold[i]!,
      `bold ${JSON.stringify(ch)}`,
    );
  });
  // Canvas measureText in Chromium here agrees for the widest glyphs.
  assert.ok(
    textWidth("W", 1) >= 0.989 && textWidth("W", 1) * BOLD_WIDTH >= 1.103,
  );
});

const closeTo = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);

Deno.test("textWidth(text, size) gives each kind of character its width in em", async (t) => {
  await t.step("quotes, asterisks and underscores: half an em", () => {
    // DejaVu Sans: 0.46, 0.5 and 0.5 em (bold 0.521, 0.523, 0.5); a space
    // takes 0.44 em (0.318, bold 0.349: room for the neighbours' side
    // bearings).
    closeTo(textWidth('"', 10), 5);
    closeTo(textWidth("*", 10), 5);
    closeTo(textWidth("_", 10), 5);
    closeTo(textWidth('a "b"', 10), 6.4 + 4.4 + 5 + 6.4 + 5);
  });
  await t.step("combining marks and zero-width characters: nothing", () => {
    closeTo(textWidth("e\u0301", 10), textWidth("e", 10));
    closeTo(textWidth("a\u200db\ufe0f", 10), textWidth("ab", 10));
  });
  await t.step(
    "wide characters and emoji 1.1 em, other letters 0.68 em",
    () => {
      closeTo(textWidth("猫", 10), 11);
      closeTo(textWidth("😀", 10), 11);
      // Precomposed é: DejaVu Sans 0.615 em, bold 0.678.
      closeTo(textWidth("é", 10), 6.8);
      closeTo(textWidth("猫é", 10), 17.8);
    },
  );
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
