import { sep } from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { uriToPath } from './documentStore';

/** The workspace folders, for "which folder's policy file applies to this document" (multi-root). */
export class WorkspaceFolders {
  private folders: { uri: string; path: string }[] = [];

  set(folders: WorkspaceFolder[] | null | undefined): void {
    this.folders = [];
    this.change(folders ?? [], []);
  }

  change(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    const gone = new Set(removed.map((f) => f.uri));
    this.folders = this.folders.filter((f) => !gone.has(f.uri));
    for (const f of added) {
      const path = uriToPath(f.uri);
      if (path && !this.folders.some((g) => g.uri === f.uri)) this.folders.push({ uri: f.uri, path });
    }
    // Longest first, so nested folders win over the folders that contain them.
    this.folders.sort((a, b) => b.path.length - a.path.length);
  }

  /** The innermost folder containing `path`. */
  folderOf(path: string | undefined): string | undefined {
    if (!path) return undefined;
    return this.folders.find(
      (f) => path === f.path || path.startsWith(f.path.endsWith(sep) ? f.path : f.path + sep),
    )?.path;
  }
}
