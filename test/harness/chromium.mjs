// Launches Debian's Chromium (/usr/bin/chromium) with playwright-core. Never `playwright install`:
// these machines cannot download browsers. Fails loudly when Chromium is missing.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.KTL_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}. Install Debian's package: sudo apt-get update && sudo apt-get install -y chromium ` +
        '(or set KTL_CHROMIUM to a Chromium binary).',
    );
  }
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ktl-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
