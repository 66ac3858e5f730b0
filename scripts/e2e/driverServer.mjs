// A loopback HTTP endpoint through which tests running inside the extension host ask the browser (the
// workbench client) for what only a user's side can do or see: press keys, type, take screenshots, count
// rendered elements, read the terminal as xterm.js rendered it. The extension host finds it through the
// SANDBOX_GUARD_E2E_DRIVER environment variable. One JSON object in, one JSON object out.
/* global document, window -- the terminalBuffer callback runs in the workbench page */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';

/**
 * @param {() => import('playwright-core').Page | undefined} getPage
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startDriverServer(getPage) {
  const ops = {
    async press(page, { keys }) {
      for (const key of keys) await page.keyboard.press(key);
      return {};
    },
    async type(page, { text }) {
      await page.keyboard.type(text);
      return {};
    },
    async screenshot(page, { path, waitFor, timeoutMs = 10_000 }) {
      for (const selector of waitFor ?? []) {
        await page.waitForSelector(selector, { state: 'visible', timeout: timeoutMs });
      }
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, type: 'png' });
      return { path };
    },
    async count(page, { selector }) {
      return { count: await page.locator(selector).count() };
    },
    async text(page, { selector }) {
      // Monaco renders spaces as no-break spaces; report the text as a reader sees it.
      const texts = await page.locator(selector).allInnerTexts();
      return { texts: texts.map((t) => t.replace(/\u00a0/g, ' ')) };
    },
    async click(page, { selector, timeoutMs = 10_000 }) {
      await page.locator(selector).first().click({ timeout: timeoutMs });
      return {};
    },
    async terminalBuffer(page) {
      // The smoke-test driver (enabled by --enable-smoke-test-driver) reads xterm.js's buffer, i.e. what the
      // user sees, including text written by a Pseudoterminal.
      const lines = await page.evaluate(() => {
        // VS Code hangs the xterm.js instance on the terminal's wrapper element.
        const el = [...document.querySelectorAll('.terminal-wrapper')].find(
          (e) => e.xterm && e.offsetParent !== null,
        );
        if (!el) return null;
        const id = 'sg-e2e-term';
        el.id = id;
        return window.driver.getTerminalBuffer(`#${id}`);
      });
      return { lines };
    },
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const reply = (status, obj) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const op = ops[(req.url ?? '').replace(/^\//, '')];
      const page = getPage();
      if (req.method !== 'POST' || !op) return reply(404, { error: `unknown operation ${req.url}` });
      if (!page) return reply(503, { error: 'the workbench page is not open yet' });
      try {
        reply(200, await op(page, body ? JSON.parse(body) : {}));
      } catch (e) {
        reply(500, { error: e instanceof Error ? e.message : String(e) });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
