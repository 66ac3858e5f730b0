import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PreparedRuns } from '../../client/lmTools/preparedRuns';

test('a prepared plan is found by its input, whatever the key order, and only once', () => {
  const p = new PreparedRuns<string>();
  p.add({ code: 'print(1)', language: 'python' }, 'plan');
  assert.equal(p.take({ code: 'print(2)', language: 'python' }), undefined);
  assert.equal(p.take({ language: 'python', code: 'print(1)' }), 'plan');
  assert.equal(p.take({ language: 'python', code: 'print(1)' }), undefined);
});

test('absent and null optionals do not change the key; other values do', () => {
  assert.equal(PreparedRuns.keyOf({ code: 'x', stdin: undefined }), PreparedRuns.keyOf({ code: 'x' }));
  assert.equal(PreparedRuns.keyOf({ code: 'x', stdin: null }), PreparedRuns.keyOf({ code: 'x' }));
  assert.notEqual(PreparedRuns.keyOf({ code: 'x', stdin: '' }), PreparedRuns.keyOf({ code: 'x' }));
  assert.notEqual(PreparedRuns.keyOf({ code: 'x', timeout_seconds: 1 }), PreparedRuns.keyOf({ code: 'x' }));
  assert.equal(PreparedRuns.keyOf(undefined), PreparedRuns.keyOf(null));
});

test('equal inputs queue; the preferred plan is taken first, else the oldest', () => {
  const p = new PreparedRuns<{ id: number; sha: string }>();
  const input = { filePath: '/w/a.py' };
  p.add(input, { id: 1, sha: 'old' });
  p.add(input, { id: 2, sha: 'new' });
  p.add(input, { id: 3, sha: 'new' });
  assert.equal(p.take(input, (v) => v.sha === 'new')?.id, 2);
  assert.equal(p.take(input, (v) => v.sha === 'none')?.id, 1);
  assert.equal(p.take(input)?.id, 3);
  assert.equal(p.size, 0);
});

test('plans expire, and at most maxEntries are kept (the oldest go first)', () => {
  let now = 1_000;
  const p = new PreparedRuns<number>(3, 60_000, () => now);
  p.add({ code: 'a' }, 1);
  now += 30_000;
  p.add({ code: 'b' }, 2);
  now += 31_000; // 'a' is now 61 s old
  assert.equal(p.take({ code: 'a' }), undefined);
  assert.equal(p.take({ code: 'b' }), 2);
  for (let i = 0; i < 5; i++) p.add({ code: String(i) }, i);
  assert.equal(p.size, 3);
  assert.equal(p.take({ code: '0' }), undefined);
  assert.equal(p.take({ code: '4' }), 4);
});
