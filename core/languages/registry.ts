import type { GrammarId } from '../parsing';
import { analyzeCFamily } from './cfamily';
import { analyzeGo } from './go';
import { analyzeJava } from './java';
import { analyzeJavaScript } from './javascript';
import { analyzePython } from './python';
import { analyzeR } from './r';
import { analyzeRuby } from './ruby';
import { analyzeShell } from './shell';
import type { LanguageFacts, Tree } from './types';

/** What the policy needs from an analysis, so analyzers can skip work no rule can use. */
export interface AnalysisHints {
  /** Module roots named by restricted calls (`child_process`, `vm`); `*` when a rule starts with a glob. */
  callModules: ReadonlySet<string>;
}

export interface LanguageInfo {
  /** Canonical id, used in messages and CLI output (`python`, `javascript`, `typescript`, `go`...). */
  id: string;
  /** Names a rule's `languages` may use to target this language (llm-sandbox's names included). */
  names: string[];
  /** How restricted module names relate to imported ones. */
  modules: 'dotted' | 'path' | 'go' | 'exact';
  /** Line-comment syntax for suppression comments. */
  lineComment: string;
  grammar?: (languageId: string) => GrammarId;
  analyzeTree?: (tree: Tree, text: string, hints: AnalysisHints) => LanguageFacts;
  analyzeText?: (text: string) => LanguageFacts;
}

const LANGUAGES: LanguageInfo[] = [
  {
    id: 'python',
    names: ['python', 'py'],
    modules: 'dotted',
    lineComment: '#',
    grammar: () => 'python',
    analyzeTree: analyzePython,
  },
  {
    id: 'javascript',
    names: ['javascript', 'js', 'node', 'nodejs'],
    modules: 'path',
    lineComment: '//',
    grammar: () => 'javascript',
    analyzeTree: (tree, text, hints) => analyzeJavaScript(tree, text, { callModules: hints.callModules }),
  },
  {
    id: 'typescript',
    names: ['typescript', 'ts', 'javascript', 'js'],
    modules: 'path',
    lineComment: '//',
    grammar: (id) => (id === 'typescriptreact' || id === 'tsx' ? 'tsx' : 'typescript'),
    analyzeTree: (tree, text, hints) => analyzeJavaScript(tree, text, { callModules: hints.callModules }),
  },
  {
    id: 'go',
    names: ['go', 'golang'],
    modules: 'go',
    lineComment: '//',
    grammar: () => 'go',
    analyzeTree: analyzeGo,
  },
  {
    id: 'java',
    names: ['java'],
    modules: 'dotted',
    lineComment: '//',
    grammar: () => 'java',
    analyzeTree: analyzeJava,
  },
  {
    id: 'c',
    names: ['c', 'cpp'],
    modules: 'exact',
    lineComment: '//',
    grammar: () => 'c',
    analyzeTree: analyzeCFamily,
  },
  {
    id: 'cpp',
    names: ['cpp', 'c++', 'c'],
    modules: 'exact',
    lineComment: '//',
    grammar: () => 'cpp',
    analyzeTree: analyzeCFamily,
  },
  {
    id: 'ruby',
    names: ['ruby', 'rb'],
    modules: 'path',
    lineComment: '#',
    grammar: () => 'ruby',
    analyzeTree: analyzeRuby,
  },
  { id: 'r', names: ['r'], modules: 'exact', lineComment: '#', analyzeText: analyzeR },
  {
    id: 'shell',
    names: ['shell', 'shellscript', 'bash', 'sh'],
    modules: 'exact',
    lineComment: '#',
    grammar: () => 'bash',
    analyzeTree: analyzeShell,
  },
];

/** VS Code language ids and common spellings → our canonical language. */
const ALIASES: Record<string, string> = {
  python: 'python',
  py: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  go: 'go',
  golang: 'go',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  'c++': 'cpp',
  cuda: 'cpp',
  ruby: 'ruby',
  rb: 'ruby',
  r: 'r',
  shellscript: 'shell',
  shell: 'shell',
  bash: 'shell',
  sh: 'shell',
  zsh: 'shell',
};

const BY_ID = new Map(LANGUAGES.map((l) => [l.id, l]));

/** The language for a VS Code language id (or llm-sandbox name); undefined when we do not know it. */
export function languageInfo(languageId: string): LanguageInfo | undefined {
  const id = ALIASES[languageId.toLowerCase()];
  return id ? BY_ID.get(id) : undefined;
}

/** Every language id the engine understands, for the client's document selector. */
export const SUPPORTED_LANGUAGE_IDS = Object.keys(ALIASES);

const EXTENSIONS: Record<string, string> = {
  py: 'python',
  pyw: 'python',
  pyi: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  go: 'go',
  java: 'java',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  rb: 'ruby',
  r: 'r',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
};

/** A language id from a file name's extension, or from a shebang line; `plaintext` when unknown. */
export function languageFromPath(path: string, firstLine = ''): string {
  const ext = /\.([A-Za-z0-9+]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext && EXTENSIONS[ext]) return EXTENSIONS[ext];
  const shebang = shebangProgram(firstLine);
  if (/^python/.test(shebang)) return 'python';
  if (/^(node|deno|bun)$/.test(shebang)) return 'javascript';
  if (/^(ba|z|da|k)?sh$/.test(shebang)) return 'shellscript';
  if (/^ruby/.test(shebang)) return 'ruby';
  if (shebang === 'Rscript') return 'r';
  return 'plaintext';
}

/** `#!/usr/bin/env -S python3 -u` → `python3`; `#!/bin/bash` → `bash`. */
function shebangProgram(line: string): string {
  if (!line.startsWith('#!')) return '';
  const words = line.slice(2).trim().split(/\s+/);
  let prog = words.shift()?.split('/').pop() ?? '';
  if (prog === 'env') {
    while (words[0]?.startsWith('-')) words.shift();
    prog = words[0]?.split('/').pop() ?? '';
  }
  return prog;
}

/** The tree-sitter grammar a language id is parsed with, if any. */
export function grammarFor(languageId: string): GrammarId | undefined {
  return languageInfo(languageId)?.grammar?.(languageId.toLowerCase());
}
