import fs from 'node:fs';
import type { TestContext } from 'node:test';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core; never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Launches headless Chromium, or skips the test when it is not installed, except under CI=true, where a
 * missing browser is a failure (CI installs it).
 */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!fs.existsSync(chromiumPath)) {
    if (process.env.CI === 'true') throw new Error(`${chromiumPath} is missing: CI must install chromium`);
    t.skip(`no browser at ${chromiumPath}: install Debian's chromium to run browser tests`);
    return undefined;
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
