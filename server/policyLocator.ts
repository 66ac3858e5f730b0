import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { findNodeAtLocation, findNodeAtOffset, parseTree, type Node } from 'jsonc-parser';
import type { Range } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RuleOrigin } from '../core/policy';
import type { PolicyTextSource } from './policyStore';

export interface EntryLocation {
  path: string;
  uri: string;
  /** The entry's JSON object. */
  range: Range;
  /** "recommended.json line 12" / "sandbox-guard.json line 4": for hovers. */
  label: string;
}

interface ParsedFile {
  doc: TextDocument;
  root: Node | undefined;
}

/**
 * Turns a rule's origin into a place in a file: the workspace policy file at the entry's offset, or the
 * bundled preset JSON at the entry's JSON path. Parsed files are cached until the policies change.
 */
export class PolicyLocator {
  private readonly files = new Map<string, ParsedFile | undefined>();
  /** Every diagnostic of every check links its policy entry: the same few origins, located once. */
  private readonly located = new Map<string, EntryLocation | undefined>();

  constructor(
    private readonly readText: PolicyTextSource,
    private readonly presetPath: (name: string) => string | undefined,
  ) {}

  clear(): void {
    this.files.clear();
    this.located.clear();
  }

  locate(origin: RuleOrigin): EntryLocation | undefined {
    const key = `${origin.source}\u0000${origin.offset ?? ''}\u0000${origin.path ? JSON.stringify(origin.path) : ''}`;
    if (this.located.has(key)) return this.located.get(key);
    const at = this.find(origin);
    this.located.set(key, at);
    return at;
  }

  private find(origin: RuleOrigin): EntryLocation | undefined {
    const preset = /^preset:(.+)$/.exec(origin.source)?.[1];
    const path = preset !== undefined ? this.presetPath(preset) : origin.source;
    if (!path) return undefined;
    const file = this.parsed(path, preset !== undefined);
    if (!file) return undefined;
    let node: Node | undefined;
    if (origin.offset !== undefined && preset === undefined) {
      node = file.root ? findNodeAtOffset(file.root, origin.offset) : undefined;
      while (node && node.offset !== origin.offset && node.parent) node = node.parent;
    } else if (origin.path && file.root) {
      node = findNodeAtLocation(file.root, origin.path);
    }
    const start = node?.offset ?? origin.offset ?? 0;
    const end = node ? node.offset + node.length : start;
    const range = { start: file.doc.positionAt(start), end: file.doc.positionAt(end) };
    const name = path.replace(/^.*[\\/]/, '');
    return {
      path,
      uri: pathToFileURL(path).toString(),
      range,
      label: `${name} line ${range.start.line + 1}`,
    };
  }

  private parsed(path: string, bundled: boolean): ParsedFile | undefined {
    if (this.files.has(path)) return this.files.get(path);
    let text: string | undefined;
    if (bundled) {
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        text = undefined;
      }
    } else {
      text = this.readText(path);
    }
    const parsed =
      text === undefined
        ? undefined
        : { doc: TextDocument.create('', 'json', 0, text), root: parseTree(text) };
    this.files.set(path, parsed);
    return parsed;
  }
}
