/**
 * Stress check of the first chart's delivery to several IOPub subscribers
 * (see iopub_stress.py): the Deno kernel garbles single messages of a few
 * megabytes when more than one subscriber listens, so plotly.js goes out in
 * parts of at most 1 MB (lib/charts/render/_html.ts). Needs Debian's
 * python3-jupyter-client and python3-zmq; takes about 5 s per kernel.
 *
 * ```sh
 * deno run -A tests/bench/iopub_stress.ts [KERNELS=20] [SUBSCRIBERS=3]
 * ```
 *
 * @module
 */

import { fileURLToPath as fromFileUrl } from "node:url";
import { privateJupyter } from "../../notebooks/_runner/notebooks.ts";

const [kernels = "20", subscribers = "3"] = Deno.args;
const root = fromFileUrl(new URL("../../", import.meta.url)).replace(/\/$/, "");
const temp = await Deno.makeTempDir({ prefix: "softmax-iopub-" });
try {
  const env = await privateJupyter(temp);
  const { code } = await new Deno.Command("/usr/bin/python3", {
    args: [
      fromFileUrl(new URL("iopub_stress.py", import.meta.url)),
      root,
      kernels,
      subscribers,
    ],
    env: { ...env, NO_COLOR: "1" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  Deno.exitCode = code;
} finally {
  await Deno.remove(temp, { recursive: true });
}
