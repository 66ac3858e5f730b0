// The language-model tools and the MCP server definition provider as package.json contributes them: the
// input schemas VS Code shows the model are exactly the ones the tools validate against (mcp/editorTools.ts).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LM_CHECK_CODE_INPUT, LM_RUN_CODE_INPUT } from '../../mcp/editorTools';

interface ToolContribution {
  name: string;
  displayName: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  icon?: string;
  modelDescription: string;
  inputSchema: unknown;
}

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  contributes: {
    languageModelTools: ToolContribution[];
    mcpServerDefinitionProviders: { id: string; label: string }[];
  };
};

const tool = (name: string): ToolContribution => {
  const t = pkg.contributes.languageModelTools.find((x) => x.name === name);
  assert.ok(t, `${name} is contributed`);
  return t;
};

test('sandboxGuard_checkCode: schema, reference name and icon', () => {
  const t = tool('sandboxGuard_checkCode');
  assert.deepEqual(t.inputSchema, LM_CHECK_CODE_INPUT);
  assert.equal(t.displayName, 'Sandbox Guard: Check Code');
  assert.equal(t.toolReferenceName, 'sandboxGuardCheck');
  assert.equal(t.canBeReferencedInPrompt, true);
  assert.equal(t.icon, '$(shield)');
  assert.match(t.modelDescription, /without running it/);
});

test('sandboxGuard_runCode: schema, reference name and icon', () => {
  const t = tool('sandboxGuard_runCode');
  assert.deepEqual(t.inputSchema, LM_RUN_CODE_INPUT);
  assert.equal(t.toolReferenceName, 'sandboxGuardRun');
  assert.equal(t.icon, '$(play)');
  assert.match(t.modelDescription, /no network/);
  assert.match(t.modelDescription, /blocked code is not run/i);
});

test('only the two tools, with names VS Code accepts', () => {
  assert.deepEqual(
    pkg.contributes.languageModelTools.map((t) => t.name),
    ['sandboxGuard_checkCode', 'sandboxGuard_runCode'],
  );
  for (const t of pkg.contributes.languageModelTools) {
    // VS Code's tool name rule, and reference names are single words.
    assert.match(t.name, /^[\w-]+$/);
    assert.match(t.toolReferenceName ?? '', /^[\w-]+$/);
  }
});

test('the MCP server definition provider, and an engine that has the APIs', () => {
  assert.deepEqual(pkg.contributes.mcpServerDefinitionProviders, [
    { id: 'sandboxGuard.mcpServer', label: 'Sandbox Guard' },
  ]);
  // lm.registerTool is final in 1.95, lm.registerMcpServerDefinitionProvider in 1.101.
  assert.equal(pkg.engines.vscode, '^1.101.0');
  // vsce refuses a package whose @types/vscode is newer than the engine.
  const types = pkg.devDependencies['@types/vscode'].replace(/^[\^~]/, '');
  const [major, minor] = types.split('.').map(Number);
  assert.ok(major === 1 && minor <= 101, `@types/vscode ${types} is not newer than the engine`);
  assert.ok(minor >= 101, `@types/vscode ${types} declares the APIs the extension uses`);
});
