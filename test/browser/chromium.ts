// SPDX-License-Identifier: Apache-2.0
// Debian's headless Chromium, as every browser test launches it (CI installs it; elsewhere the
// browser tests skip when it is missing).
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
export const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
/** Run the browser tests: Chromium is there, or this is CI (where its absence must fail). */
export const haveChromium = existsSync(CHROMIUM) || inCi;
