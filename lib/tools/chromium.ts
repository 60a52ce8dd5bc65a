// Debian's Chromium, as the browser tests and `npm run audit` start it.
/** Debian's Chromium; CI sets CHROME_PATH. Playwright's own browser download cannot work here. */
export const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

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
