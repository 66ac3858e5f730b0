import { fileURLToPath } from 'node:url';
import type {
  DidChangeTextDocumentParams,
  DidOpenTextDocumentParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { treeEditFor } from './treeEdit';

/** The last check of a document, reused by hover, code actions and repeated pulls of the same version. */
export interface CachedCheck<R> {
  /** Document version + policy generation + settings generation. */
  key: string;
  resultId: string;
  report: R;
}

export interface OpenDocument<R = unknown> {
  uri: string;
  /** File system path for `file:` URIs. */
  path?: string;
  doc: TextDocument;
  /**
   * The syntax tree of the last check, kept in step with every change through `Tree.edit`, so the next check
   * reparses incrementally. Owned here: replaced trees are deleted (they live in WASM memory).
   */
  tree?: Tree;
  /** The version last saved (or opened): `onSave` mode leaves diagnostics alone for other versions. */
  savedVersion: number;
  last?: CachedCheck<R>;
  /** The last full report sent for it, and the policy/settings generation it was made under. */
  lastFull?: { resultId: string; config: string };
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * Open documents with incremental sync. Unlike `TextDocuments`, it sees each content change before it is
 * applied, which is what `Tree.edit` needs.
 */
export class DocumentStore<R = unknown> {
  private readonly docs = new Map<string, OpenDocument<R>>();
  private readonly byPathMap = new Map<string, OpenDocument<R>>();
  private trash: Tree[] = [];
  private sweep?: NodeJS.Immediate;

  open(params: DidOpenTextDocumentParams): OpenDocument<R> {
    const { uri, languageId, version, text } = params.textDocument;
    this.close(uri);
    const entry: OpenDocument<R> = {
      uri,
      path: uriToPath(uri),
      doc: TextDocument.create(uri, languageId, version, text),
      savedVersion: version,
    };
    this.docs.set(uri, entry);
    if (entry.path) this.byPathMap.set(entry.path, entry);
    return entry;
  }

  change(params: DidChangeTextDocumentParams): OpenDocument<R> | undefined {
    const entry = this.docs.get(params.textDocument.uri);
    if (!entry) return undefined;
    for (const change of params.contentChanges) this.apply(entry, change, params.textDocument.version);
    entry.last = undefined;
    return entry;
  }

  private apply(entry: OpenDocument<R>, change: TextDocumentContentChangeEvent, version: number): void {
    if (!('range' in change) || !change.range) {
      this.dropTree(entry);
    } else if (entry.tree) {
      const start = entry.doc.offsetAt(change.range.start);
      const end = entry.doc.offsetAt(change.range.end);
      entry.tree.edit(treeEditFor(entry.doc, start, end, change.text));
    }
    entry.doc = TextDocument.update(entry.doc, [change], version);
  }

  saved(uri: string): OpenDocument<R> | undefined {
    const entry = this.docs.get(uri);
    if (entry) entry.savedVersion = entry.doc.version;
    return entry;
  }

  /** Takes the tree a check returned; the previous tree is freed unless the engine handed it back. */
  keepTree(entry: OpenDocument<R>, tree: Tree | undefined): void {
    if (entry.tree && entry.tree !== tree) this.free(entry.tree);
    entry.tree = tree;
  }

  dropTree(entry: OpenDocument<R>): void {
    if (entry.tree) this.free(entry.tree);
    entry.tree = undefined;
  }

  /**
   * Frees a tree after the current response has gone out: deleting a large tree takes milliseconds
   * (tree-sitter releases its subtrees one by one), which should not delay the diagnostics.
   */
  private free(tree: Tree): void {
    this.trash.push(tree);
    this.sweep ??= setImmediate(() => {
      this.sweep = undefined;
      const trees = this.trash.splice(0);
      for (const t of trees) t.delete();
    });
  }

  close(uri: string): void {
    const entry = this.docs.get(uri);
    if (!entry) return;
    this.dropTree(entry);
    this.docs.delete(uri);
    if (entry.path && this.byPathMap.get(entry.path) === entry) this.byPathMap.delete(entry.path);
  }

  get(uri: string): OpenDocument<R> | undefined {
    return this.docs.get(uri);
  }

  byPath(path: string): OpenDocument<R> | undefined {
    return this.byPathMap.get(path);
  }

  all(): OpenDocument<R>[] {
    return [...this.docs.values()];
  }

  /** Drops every cached check (policy or settings changed). */
  forgetChecks(): void {
    for (const entry of this.docs.values()) entry.last = undefined;
  }
}
