import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { connectDocker } from '../../../sandbox/dockerClient';
import { LABELS } from '../../../sandbox/hardening';
import { skip } from './harness';

/** The image the test profile's user settings point Python at (written by test/e2e/vscode.test.ts). */
export function pythonImage(): string {
  const images = vscode.workspace
    .getConfiguration('sandboxGuard')
    .inspect<Record<string, string>>('run.images');
  return images?.globalValue?.python ?? 'python:3.12-slim';
}

/**
 * Skips the scenario when no Docker engine answers or the offline test image is missing, unless
 * SANDBOX_GUARD_REQUIRE_DOCKER=1 (CI), where that is a failure.
 */
export async function requireDocker(): Promise<void> {
  const image = pythonImage();
  let why: string | undefined;
  try {
    const { docker } = connectDocker();
    await docker.ping();
    await docker.getImage(image).inspect();
  } catch (e) {
    why = `Docker or the test image ${image} is not available (${e instanceof Error ? e.message : String(e)}); run .ci/docker.sh`;
  }
  if (!why) return;
  if (process.env.SANDBOX_GUARD_REQUIRE_DOCKER === '1') throw new Error(why);
  skip(why);
}

/**
 * Sandbox Guard containers started by VS Code that exist right now (running or not). Other suites may use
 * the same engine at the same time, so only the extension's own (client label `vscode`) count.
 */
export async function sandboxContainers(): Promise<string[]> {
  const list = await connectDocker().docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.managed}=1`, `${LABELS.client}=vscode`] },
  });
  return list.map((c) => c.Id);
}

/** Resolves if the container exists; rejects with the engine's "no such container" otherwise. */
export async function containerExists(id: string): Promise<void> {
  await connectDocker().docker.getContainer(id).inspect();
}

export interface AuditLine {
  verdict: string;
  sha256: string;
  file?: string;
  exitCode: number | null;
  reason: string;
  image: string;
}

export function auditLines(): AuditLine[] {
  const path = process.env.SANDBOX_GUARD_AUDIT_LOG;
  if (!path) return [];
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditLine);
  } catch {
    return [];
  }
}
