// Reads Stryker's JSON reports (tests/mutation/reports/*.json, or the files
// named) and prints, per file, the mutants by status and the score, then each
// surviving mutant with its line and replacement. For docs/mutation.md.
//
// deno run -A tests/mutation/summary.ts [report.json ...] [--survivors] [--lines]
//
// --lines prints the survivors' lines as a --mutate argument
// ("lib/a.ts:3-3,lib/a.ts:9-9"), to run Stryker again on just those lines
// after new tests.

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

/** Killed, timed out, survived and unreached mutants of each file. */
export function tally(reports: Report[]): Map<string, Record<string, number>> {
  const counts = new Map<string, Record<string, number>>();
  for (const report of reports) {
    for (const [path, file] of Object.entries(report.files)) {
      const c = counts.get(path) ?? {};
      for (const m of file.mutants) c[m.status] = (c[m.status] ?? 0) + 1;
      counts.set(path, c);
    }
  }
  return counts;
}

if (import.meta.main) {
  const named = Deno.args.filter((a) => !a.startsWith("--"));
  const paths = named.length > 0 ? named : [
    ...Deno.readDirSync("tests/mutation/reports"),
  ].filter((e) =>
    e.name.endsWith(".json") && e.name !== "mutation.json" &&
    !e.name.startsWith("stryker")
  )
    .map((e) => `tests/mutation/reports/${e.name}`);
  const reports: Report[] = paths.map((p) =>
    JSON.parse(Deno.readTextFileSync(p))
  );
  for (const [path, c] of [...tally(reports)].sort()) {
    const killed = (c.Killed ?? 0) + (c.Timeout ?? 0);
    const survived = (c.Survived ?? 0) + (c.NoCoverage ?? 0);
    const score = (100 * killed / (killed + survived)).toFixed(1);
    console.log(`${path}\t${JSON.stringify(c)}\t${score}%`);
  }
  if (Deno.args.includes("--lines")) {
    const lines = new Set<string>();
    for (const report of reports) {
      for (const [path, file] of Object.entries(report.files)) {
        for (const m of file.mutants) {
          if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
          const { line } = m.location.start;
          lines.add(`${path}:${line}-${line}`);
        }
      }
    }
    console.log([...lines].join(","));
  }
  if (Deno.args.includes("--survivors")) {
    for (const report of reports) {
      for (const [path, file] of Object.entries(report.files)) {
        const lines = file.source.split("\n");
        for (const m of file.mutants) {
          if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
          const { line, column } = m.location.start;
          console.log(
            `${m.status} ${path}:${line}:${column} ${m.mutatorName} -> ${
              JSON.stringify(m.replacement)
            }\n    ${lines[line - 1]!.trim()}`,
          );
        }
      }
    }
  }
}
