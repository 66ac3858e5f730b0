/**
 * Realistic generated source for benchmarks: ordinary code with imports, classes, calls, strings and comments,
 * plus the occasional restricted call, so the checkers have real work (findings) to do.
 */
export function pythonSource(lines: number, seed = 0): string {
  const out = [
    '"""Generated module for benchmarks."""',
    'import os',
    'import json',
    'import re',
    'from collections import defaultdict',
    'import subprocess',
    '',
  ];
  let i = 0;
  while (out.length < lines) {
    const n = seed * 100000 + i++;
    out.push(
      `class Handler${n}:`,
      `    """Handles item ${n}."""`,
      `    PATTERN = re.compile(r"item-(\\d+)")  # compiled once`,
      '',
      `    def process(self, path, data):`,
      `        full = os.path.join(path, "out-${n}.json")`,
      `        counts = defaultdict(int)`,
      `        for key, value in data.items():`,
      `            if self.PATTERN.match(key):`,
      `                counts[key] += len(str(value))`,
      `        with open(full, "w") as fh:`,
      `            json.dump(counts, fh)`,
      n % 7 === 0 ? `        subprocess.run(["echo", full], check=True)` : `        return counts`,
      '',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

export function javascriptSource(lines: number, seed = 0): string {
  const out = [
    '// Generated module for benchmarks.',
    "const fs = require('fs');",
    "const path = require('path');",
    "const { execSync } = require('child_process');",
    '',
  ];
  let i = 0;
  while (out.length < lines) {
    const n = seed * 100000 + i++;
    out.push(
      `class Handler${n} {`,
      `  /** Handles item ${n}. */`,
      `  process(dir, data) {`,
      `    const full = path.join(dir, \`out-${n}.json\`); // where it goes`,
      `    const counts = {};`,
      `    for (const [key, value] of Object.entries(data)) {`,
      `      if (/item-(\\d+)/.exec(key)) counts[key] = (counts[key] || 0) + String(value).length;`,
      `    }`,
      `    fs.writeFileSync(full, JSON.stringify(counts));`,
      n % 7 === 0 ? `    execSync('echo ' + full);` : `    return counts;`,
      `  }`,
      `}`,
      '',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}
