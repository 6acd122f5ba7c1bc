import assert from "node:assert/strict";
import { compare, sigmoid, softmax, toSVG, toText } from "../mod.ts";
import { main } from "../lib/cli/demo.ts";
import { byClass, parseHtml, parseXml } from "./_render_helpers.ts";

interface Run {
  code: number;
  out: string[];
  err: string[];
  files: Map<string, string>;
}

async function demo(args: string[], fail?: Error): Promise<Run> {
  const run: Run = { code: -1, out: [], err: [], files: new Map() };
  run.code = await main(args, {
    writeTextFile(path, text) {
      if (fail) return Promise.reject(fail);
      run.files.set(path, text);
      return Promise.resolve();
    },
    print: (line) => run.out.push(line),
    printError: (line) => run.err.push(line),
  });
  return run;
}

const LABELS = ["cat", "dog", "bird"];

Deno.test("demo with no arguments prints sigmoid and softmax and writes demo.html", async () => {
  const run = await demo([]);
  assert.equal(run.code, 0);
  assert.deepEqual(run.err, []);
  const printed = run.out.join("\n");
  assert.ok(
    printed.startsWith(toText(sigmoid([2, 1, 0.1], { labels: LABELS }))),
  );
  assert.ok(printed.includes(toText(softmax([2, 1, 0.1], { labels: LABELS }))));
  assert.match(
    printed,
    /\nwrote demo\.html \(\d{3} KB\): offline interactive page, plotly\.js inlined$/,
  );
  assert.deepEqual([...run.files.keys()], ["demo.html"]);
  const page = run.files.get("demo.html")!;
  assert.ok(page.startsWith("<!DOCTYPE html>"));
  assert.equal(page.match(/class="softmax-plotly-embed"/g)?.length, 1);
  const charts = [...page.matchAll(/data-chart='([a-z-]+)'/g)].map((m) => m[1]);
  assert.deepEqual(charts, ["compare", "bars", "bars", "temperature-explorer"]);
  // Nothing to fetch: no href, and every src is a chart picture's data URI.
  const markup = page.replace(/<script[^>]*>[^]*?<\/script>/g, "");
  assert.ok(!/\shref=/.test(markup));
  const sources = [...markup.matchAll(/\ssrc='([^']*)'/g)].map((m) => m[1]);
  assert.equal(sources.length, 4);
  assert.ok(sources.every((s) => s!.startsWith("data:image/svg+xml;base64,")));
  assert.equal(markup.match(/\ssrc=/g)?.length, 4);
});

Deno.test("demo --logits --labels --threshold --svg --no-html", async () => {
  const run = await demo([
    "--logits",
    "3,-1,0.5,2",
    "--labels=a,b,c,d",
    "--threshold",
    "0.8",
    "--svg",
    "out.svg",
    "--no-html",
  ]);
  assert.equal(run.code, 0, run.err.join("\n"));
  assert.deepEqual([...run.files.keys()], ["out.svg"]);
  const svg = run.files.get("out.svg")!;
  assert.equal(
    svg,
    toSVG(
      compare([3, -1, 0.5, 2], {
        labels: ["a", "b", "c", "d"],
        threshold: 0.8,
      }),
    ),
  );
  assert.equal(byClass(parseXml(svg), "bar").length, 8);
  assert.ok(run.out.join("\n").includes("2 classes above 0.8"));
});

Deno.test("demo without --labels names the classes by index", async () => {
  const run = await demo(["--logits", "1,2", "--no-html"]);
  assert.equal(run.code, 0);
  assert.match(run.out.join("\n").split("\n")[1]!, /^class 0 /);
});

Deno.test("demo --help prints the usage and writes nothing", async () => {
  const run = await demo(["--help"]);
  assert.equal(run.code, 0);
  assert.match(run.out[0]!, /^Usage: deno task demo/);
  assert.equal(run.files.size, 0);
  assert.deepEqual((await demo(["-h"])).out, run.out);
});

Deno.test("demo argument errors: one clear line, exit code 2, nothing else", async (t) => {
  const cases: [string[], string][] = [
    [["--bogus"], "demo: unknown option --bogus (see --help)"],
    [["extra"], 'demo: unexpected argument "extra" (see --help)'],
    [["--logits"], "demo: --logits needs a value (see --help)"],
    [["--logits", "1,x"], 'demo: --logits: "x" is not a number'],
    [
      ["--logits", "1,,2"],
      'demo: --logits "1,,2" has an empty item; expected a comma-separated list such as 2,1,0.1',
    ],
    [
      ["--logits", ""],
      'demo: --logits "" has an empty item; expected a comma-separated list such as 2,1,0.1',
    ],
    [
      ["--logits", "1,2", "--labels", "a"],
      "demo: --labels has 1 label but --logits has 2 logits",
    ],
    [
      ["--labels", "a,b"],
      "demo: --labels has 2 labels but --logits has 3 logits",
    ],
    [
      ["--threshold", "2"],
      "demo: --threshold is 2, expected a number from 0 to 1",
    ],
    [["--threshold", "half"], 'demo: --threshold: "half" is not a number'],
    [["--html="], "demo: --html needs a file name"],
    [["--svg"], "demo: --svg needs a value (see --help)"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" ") || "(empty)", async () => {
      const run = await demo(args);
      assert.equal(run.code, 2);
      assert.deepEqual(run.err, [message]);
      assert.deepEqual(run.out, []);
      assert.equal(run.files.size, 0);
    });
  }
});

Deno.test("demo reports a file it cannot write in one line, exit code 1", async () => {
  const run = await demo(
    ["--html", "/nope/demo.html"],
    new Deno.errors.NotFound("x"),
  );
  assert.equal(run.code, 1);
  assert.deepEqual(run.err, [
    "demo: cannot write /nope/demo.html: no such directory",
  ]);
});

Deno.test("deno run lib/cli/demo.ts: real exit codes, stderr without a stack trace, files written", async () => {
  const script = new URL("../lib/cli/demo.ts", import.meta.url).pathname;
  const config = new URL("../deno.json", import.meta.url).pathname;
  const exec = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--config",
        config,
        "--allow-write",
        "--allow-read",
        script,
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
  const bad = await exec(["--logits", "1,abc"]);
  assert.equal(bad.code, 2);
  assert.equal(
    new TextDecoder().decode(bad.stderr),
    'demo: --logits: "abc" is not a number\n',
  );
  assert.equal(bad.stdout.length, 0);

  const dir = await Deno.makeTempDir();
  try {
    const ok = await exec(["--html", `${dir}/d.html`, "--svg", `${dir}/d.svg`]);
    assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
    const html = await Deno.readTextFile(`${dir}/d.html`);
    assert.equal(byClass(parseHtml(html), "softmax-chart").length, 4);
    parseXml(await Deno.readTextFile(`${dir}/d.svg`));
    const unwritable = await exec(["--html", `${dir}/missing/d.html`]);
    assert.equal(unwritable.code, 1);
    assert.equal(
      new TextDecoder().decode(unwritable.stderr),
      `demo: cannot write ${dir}/missing/d.html: no such directory\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
