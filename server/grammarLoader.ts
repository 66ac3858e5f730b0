import { languageInfo } from '../core/languages/registry';
import type { GrammarId, ParserHost } from '../core/parsing';
import { loadParsers } from '../runtime/grammars';

/**
 * Loads tree-sitter grammars on first use, one at a time. Lazily, because each grammar costs memory for
 * good (its tables live in the WASM heap, which never shrinks; C++ and Ruby are several MB each) and most
 * sessions use one or two languages. One at a time, because web-tree-sitter fails intermittently ("bad
 * export type for tree_sitter_bash_external_scanner_create") when grammars load concurrently.
 */
export class GrammarLoader {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly loads = new Map<GrammarId, Promise<ParserHost | undefined>>();
  private host?: ParserHost;

  constructor(private readonly onError: (grammar: GrammarId, e: unknown) => void) {}

  /** The host, once at least one grammar has loaded (it parses with every grammar loaded so far). */
  get parsers(): ParserHost | undefined {
    return this.host;
  }

  /** The grammar a language id needs, if any. */
  static grammarFor(languageId: string): GrammarId | undefined {
    return languageInfo(languageId)?.grammar?.(languageId.toLowerCase());
  }

  /** Resolves once the grammar for `languageId` is loaded (or failed to load, or none is needed). */
  ensure(languageId: string): Promise<unknown> {
    const grammar = GrammarLoader.grammarFor(languageId);
    if (!grammar) return Promise.resolve();
    let load = this.loads.get(grammar);
    if (!load) {
      load = this.queue.then(
        async () => {
          try {
            this.host = await loadParsers([grammar]);
            return this.host;
          } catch (e) {
            this.onError(grammar, e);
            return undefined;
          }
        },
        () => undefined,
      );
      this.queue = load;
      this.loads.set(grammar, load);
    }
    return load;
  }
}
