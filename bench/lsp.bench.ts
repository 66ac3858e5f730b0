// Language server latency and memory, measured over the real stdio server (`node dist/server.js --stdio`):
// the time from sending `didChange` (one character) to receiving the pulled diagnostics for that version,
// for 100, 1 000 and 10 000-line Python and JavaScript files. Then, in process and on the same inputs, where
// the time goes (parse, incremental parse, the whole engine), so a regression can be pinned to a layer.
// Run: npm run build && node --import tsx bench/lsp.bench.ts   (prints a Markdown section)
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkText } from '../core/engine';
import type { GrammarId } from '../core/parsing';
import { presetPolicy } from '../core/policyLoader';
import { loadParsers } from '../runtime/grammars';
import { treeEditFor } from '../server/treeEdit';
import { fileUri, LspClient, tempDir } from '../test/lsp/lspClient';
import { javascriptSource, pythonSource } from './corpus';
import { percentile } from './stats';

const SIZES = (process.env.LSP_BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const WARMUP = 15;
const ITERATIONS = Number(process.env.LSP_BENCH_ITERATIONS ?? 100);
const TARGET_P95: Record<number, number | undefined> = { 1000: 15, 10000: 60 };
const MEMORY_TARGET_MB = 100;

interface Case {
  language: 'python' | 'javascript';
  lines: number;
  text: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  const languages = (process.env.LSP_BENCH_LANGUAGES ?? 'python,javascript').split(',') as Case['language'][];
  for (const language of languages) {
    for (const lines of SIZES) {
      out.push({
        language,
        lines,
        text: language === 'python' ? pythonSource(lines) : javascriptSource(lines),
      });
    }
  }
  return out;
}

const lineCache = new Map<string, string[]>();

/**
 * Where the i-th keystroke goes: inside an identifier (`cou|nts`) on a line in the middle half of the file,
 * away from findings, so every edit changes a token (as typing does) while the findings stay the same.
 */
function editAt(text: string, i: number): { line: number; character: number } {
  let lines = lineCache.get(text);
  if (!lines) lineCache.set(text, (lines = text.split('\n')));
  const first = Math.floor(lines.length / 4) + ((i * 37) % Math.max(1, Math.floor(lines.length / 2)));
  for (let l = first; l < lines.length; l++) {
    const c = lines[l].indexOf('counts');
    if (c >= 0) return { line: l, character: c + 3 };
  }
  return { line: first, character: 0 };
}

/** The i-th edit of a run: even i types an `x` at editAt(i), odd i deletes it again. */
function keystroke(text: string, i: number): { range: { start: Pos; end: Pos }; text: string } {
  const at = editAt(text, i - (i % 2));
  return i % 2 === 0
    ? { range: { start: at, end: at }, text: 'x' }
    : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
}

interface Pos {
  line: number;
  character: number;
}

/** `getconf CLK_TCK`: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** CPU time (user + system, all threads: GC helpers included) the process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function vmRssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

async function overStdio(all: Case[]): Promise<{
  rows: string[];
  p50: Map<string, number>;
  rss: number;
  peak: number;
  memory: string;
  failed: string[];
}> {
  const ws = tempDir('sg-bench-');
  const client = await LspClient.start({ folders: [ws.path] });
  const rows: string[] = [];
  const p50 = new Map<string, number>();
  const failed: string[] = [];
  try {
    for (const c of all) {
      const ext = c.language === 'python' ? 'py' : 'js';
      const uri = fileUri(join(ws.path, `bench-${c.lines}.${ext}`));
      await client.open(uri, c.language, c.text);
      const baseline = (await client.diagnostics(uri)).length;
      const samples: number[] = [];
      const pid = client.child.pid ?? 0;
      let cpuBefore = 0;
      for (let i = 0; i < WARMUP + ITERATIONS; i++) {
        if (i === WARMUP) cpuBefore = cpuMs(pid);
        const change = keystroke(c.text, i);
        const t0 = performance.now();
        await client.change(uri, [change]);
        const report = await client.pull(uri);
        const dt = performance.now() - t0;
        if (report.kind !== 'full' || (report.items?.length ?? 0) !== baseline) {
          throw new Error(
            `unexpected report for ${uri}: ${report.kind} with ${report.items?.length} items (baseline ${baseline})`,
          );
        }
        if (i >= WARMUP) samples.push(dt);
      }
      const cpuPerEdit = (cpuMs(pid) - cpuBefore) / samples.length;
      await client.close(uri);
      const p = { p50: percentile(samples, 50), p95: percentile(samples, 95) };
      p50.set(`${c.language}:${c.lines}`, p.p50);
      const target = TARGET_P95[c.lines];
      const verdict = target === undefined ? '–' : p.p95 <= target ? `≤ ${target} ✓` : `≤ ${target} ✗`;
      if (target !== undefined && p.p95 > target)
        failed.push(`${c.language} ${c.lines} lines p95 ${fmt(p.p95)} ms > ${target} ms`);
      rows.push(
        `| ${c.language} | ${c.lines.toLocaleString('en')} | ${baseline} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${verdict} | ${fmt(cpuPerEdit)} | ${samples.length} |`,
      );
    }
    const stats = await client.request<{
      checks: number;
      incrementalChecks: number;
      memory: NodeJS.MemoryUsage;
      treeSitterMemory?: number;
      treeSitterMemoryTouched?: number;
    }>('sandboxGuardTest/stats', {});
    rows.push('');
    rows.push(`Checks: ${stats.checks}, of which incremental reparses: ${stats.incrementalChecks}.`);
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
    const memory =
      `V8 heap ${mb(stats.memory.heapUsed)} used of ${mb(stats.memory.heapTotal)}, ` +
      `tree-sitter WASM memory ${mb(stats.treeSitterMemoryTouched ?? 0)} used of ${mb(stats.treeSitterMemory ?? 0)}`;
    return {
      rows,
      p50,
      memory,
      rss: vmRssMb(client.child.pid ?? 0, 'VmRSS'),
      peak: vmRssMb(client.child.pid ?? 0, 'VmHWM'),
      failed,
    };
  } finally {
    await client.stop();
    ws.dispose();
  }
}

/** In-process breakdown: full parse, incremental parse after a one-character edit, and the whole engine. */
async function breakdown(all: Case[], lspP50: Map<string, number>): Promise<string[]> {
  // One grammar at a time: concurrent loading is flaky in web-tree-sitter.
  await loadParsers(['python']);
  const parsers = await loadParsers(['javascript']);
  const policy = presetPolicy('recommended');
  const rows: string[] = [];
  const runs = 40;
  for (const c of all) {
    const grammar: GrammarId = c.language;
    const full: number[] = [];
    const incremental: number[] = [];
    const engine: number[] = [];
    let doc = TextDocument.create('bench', c.language, 0, c.text);
    let tree = parsers.parse(grammar, doc.getText());
    for (let i = 0; i < runs + 6; i++) {
      let t = performance.now();
      parsers.parse(grammar, doc.getText())?.delete();
      const tFull = performance.now() - t;

      // The same keystrokes as over stdio, applied as the server applies them.
      const k = keystroke(c.text, i);
      const start = doc.offsetAt(k.range.start);
      const end = doc.offsetAt(k.range.end);
      tree?.edit(treeEditFor(doc, start, end, k.text));
      doc = TextDocument.update(doc, [k], i + 1);
      const copy = tree?.copy();
      t = performance.now();
      parsers.parse(grammar, doc.getText(), copy)?.delete();
      const tIncr = performance.now() - t;
      copy?.delete();

      t = performance.now();
      const out = checkText(doc.getText(), policy, { languageId: c.language, parsers, previousTree: tree });
      const tEngine = performance.now() - t;
      if (out.tree && out.tree !== tree) {
        tree?.delete();
        tree = out.tree;
      }
      if (i >= 6) {
        full.push(tFull);
        incremental.push(tIncr);
        engine.push(tEngine);
      }
    }
    tree?.delete();
    const e50 = percentile(engine, 50);
    const l50 = lspP50.get(`${c.language}:${c.lines}`);
    rows.push(
      `| ${c.language} | ${c.lines.toLocaleString('en')} | ${fmt(percentile(full, 50))} | ${fmt(percentile(incremental, 50))} | ${fmt(e50)} | ${fmt(e50 - percentile(incremental, 50))} | ${l50 === undefined ? '–' : fmt(l50 - e50)} |`,
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const all = cases();
  const loadBefore = loadavg()[0];
  const lsp = await overStdio(all);
  const loadAfter = loadavg()[0];
  const parts = await breakdown(all, lsp.p50);
  const memOk = lsp.peak <= MEMORY_TARGET_MB;
  const out = [
    '## Language server: didChange → diagnostics (bench/lsp.bench.ts)',
    '',
    `Over the real stdio server with a JSON-RPC client: a one-character edit (typing an \`x\` into an identifier`,
    `in the middle half of the file, then deleting it) is sent as \`didChange\`, immediately followed by a`,
    `\`textDocument/diagnostic\` pull; the`,
    `time is from sending the change to receiving the full report for that version. ${ITERATIONS} edits per row after`,
    `${WARMUP} warm-up edits; preset \`recommended\`; generated code from bench/corpus.ts. "server CPU" is the`,
    `server process's CPU time (all threads, GC helpers included) per measured edit: unlike the latencies it`,
    `hardly depends on what else the machine is running.`,
    '',
    `Machine load average (1 min) before/after the run: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} ` +
      `(on a 2-core machine, anything above 2 means other work competed with the server for the CPU).`,
    '',
    '| language | lines | findings | p50 ms | p95 ms | target p95 | server CPU ms/edit | edits |',
    '|---|---:|---:|---:|---:|---|---:|---:|',
    ...lsp.rows,
    '',
    `Server memory (RSS of the server process): ${lsp.rss.toFixed(1)} MB at the end, peak ${lsp.peak.toFixed(1)} MB ` +
      `(target ≤ ${MEMORY_TARGET_MB} MB ${memOk ? '✓' : '✗'}). At the end: ${lsp.memory}.`,
    '',
    '### Where the time goes (in process, same inputs, p50 ms)',
    '',
    '| language | lines | full parse | incremental parse | engine (checkText from an edited tree) | engine minus parse | server + JSON-RPC overhead |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...parts,
    '',
  ];
  process.stdout.write(out.join('\n') + '\n');
  if (lsp.failed.length > 0 || !memOk) {
    process.stderr.write(
      `targets missed: ${[...lsp.failed, memOk ? '' : `memory ${lsp.peak.toFixed(1)} MB`].filter(Boolean).join('; ')}\n`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
