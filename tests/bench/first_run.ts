/**
 * What a newcomer's first `deno task demo` downloads: clones the committed
 * repo into a temporary folder, runs the demo there with `DENO_DIR` pointing at
 * an empty folder, and measures that folder.
 *
 * ```sh
 * deno task first-run
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** What the first run left in the Deno cache. */
export interface FirstRun {
  /** Bytes in the cache folder after the run. */
  bytes: number;
  /** The npm packages the run fetched, sorted. */
  npmPackages: string[];
}

async function sizeOf(path: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(path)) {
    const child = join(path, entry.name);
    if (entry.isDirectory) total += await sizeOf(child);
    else if (entry.isFile) total += (await Deno.lstat(child)).size;
  }
  return total;
}

async function run(cmd: string, args: string[], options: Deno.CommandOptions) {
  const { success, stderr } = await new Deno.Command(cmd, {
    args,
    stdout: "null",
    stderr: "piped",
    ...options,
  }).output();
  if (!success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`,
    );
  }
}

/** Clones HEAD, runs `deno task demo` with an empty cache, measures the cache. */
export async function measureFirstRun(): Promise<FirstRun> {
  const dir = await Deno.makeTempDir({ prefix: "first-run-" });
  try {
    const clone = join(dir, "clone");
    const cache = join(dir, "deno-dir");
    await run("git", ["clone", "--quiet", ROOT, clone], {});
    await Deno.mkdir(cache);
    await run(Deno.execPath(), ["task", "demo"], {
      cwd: clone,
      env: { DENO_DIR: cache, NO_COLOR: "1" },
    });
    const registry = join(cache, "npm", "registry.npmjs.org");
    const npmPackages: string[] = [];
    try {
      for await (const entry of Deno.readDir(registry)) {
        if (!entry.isDirectory) continue;
        if (!entry.name.startsWith("@")) npmPackages.push(entry.name);
        else {
          for await (const sub of Deno.readDir(join(registry, entry.name))) {
            npmPackages.push(`${entry.name}/${sub.name}`);
          }
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return { bytes: await sizeOf(cache), npmPackages: npmPackages.sort() };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { bytes, npmPackages } = await measureFirstRun();
  console.log(
    `first deno task demo, empty DENO_DIR: ${
      (bytes / 1e6).toFixed(1)
    } MB in the cache; npm packages: ${npmPackages.join(", ") || "none"}`,
  );
}
