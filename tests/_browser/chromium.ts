// Debian's Chromium driven by playwright-core, for the browser checks and the
// screenshots task. Nothing here downloads a browser: playwright-core only
// launches the executable it is given.

import type { BrowserContext, Page, Request } from "npm:playwright-core@1.65.1";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** What installs it. */
export const CHROMIUM_HINT = "apt-get install -y chromium";

/**
 * Flags that let headless Chromium run as root in a container without
 * reaching for the network on its own (without the background-networking
 * flags it keeps trying, and gets refused).
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether Debian's Chromium is installed. */
export async function hasChromium(): Promise<boolean> {
  try {
    const info = await Deno.stat(CHROMIUM);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * playwright-core reads files such as /proc/sys/fs/binfmt_misc/WSLInterop,
 * which Deno 2 allows only with --allow-all; say so plainly instead of
 * failing deep inside the library.
 */
export async function assertAllPermissions(): Promise<void> {
  const names = [
    "read",
    "write",
    "net",
    "env",
    "run",
    "sys",
    "ffi",
  ] as const;
  for (const name of names) {
    const { state } = await Deno.permissions.query({ name });
    if (state !== "granted") {
      throw new Error(
        `The browser checks need every permission (deno test -A): playwright-core drives Chromium and reads /proc, and --allow-${name} is missing`,
      );
    }
  }
}

/** Viewport of every page: wide enough for a 640 px chart and its margins. */
export const VIEWPORT = { width: 1000, height: 900 };

/**
 * Runs `body` with a Chromium on a new, empty profile folder (scripts on,
 * the default context), and closes the browser and removes the folder
 * afterwards whatever happens.
 */
export async function withChromium<T>(
  body: (context: BrowserContext) => Promise<T>,
  options: { deviceScaleFactor?: number } = {},
): Promise<T> {
  const profile = await Deno.makeTempDir({ prefix: "softmax-chromium-" });
  let context: BrowserContext | undefined;
  try {
    // Imported here, not above: playwright-core needs --allow-all as soon as
    // it loads, and a test run without it should fail with the message of
    // assertAllPermissions, not a stack trace from the import.
    const { chromium } = await import("npm:playwright-core@1.65.1");
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      colorScheme: "light",
      locale: "en-US",
      timezoneId: "UTC",
    });
    return await body(context);
  } finally {
    await context?.close();
    await Deno.remove(profile, { recursive: true });
  }
}

/** What a page did that a check may object to. */
export interface PageLog {
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Requests for anything the page was not allowed to reach (aborted). */
  blocked: string[];
  /** Every URL requested, in order. */
  requests: string[];
}

/** URLs an offline page may load: its own files and inline data. */
export function isLocal(url: string): boolean {
  return /^(file|data|about|blob):/.test(url);
}

/**
 * Records the page's console errors, uncaught exceptions and requests, and
 * aborts every request `allowed` rejects (so nothing leaves the machine even
 * when a check fails). Web sockets are requests too: any that `allowed`
 * rejects is recorded as blocked.
 */
export async function watchPage(
  page: Page,
  allowed: (url: string) => boolean = isLocal,
): Promise<PageLog> {
  const log: PageLog = { errors: [], blocked: [], requests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location().url;
      log.errors.push(
        `console error: ${message.text()}${where ? ` (${where})` : ""}`,
      );
    }
  });
  page.on("pageerror", (error) => log.errors.push(`uncaught: ${error.stack}`));
  page.on("request", (request: Request) => log.requests.push(request.url()));
  page.on("websocket", (socket) => {
    if (!allowed(socket.url())) log.blocked.push(socket.url());
  });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    log.blocked.push(url);
    return route.abort("blockedbyclient");
  });
  return log;
}

/** Shortens long URLs (data: URLs, tokens) for messages. */
export function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}
