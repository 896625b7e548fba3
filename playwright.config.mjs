// Playwright: the widget and the demo pages in Debian's Chromium
// (/usr/bin/chromium; Playwright never downloads a browser here).
//
//   scripts/e2e            (builds the widget, then runs this)
//   npx playwright test    (globalSetup builds the widget too)
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.ORDERTRAIL_E2E_PORT ?? 8487);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.mjs',
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/global-setup.mjs',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    // The browser's own zone and locale are neither the market's nor the
    // buyer's: the widget must take both from the policy and its attributes.
    timezoneId: 'Asia/Tokyo',
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `node scripts/serve-web --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/demo/`,
    reuseExistingServer: !process.env.CI,
    timeout: 20_000,
  },
});
