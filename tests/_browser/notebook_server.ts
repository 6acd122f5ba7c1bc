// The classic Jupyter Notebook server (Debian's jupyter-notebook, 6.x) with
// a private Deno kernelspec, on a free loopback port with a random token,
// serving a scratch copy of the repository: the notebooks are copied (the
// UI may autosave them) and everything else is linked, so `../mod.ts`,
// deno.json and the notebooks' data resolve as in the repository, which is
// never written to.

import { join } from "node:path";
import { childEnv, privateJupyter } from "../../notebooks/_runner/notebooks.ts";

/** The Python that has Jupyter (another one may come first on PATH). */
export const PYTHON = Deno.env.get("NOTEBOOKS_PYTHON") ?? "/usr/bin/python3";

/** What installs the classic Notebook and nbconvert. */
export const NOTEBOOK_HINT =
  "apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client";

/** Whether `PYTHON` can run the classic Notebook and nbconvert. */
export async function hasNotebook(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import notebook, nbconvert, nbclient, jupyter_client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** A running server; {@linkcode NotebookServer.stop} ends it and its kernels. */
export interface NotebookServer {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** `127.0.0.1:PORT`: the only host the pages may reach. */
  host: string;
  /** The URL that opens a notebook (path relative to the repository). */
  notebookUrl(path: string): string;
  /** The server's output so far (for failure messages). */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its folders. */
  stop(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A scratch copy of `repo`: notebooks copied, every other entry a symlink. */
async function scratchTree(repo: string, tree: string): Promise<void> {
  await Deno.mkdir(tree);
  for await (const entry of Deno.readDir(repo)) {
    if (entry.name === ".git") continue;
    if (entry.name !== "notebooks" || !entry.isDirectory) {
      await Deno.symlink(join(repo, entry.name), join(tree, entry.name));
      continue;
    }
    await Deno.mkdir(join(tree, "notebooks"));
    for await (const inner of Deno.readDir(join(repo, "notebooks"))) {
      const from = join(repo, "notebooks", inner.name);
      const to = join(tree, "notebooks", inner.name);
      if (inner.isFile && inner.name.endsWith(".ipynb")) {
        await Deno.copyFile(from, to);
      } else {
        await Deno.symlink(from, to);
      }
    }
  }
}

async function drain(
  stream: ReadableStream<Uint8Array>,
  into: string[],
): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    into.push(decoder.decode(chunk, { stream: true }));
  }
}

/**
 * Starts the classic Notebook on `repo` (a scratch copy of it) and waits
 * until its API answers. Jupyter's data, config and runtime folders are
 * private temporary ones holding a `deno` kernelspec for the running Deno,
 * as the notebook runner does.
 */
export async function startNotebookServer(
  repo: string,
): Promise<NotebookServer> {
  const root = await Deno.makeTempDir({ prefix: "softmax-notebook-server-" });
  const output: string[] = [];
  let child: Deno.ChildProcess | undefined;
  let readers: Promise<unknown> = Promise.resolve();
  const stop = async () => {
    if (child !== undefined) {
      const status = child.status;
      try {
        // The Notebook shuts its kernels down on SIGTERM.
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), 10_000);
      });
      if (await Promise.race([status, late]) === "late") {
        try {
          child.kill("SIGKILL");
        } catch { /* gone meanwhile */ }
        await status;
      }
      clearTimeout(timer);
      await readers;
      child = undefined;
    }
    await Deno.remove(root, { recursive: true });
  };
  try {
    const tree = join(root, "tree");
    await scratchTree(repo, tree);
    // The runner's private kernelspec and environment.
    const env = childEnv(await privateJupyter(root));
    const port = freePort();
    const token = crypto.randomUUID().replaceAll("-", "");
    child = new Deno.Command(PYTHON, {
      args: [
        "-m",
        "notebook",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        `--port=${port}`,
        "--port-retries=0",
        `--NotebookApp.token=${token}`,
        `--notebook-dir=${tree}`,
      ],
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    readers = Promise.all([
      drain(child.stdout, output),
      drain(child.stderr, output),
    ]);
    const base = `http://127.0.0.1:${port}`;
    const exited = child.status.then(() => "exited" as const);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(`${base}/api/status?token=${token}`, {
        signal: AbortSignal.timeout(2_000),
      }).then(async (r) => {
        await r.body?.cancel();
        return r.ok;
      }, () => false);
      if (up) break;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const state = await Promise.race([
        exited,
        new Promise<"waiting">((r) => {
          timer = setTimeout(() => r("waiting"), 200);
        }),
      ]);
      clearTimeout(timer);
      if (state === "exited" || Date.now() > deadline) {
        throw new Error(
          `The Notebook server did not start (${state}):\n${output.join("")}`,
        );
      }
    }
    return {
      base,
      host: `127.0.0.1:${port}`,
      notebookUrl: (path) =>
        `${base}/notebooks/${
          path.split("/").map(encodeURIComponent).join("/")
        }?token=${token}`,
      log: () => output.join(""),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
