// Opens an HTML report in headless Chromium (Debian's, driven by playwright-core), fails on any
// console error or page error, checks that the sequence diagrams were drawn, and saves a
// screenshot. Usage: node html-report-check.js REPORT.html SCREENSHOT.png [CHROMIUM]
// Prints one JSON line: {"ok":true,"diagrams":N,"arrows":N,"errors":[]}.
const { chromium } = require('playwright-core');
const path = require('path');

async function main() {
  const [report, screenshot, executable] = process.argv.slice(2);
  if (!report || !screenshot) {
    console.error('usage: node html-report-check.js REPORT.html SCREENSHOT.png [CHROMIUM]');
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: executable || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const errors = [];
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  page.on('pageerror', (e) => errors.push('page: ' + e.message));
  page.on('requestfailed', (r) => errors.push('request failed: ' + r.url()));
  await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
  // Open every scenario, so the diagrams are laid out and visible in the screenshot.
  await page.$$eval('details.scenario', (ds) => ds.forEach((d) => { d.open = true; }));
  const diagrams = await page.$$eval('svg.sequence', (s) => s.length);
  const arrows = await page.$$eval('svg.sequence line.message', (s) => s.length);
  const visible = await page.isVisible('svg.sequence');
  const notice = await page.textContent('#notice');
  await page.screenshot({ path: screenshot, fullPage: false });
  await browser.close();
  const ok = errors.length === 0 && diagrams > 0 && arrows > 0 && visible && /emulated/.test(notice || '');
  console.log(JSON.stringify({ ok, diagrams, arrows, visible, notice: (notice || '').slice(0, 80), errors }));
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, errors: ['exception: ' + e.message] }));
  process.exit(1);
});
