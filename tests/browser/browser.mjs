// browser.mjs - shared setup for the browser tests: the real switchyard
// binary (tests/http/harness.mjs) with a fresh demo database, Debian's
// Chromium driven by playwright-core (never a downloaded browser), and
// helpers to wait for a page, check its charts, collect console errors and
// write screenshots for reviewers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, api } from '../http/harness.mjs';
// The decisions every new workload states (owner, AI Act tier, classification).
export { DECIDED } from '../http/harness.mjs';

export { api };

export const SHOTS = process.env.SWITCHYARD_SCREENSHOTS || 'build/screenshots';

const LAUNCH = {
  executablePath: process.env.SWITCHYARD_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
};

// Starts the server (with extra command-line args, if any) and the browser.
// Returns {srv, browser, newPage(opts), close()}.
export async function setup({ env, args: extra = [], evidence = false } = {}) {
  // SWITCHYARD_WEB_ROOT serves web/ from disk instead of the embedded copy
  // (development: edit web/ and rerun without rebuilding).
  const args = process.env.SWITCHYARD_WEB_ROOT ? ['--web-root', process.env.SWITCHYARD_WEB_ROOT] : [];
  args.push(...extra);
  const srv = await startServer({ demo: true, evidence, args, env: { SWITCHYARD_TODAY: new Date().toISOString().slice(0, 10), ...(env || {}) } });
  let browser;
  try {
    browser = await chromium.launch(LAUNCH);
  } catch (err) {
    await srv.stop();
    throw err;
  }
  // Session cookies per demo user, signed in through the API once each
  // (pages opened with newPage({as: 'viewer'}) start signed in as viewer).
  const cookies = new Map();
  const cookieFor = async (name) => {
    if (!cookies.has(name)) {
      const c = await srv.signIn(name);
      const [key, ...rest] = c.split('=');
      cookies.set(name, { name: key, value: rest.join('='), url: srv.base });
    }
    return cookies.get(name);
  };
  try {
    await cookieFor('admin');
  } catch (err) {
    await browser.close().catch(() => {});
    await srv.stop();
    throw err;
  }
  const contexts = [];
  return {
    srv,
    browser,
    // A page in a fresh context, signed in as the demo user `as` (default
    // admin; null: not signed in). Collects console errors and page errors
    // in page.problems; the 401 of GET /api/v1/session in a browser that is
    // not signed in is expected, not an error.
    async newPage({ bypassCSP = false, viewport = { width: 1440, height: 900 }, as = 'admin' } = {}) {
      const context = await browser.newContext({ bypassCSP, viewport, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
      contexts.push(context);
      if (as) await context.addCookies([await cookieFor(as)]);
      const page = await context.newPage();
      page.problems = [];
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        const url = (m.location() && m.location().url) || '';
        if (/\/api\/v1\/session$/.test(url) && /401/.test(m.text())) return;
        page.problems.push(`console: ${m.text()} ${url}`);
      });
      page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
      // Dialogs are errors (an alert() would mean injected script), unless a
      // test says it expects one (page.expectDialog = true: it is accepted).
      page.on('dialog', (d) => {
        if (page.expectDialog) { page.expectDialog = false; d.accept().catch(() => {}); return; }
        page.problems.push(`dialog: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await srv.stop();
    },
  };
}

// Goes to a hash route and waits until the page has settled: no loading
// placeholder, nothing busy, every chart drawn. Returns performance.now() at
// that moment (ms since navigation start).
export async function open(page, base, hash, { timeout = 10000 } = {}) {
  const target = `${base}/#${hash}`;
  if (page.url() === target) {
    await page.reload();
  } else if (page.url().startsWith(`${base}/`)) {
    // Same document: mark the current page stale, then change the hash.
    await page.evaluate((h) => {
      const p = document.querySelector('main .page');
      if (p) p.dataset.stale = '1';
      location.hash = h;
    }, hash);
  } else {
    await page.goto(target);
  }
  return settle(page, { timeout });
}

// Signs in through the sign-in page (which must be showing) and waits for
// the page it returns to.
export async function signInHere(page, name, password) {
  await page.locator('#signin-name').waitFor();
  await page.fill('#signin-name', name);
  await page.fill('#signin-password', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#sign-out').waitFor();
  return settle(page);
}

export async function settle(page, { timeout = 10000 } = {}) {
  const handle = await page.waitForFunction(() => {
    const main = document.querySelector('main');
    if (!main || !main.querySelector('.page:not([data-stale]) h1')) return false;
    if (main.querySelector('.loading, [aria-busy="true"]')) return false;
    for (const c of main.querySelectorAll('canvas')) {
      if (!window.Chart || !window.Chart.getChart(c) || c.width === 0) return false;
    }
    return performance.now();
  }, null, { timeout, polling: 'raf' });
  return handle.jsonValue();
}

// For each canvas in main: how many of its pixels are painted (not transparent, not white).
export async function canvasInk(page) {
  return page.evaluate(() => [...document.querySelectorAll('main canvas')].map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) ink++;
    }
    return { label: c.getAttribute('aria-label').slice(0, 60), role: c.getAttribute('role'), ink, width: c.width };
  }));
}

// How many pixels of a canvas have exactly this colour ('#rrggbb').
export async function colourPixels(page, canvasIndex, hex) {
  return page.evaluate(([i, h]) => {
    const c = document.querySelectorAll('main canvas')[i];
    const [r, g, b] = [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] === r && data[k + 1] === g && data[k + 2] === b && data[k + 3] === 255) n++;
    return n;
  }, [canvasIndex, hex]);
}

// The rows of the data table of the chart whose caption is `title`, as text.
export async function chartTable(page, title) {
  return page.evaluate((t) => {
    const fig = [...document.querySelectorAll('figure.chart')].find((f) => f.querySelector('.chart-title').textContent === t);
    if (!fig) return null;
    return [...fig.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()));
  }, title);
}

// Digits of a formatted figure ("$444,110" -> 444110; "5,452" -> 5452).
export const num = (s) => Number(String(s).replace(/[^0-9.-]/g, ''));

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export async function pdf(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return path;
}
