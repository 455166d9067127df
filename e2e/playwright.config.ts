import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the real loopback web host (real services, real SQLite, real files) driven in
 * Debian's Chromium. Playwright cannot download its own browsers here, so it uses the system one.
 */
const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export default defineConfig({
  testDir: '.',
  outputDir: './artifacts/results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    browserName: 'chromium',
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.COUNTERSIGN_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        ...(runningAsRoot ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        // Keep the browser itself offline too: no update checks, no sync, no component downloads.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
