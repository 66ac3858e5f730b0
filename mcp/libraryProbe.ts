// execute_code's `libraries`: the sandbox has no network, so nothing can be installed. Instead the configured
// image is asked, in the same hardened sandbox, whether it already provides each one (python: an installed
// distribution or an importable module of that name; javascript/typescript: `require.resolve` from where the
// code runs). Other languages refuse any non-empty list. The probe program is ours, built only from names
// that passed a strict pattern, so it is run without the caller's policy (it would flag its own imports).

export type ProbeLanguage = 'python' | 'javascript' | 'typescript';

export interface LibrarySpec {
  /** As the caller wrote it. */
  spec: string;
  /** The package name alone (no version, no extras). */
  name: string;
  /** A version constraint was given (it is not checked). */
  versioned: boolean;
}

const PYTHON_SPEC =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?)\s*(\[[A-Za-z0-9._,\s-]*\])?\s*((?:[<>=!~]=?|===)\s*[A-Za-z0-9.*+!_-]+(?:\s*,\s*(?:[<>=!~]=?|===)\s*[A-Za-z0-9.*+!_-]+)*)?$/;
const NPM_SPEC =
  /^((?:@[a-z0-9-~][a-z0-9-._~]{0,100}\/)?[a-z0-9-~][a-z0-9-._~]{0,200})(?:@([A-Za-z0-9.^~<>=*|+ -]{1,64}))?$/;

export function probeLanguage(runtimeKey: string): ProbeLanguage | undefined {
  return runtimeKey === 'python' || runtimeKey === 'javascript' || runtimeKey === 'typescript'
    ? runtimeKey
    : undefined;
}

/** Parses each entry; returns the ones that are not a plain package name (with optional version) as `bad`. */
export function parseLibraries(
  specs: readonly string[],
  lang: ProbeLanguage,
): { ok: LibrarySpec[]; bad: string[] } {
  const ok: LibrarySpec[] = [];
  const bad: string[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    const m = (lang === 'python' ? PYTHON_SPEC : NPM_SPEC).exec(spec);
    if (!m) bad.push(raw);
    else ok.push({ spec, name: m[1], versioned: Boolean(lang === 'python' ? m[3] : m[2]) });
  }
  return { ok, bad };
}

/** The probe program: prints `OK name` or `MISSING name` per library. */
export function probeProgram(lang: ProbeLanguage, names: readonly string[]): string {
  const list = JSON.stringify(names);
  if (lang === 'python') {
    return [
      'import sys, os, importlib.util',
      `names = ${list}`,
      "norm = lambda s: s.lower().replace('-', '_').replace('.', '_')",
      'dists = set()',
      'for d in sys.path:',
      '    try:',
      "        for e in os.listdir(d or '.'):",
      "            if e.endswith('.dist-info') or e.endswith('.egg-info'):",
      "                dists.add(norm(e.rsplit('.', 1)[0].split('-')[0]))",
      '    except OSError:',
      '        pass',
      'for n in names:',
      '    ok = norm(n) in dists',
      '    if not ok:',
      '        try:',
      "            ok = importlib.util.find_spec(n.replace('-', '_')) is not None",
      '        except Exception:',
      '            ok = False',
      "    print(('OK ' if ok else 'MISSING ') + n)",
      '',
    ].join('\n');
  }
  return [
    `const names = ${list};`,
    'for (const n of names) {',
    '  let ok = false;',
    '  try {',
    '    require.resolve(n);',
    '    ok = true;',
    '  } catch {',
    '    ok = false;',
    '  }',
    "  console.log((ok ? 'OK ' : 'MISSING ') + n);",
    '}',
    '',
  ].join('\n');
}

/** Reads the probe's output; names without a line count as missing. */
export function parseProbeOutput(
  stdout: string,
  names: readonly string[],
): { present: string[]; missing: string[] } {
  const ok = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /^OK (.+)$/.exec(line.trim());
    if (m) ok.add(m[1]);
  }
  return { present: names.filter((n) => ok.has(n)), missing: names.filter((n) => !ok.has(n)) };
}
