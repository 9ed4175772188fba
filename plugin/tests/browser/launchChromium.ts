import fs from 'fs';
import os from 'os';
import path from 'path';
import { BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package (CI installs it with apt); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags for a quiet headless run as root in a sandbox with no network: no sandbox (root), no GPU,
 * and none of the background services that would try to phone home.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts the system Chromium with a fresh profile. A missing browser is an error, not a skip: the
 * real-browser test is part of the suite and CI must not pass without it.
 */
export async function launchChromium(viewport: { width: number; height: number }): Promise<LaunchedChromium> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the browser test needs Debian's chromium package ` +
        `(apt-get install chromium) or CHROMIUM_PATH pointing at a Chromium binary`
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'datatrust-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
