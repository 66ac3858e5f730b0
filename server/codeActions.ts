import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { isFindingData } from './diagnostics';
import { DIAGNOSTIC_SOURCE, OPEN_POLICY_ENTRY_COMMAND, type PolicyEntryRef } from './protocol';
import { regionOracle } from './regionOracle';
import { ignoreFileEdit, ignoreLineEdit, type TextInsertion } from './suppressionEdit';

function workspaceEdit(doc: TextDocument, ins: TextInsertion, versioned: boolean): WorkspaceEdit {
  const edit: TextEdit = {
    range: { start: doc.positionAt(ins.start), end: doc.positionAt(ins.end) },
    newText: ins.text,
  };
  return versioned
    ? { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: [edit] }] }
    : { changes: { [doc.uri]: [edit] } };
}

/**
 * Quick fixes for Sandbox Guard diagnostics: ignore the rule on this line, ignore it in this file, and open
 * the policy entry that defines it. Suppressions only hide findings; the run gate is unchanged.
 */
export function codeActionsFor(
  doc: TextDocument,
  tree: Tree | undefined,
  diagnostics: Diagnostic[],
  versionedEdits: boolean,
): CodeAction[] {
  const text = doc.getText();
  const regionAt = regionOracle(tree, text);
  const actions: CodeAction[] = [];
  const fileDone = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || !isFindingData(d.data)) continue;
    const { ruleId, origin } = d.data;
    const line = ignoreLineEdit(text, doc.languageId, doc.offsetAt(d.range.start), ruleId, regionAt);
    if (line) {
      actions.push({
        title: `Ignore ${ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: workspaceEdit(doc, line, versionedEdits),
      });
    }
    if (!fileDone.has(ruleId)) {
      fileDone.add(ruleId);
      const file = ignoreFileEdit(text, doc.languageId, ruleId, regionAt);
      if (file) {
        actions.push({
          title: `Ignore ${ruleId} for this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: workspaceEdit(doc, file, versionedEdits),
        });
      }
    }
    const ref: PolicyEntryRef = { source: origin.source, offset: origin.offset, path: origin.path };
    actions.push({
      title: `Open policy entry for ${ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: {
        title: `Open policy entry for ${ruleId}`,
        command: OPEN_POLICY_ENTRY_COMMAND,
        arguments: [ref],
      },
    });
  }
  return actions;
}
