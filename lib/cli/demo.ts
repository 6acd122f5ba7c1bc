/**
 * `deno task demo`: sigmoid and softmax of example logits as bar charts in
 * the terminal, and a standalone, offline, interactive HTML page (plus an
 * SVG if asked). Run with `--help` for the options.
 *
 * @module
 */

import { compare } from "../charts/compare.ts";
import type { Probabilities } from "../probabilities.ts";
import { fragmentOf, pageOf, plotlyEmbedOf } from "../charts/render/_html.ts";
import { modelOf } from "../charts/_model.ts";
import { plotlyOf } from "../charts/render/_plotly.ts";
import { plotlyPacked } from "../charts/render/_plotly_source.ts";
import { svgOf } from "../charts/render/_svg.ts";
import { textOf } from "../charts/render/_text.ts";
import { sigmoid } from "../sigmoid.ts";
import { softmax } from "../softmax.ts";
import { temperatureExplorer } from "../charts/temperature_explorer.ts";

const HELP = `Usage: deno task demo [options]

Shows sigmoid and softmax of some logits as bar charts in the terminal, and
writes a standalone, offline, interactive HTML page (plotly.js inlined).

Options:
  --logits LIST     comma-separated logits (default: 2,1,0.1)
  --labels LIST     comma-separated class labels, one per logit
                    (default: cat,dog,bird with the default logits,
                    else class 0, class 1, ...)
  --threshold T     sigmoid threshold from 0 to 1 (default: 0.5)
  --html FILE       where to write the HTML page (default: demo.html)
  --no-html         do not write the HTML page
  --svg FILE        also write the sigmoid-vs-softmax chart as SVG
  -h, --help        show this help

Example:
  deno task demo --logits 3,1,0.2,-1 --labels cat,dog,bird,fish --svg demo.svg
`;

/** What the demo reads and writes: passed in, so tests can run it without a terminal or disk. */
export interface DemoIO {
  /** Writes a file. */
  writeTextFile(path: string, text: string): Promise<void>;
  /** Prints to standard output (a line at a time, newline added). */
  print(line: string): void;
  /** Prints to standard error (newline added). */
  printError(line: string): void;
}

/** A problem with the command line: reported in one line, exit code 2. */
class UsageError extends Error {}

interface DemoOptions {
  logits: number[];
  labels: string[] | undefined;
  threshold: number;
  html: string | undefined;
  svg: string | undefined;
  help: boolean;
}

const DEFAULT_LOGITS = [2, 1, 0.1];
const DEFAULT_LABELS = ["cat", "dog", "bird"];

function list(option: string, value: string): string[] {
  const items = value.split(",").map((s) => s.trim());
  if (value.trim() === "" || items.some((s) => s === "")) {
    throw new UsageError(
      `${option} "${value}" has an empty item; expected a comma-separated list such as ${
        option === "--logits" ? "2,1,0.1" : "cat,dog,bird"
      }`,
    );
  }
  return items;
}

function number(option: string, text: string): number {
  const n = Number(text);
  if (
    text.trim() === "" || !Number.isFinite(n) && !/^[+-]?Infinity$/.test(text)
  ) {
    throw new UsageError(`${option}: "${text}" is not a number`);
  }
  return n;
}

/** Reads the command line; throws UsageError with a one-line message. */
function parse(args: readonly string[]): DemoOptions {
  const out: DemoOptions = {
    logits: DEFAULT_LOGITS,
    labels: undefined,
    threshold: 0.5,
    html: "demo.html",
    svg: undefined,
    help: false,
  };
  let labelsGiven = false;
  let logitsGiven = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined) {
        throw new UsageError(`${name} needs a value (see --help)`);
      }
      i++;
      return next;
    };
    switch (name) {
      case "-h":
      case "--help":
        out.help = true;
        break;
      case "--logits":
        out.logits = list(name, value()).map((s) => number(name, s));
        logitsGiven = true;
        break;
      case "--labels":
        out.labels = list(name, value());
        labelsGiven = true;
        break;
      case "--threshold":
        out.threshold = number(name, value());
        break;
      case "--html":
        out.html = value();
        if (out.html === "") throw new UsageError("--html needs a file name");
        break;
      case "--no-html":
        out.html = undefined;
        break;
      case "--svg":
        out.svg = value();
        if (out.svg === "") throw new UsageError("--svg needs a file name");
        break;
      default:
        throw new UsageError(
          arg.startsWith("-")
            ? `unknown option ${name} (see --help)`
            : `unexpected argument "${arg}" (see --help)`,
        );
    }
  }
  if (!labelsGiven && !logitsGiven) out.labels = DEFAULT_LABELS;
  if (out.labels !== undefined && out.labels.length !== out.logits.length) {
    throw new UsageError(
      `--labels has ${out.labels.length} ${
        out.labels.length === 1 ? "label" : "labels"
      } but --logits has ${out.logits.length} ${
        out.logits.length === 1 ? "logit" : "logits"
      }`,
    );
  }
  if (!(out.threshold >= 0 && out.threshold <= 1)) {
    throw new UsageError(
      `--threshold is ${out.threshold}, expected a number from 0 to 1`,
    );
  }
  return out;
}

function section(heading: string, text: string, fragment: string): string {
  return `<h2>${heading}</h2>\n<p>${text}</p>\n${fragment}`;
}

function fragment(result: unknown, options?: unknown): string {
  const model = modelOf("demo", result, options);
  return fragmentOf(model, plotlyOf(model), svgOf(model));
}

/** The demo page: the comparison, each function on its own, and the temperature explorer. */
async function page(o: DemoOptions): Promise<string> {
  const labels = o.labels === undefined ? {} : { labels: o.labels };
  const threshold = { threshold: o.threshold };
  const sections = [
    section(
      "Sigmoid and softmax of the same logits",
      "Sigmoid squashes each logit on its own: the values do not sum to 1, and several can pass the threshold. Softmax makes one distribution over the classes. Both rank the classes the same way.",
      fragment(compare(o.logits, { ...labels, ...threshold })),
    ),
    section(
      "Softmax",
      "A probability distribution: the bars sum to 1 and the argmax is the predicted class.",
      fragment(softmax(o.logits, labels)),
    ),
    section(
      "Sigmoid",
      "Independent probabilities, right for multi-label problems: every class above the threshold is predicted.",
      fragment(sigmoid(o.logits, labels), threshold),
    ),
    section(
      "Temperature",
      "softmax(logits / T): move the slider to sharpen (T &lt; 1) or flatten (T &gt; 1) the distribution; the argmax never changes.",
      fragment(temperatureExplorer(o.logits, labels)),
    ),
  ];
  return pageOf(
    "softmax and sigmoid",
    plotlyEmbedOf(await plotlyPacked()),
    sections,
  );
}

function describeError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such directory";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the demo with `args` (the command line after the script name).
 *
 * @param args Command-line arguments.
 * @param io Where output goes and how files are written.
 * @returns The exit code: 0, 2 for a bad command line, 1 if a file could
 * not be written.
 */
export async function main(
  args: readonly string[],
  io: DemoIO,
): Promise<number> {
  let o: DemoOptions;
  try {
    o = parse(args);
    if (o.help) {
      io.print(HELP.trimEnd());
      return 0;
    }
    // Validate with the library's own checks before printing anything.
    compare(o.logits, {
      ...(o.labels === undefined ? {} : { labels: o.labels }),
      threshold: o.threshold,
    });
  } catch (error) {
    if (
      error instanceof UsageError || error instanceof TypeError ||
      error instanceof RangeError
    ) {
      io.printError(`demo: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const labels = o.labels === undefined ? {} : { labels: o.labels };
  io.print(
    textOf(
      modelOf("demo", sigmoid(o.logits, labels) as Probabilities, {
        threshold: o.threshold,
      }),
    ),
  );
  io.print("");
  io.print(textOf(modelOf("demo", softmax(o.logits, labels), undefined)));
  const writes: [string, () => Promise<string>, string][] = [];
  if (o.svg !== undefined) {
    writes.push([
      o.svg,
      () =>
        Promise.resolve(
          svgOf(
            modelOf(
              "demo",
              compare(o.logits, { ...labels, threshold: o.threshold }),
              undefined,
            ),
          ),
        ),
      "sigmoid vs softmax chart",
    ]);
  }
  if (o.html !== undefined) {
    writes.push([
      o.html,
      () => page(o),
      "offline interactive page, plotly.js inlined",
    ]);
  }
  for (const [path, make, what] of writes) {
    const text = await make();
    try {
      await io.writeTextFile(path, text);
    } catch (error) {
      io.printError(`demo: cannot write ${path}: ${describeError(error)}`);
      return 1;
    }
    const kb = new TextEncoder().encode(text).length / 1024;
    const size = kb >= 1024
      ? `${(kb / 1024).toFixed(1)} MB`
      : `${Math.ceil(kb)} KB`;
    io.print("");
    io.print(`wrote ${path} (${size}): ${what}`);
  }
  return 0;
}

if (import.meta.main) {
  const code = await main(Deno.args, {
    writeTextFile: (path, text) => Deno.writeTextFile(path, text),
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
  });
  Deno.exit(code);
}
