// Debian's Chromium, as the browser tests and `npm run audit` start it.
import { existsSync } from "node:fs";

/** Debian's Chromium, whole: Lighthouse (`npm run audit`) needs it. CI sets CHROME_PATH. Playwright's own browser download cannot work here. */
export const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

const DEBIAN_HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";

/**
 * The browser that reads pages without a screen (the browser tests, the search
 * bench): Debian's chromium-headless-shell, the headless build Playwright itself
 * runs headless tests in. The browser suites took 46–50 core-seconds with it,
 * 73–82 with Chromium's own headless mode. Chromium when it is not installed.
 */
export const HEADLESS_CHROME_PATH = process.env.CHROME_HEADLESS_SHELL_PATH ?? (existsSync(DEBIAN_HEADLESS_SHELL) ? DEBIAN_HEADLESS_SHELL : CHROME_PATH);

/** Without the background-networking flags Chromium tries to reach Google's hosts at start. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
