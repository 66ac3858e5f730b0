// End-to-end tests in a real VS Code (1.139, from code-server) with the extension loaded from this
// repository (dist/client.js, dist/server.js): one session in a trusted multi-root workspace, one in
// Restricted Mode. Each scenario (test/e2e/suite/*.scenario.ts) is reported as a subtest.
// Skipped when the toolchain is missing (.ci/e2e.sh installs it) unless SANDBOX_GUARD_REQUIRE_E2E=1.
import { test } from 'node:test';
import { e2eSkipReason, runSession } from './session';

const skip = e2eSkipReason();

test('VS Code: trusted multi-root workspace', { skip, timeout: 600_000 }, (t) =>
  runSession(t, 'trusted', { fixture: 'trusted', open: 'e2e.code-workspace' }),
);

test('VS Code: untrusted workspace (Restricted Mode)', { skip, timeout: 300_000 }, (t) =>
  runSession(t, 'untrusted', { fixture: 'untrusted' }),
);
