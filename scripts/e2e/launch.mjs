// Runs extension tests in a real VS Code without downloading one: code-server (VS Code's server build, from
// npm, on Node 24) hosts a Node extension host, and headless Debian chromium driven by playwright-core is the
// workbench client. The test payload (extensionDevelopmentPath / extensionTestsPath) is only honoured by a
// built workbench when the server runs with --enable-smoke-test-driver; the test exit code comes back through
// window.codeAutomationExit, as in VS Code's own browser integration tests.
/* global setTimeout, clearTimeout, fetch */
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  createWriteStream,
  cpSync,
  existsSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDriverServer } from './driverServer.mjs';
import { e2ePaths, missingPrerequisites } from './paths.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Workbench defaults for a quiet, offline, deterministic window.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
};

// Messages that only say the machine is offline (marketplace, update checks) or that closed-source parts
// are absent from the OSS build.
const NOISE = [
  /open-vsx\.org/,
  /ENOTFOUND/,
  /vsda/,
  /getaddrinfo/,
  /marketplace/i,
  /gallery/i,
  /authentication provider/,
];

function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolvePort(port));
    });
  });
}

async function waitFor(what, deadlineMs, probe, isDead) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await probe()) return;
    const dead = isDead();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts code-server and a headless browser, runs the extension tests, tears everything down.
 * @param {{
 *   folder: string, extensionDevelopmentPath: string, extensionTestsPath: string,
 *   userDataDir?: string, extensionsDir?: string, workspaceTrust?: boolean,
 *   env?: Record<string, string>, timeoutMs?: number, startupTimeoutMs?: number,
 *   artifactsDir?: string, log?: (line: string) => void, verbose?: boolean,
 * }} o
 * @returns {Promise<{ exitCode: number, durationMs: number, artifacts?: string }>}
 */
export async function launchVsCode(o) {
  const started = Date.now();
  const log = o.log ?? ((l) => process.stdout.write(l + '\n'));
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`E2E toolchain missing: ${missing.join(', ')}. Run .ci/e2e.sh`);
  const paths = e2ePaths();
  const scratch = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  const xdg = {
    XDG_CONFIG_HOME: join(scratch, 'xdg', 'config'),
    XDG_DATA_HOME: join(scratch, 'xdg', 'data'),
    XDG_CACHE_HOME: join(scratch, 'xdg', 'cache'),
  };
  const userDataDir = resolve(o.userDataDir ?? join(scratch, 'user'));
  const extensionsDir = resolve(o.extensionsDir ?? join(scratch, 'extensions'));
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // Quiet defaults under whatever the caller put in the profile's settings.json (the caller's values win).
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const given = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
  const settings = { ...USER_SETTINGS, 'security.workspace.trust.enabled': !!o.workspaceTrust, ...given };
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const serverLog = createWriteStream(join(scratch, 'code-server.log'));
  const hostLog = createWriteStream(join(scratch, 'extension-host.log'));

  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let server;
  let serverExit = '';
  const driver = await startDriverServer(() => page);
  let exitCode = 1;
  let failure;
  let firstReport = false;
  const kill = () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  const onSignal = () => {
    kill();
    process.exit(143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const port = await freePort();
    const args = [
      paths.codeServer,
      o.folder,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--vscode-option',
      'enable-smoke-test-driver',
    ];
    if (!o.workspaceTrust) args.push('--disable-workspace-trust');
    server = spawn(paths.node, args, {
      // Own process group, so the extension host, language server and anything else it started die with it.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...xdg, ...o.env, SANDBOX_GUARD_E2E_DRIVER: driver.url },
    });
    server.stdout?.pipe(serverLog, { end: false });
    server.stderr?.pipe(serverLog, { end: false });
    server.on('exit', (code, signal) => (serverExit = `code-server exited (${code ?? signal})`));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'code-server',
      o.startupTimeoutMs ?? 60_000,
      async () => {
        try {
          return (await fetch(`${base}/healthz`)).ok;
        } catch {
          return false;
        }
      },
      () => serverExit,
    );

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, ...xdg },
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    let resolveExit = (/** @type {number} */ _code) => {};
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction(
      'codeAutomationLog',
      (/** @type {string} */ level, /** @type {unknown} */ msg) => {
        const text = Array.isArray(msg) ? msg.join(' ') : String(msg);
        hostLog.write(`[${level}] ${text}\n`);
        if (NOISE.some((re) => re.test(text))) return;
        if (!firstReport && text.includes('[sg-e2e] session')) {
          firstReport = true;
          log(`[sg-e2e] launcher: VS Code ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
        if (o.verbose || text.includes('[sg-e2e]') || level === 'error') log(text);
      },
    );
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => resolveExit(code));
    page.on('pageerror', (e) => hostLog.write(`[pageerror] ${e.message}\n`));

    const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${port}${resolve(p)}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(o.extensionTestsPath)],
    ]);
    // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
    const open = o.folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
    const url = `${base}/?${open}=${encodeURIComponent(resolve(o.folder))}&payload=${encodeURIComponent(payload)}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: o.startupTimeoutMs ?? 60_000 });

    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`extension tests did not finish within ${o.timeoutMs ?? 300_000} ms`)),
        o.timeoutMs ?? 300_000,
      );
    });
    const died = new Promise((_, reject) => server?.on('exit', () => reject(new Error(serverExit))));
    try {
      exitCode = await Promise.race([exited, timeout, died]);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    failure = e;
    exitCode = 1;
    if (page) await page.screenshot({ path: join(scratch, 'failure.png') }).catch(() => {});
  } finally {
    await browser?.close().catch(() => {});
    kill();
    await driver.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    serverLog.end();
    hostLog.end();
  }
  // Extension host logs live under the user data dir; keep them with the rest when something failed.
  let artifacts;
  if (exitCode !== 0) {
    artifacts = o.artifactsDir ? resolve(o.artifactsDir) : scratch;
    if (artifacts !== scratch) {
      rmSync(artifacts, { recursive: true, force: true });
      mkdirSync(artifacts, { recursive: true });
      cpSync(scratch, artifacts, { recursive: true, filter: (src) => !src.includes('/xdg/') });
      if (existsSync(join(userDataDir, 'logs')))
        cpSync(join(userDataDir, 'logs'), join(artifacts, 'logs'), { recursive: true });
    }
    log(`[sg-e2e] launcher: exit code ${exitCode}; logs and screenshot kept in ${artifacts}`);
  }
  if (!artifacts || artifacts !== scratch) rmSync(scratch, { recursive: true, force: true });
  if (failure) {
    const err = /** @type {Error} */ (failure);
    err.message += artifacts ? ` (logs: ${artifacts})` : '';
    throw err;
  }
  return { exitCode, durationMs: Date.now() - started, artifacts };
}
