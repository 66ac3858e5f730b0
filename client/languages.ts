/** VS Code language ids the policy engine analyses. */
export const CHECKED_LANGUAGES = [
  'python',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'go',
  'java',
  'c',
  'cpp',
  'ruby',
  'r',
  'shellscript',
] as const;

/** Names a workspace policy file may have (also what the JSON schema is attached to). */
export const POLICY_FILE_GLOBS = ['**/sandbox-guard.json', '**/*.sandbox-guard.json'];

/** Documents the language server sees: code in checked languages, and policy files (to report their errors). */
export function documentSelector(
  extraPolicyFiles: readonly string[] = [],
): { scheme: string; language: string; pattern?: string }[] {
  const selector: { scheme: string; language: string; pattern?: string }[] = [];
  for (const language of CHECKED_LANGUAGES) {
    selector.push({ scheme: 'file', language }, { scheme: 'untitled', language });
  }
  for (const pattern of [...POLICY_FILE_GLOBS, ...extraPolicyFiles]) {
    selector.push(
      { scheme: 'file', language: 'json', pattern },
      { scheme: 'file', language: 'jsonc', pattern },
    );
  }
  return selector;
}
