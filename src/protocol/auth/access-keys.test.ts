/** @module protocol/auth/access-keys.test: the `--auth FILE` format: `ACCESS_KEY_ID SECRET` lines, comments, clear errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessKeysError, parseAccessKeys } from './access-keys.ts';

function assertLineError(text: string, line: number, message: RegExp): void {
  assert.throws(
    () => parseAccessKeys(text),
    (error: unknown) => {
      assert.ok(error instanceof AccessKeysError);
      assert.equal(error.line, line);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('parseAccessKeys', () => {
  it('reads one pair per line, skipping blank lines and # comments, with spaces or tabs and CRLF', () => {
    const keys = parseAccessKeys(
      '# local keys\r\n\r\nAKIAIOSFODNN7EXAMPLE   wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n  test\ttest  \n# end\n',
    );
    assert.deepEqual([...keys], [
      ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['test', 'test'],
    ]);
  });

  it('names the line of a malformed entry', () => {
    assertLineError('ok secret\nonly-one-field\n', 2, /line 2: expected "ACCESS_KEY_ID SECRET_ACCESS_KEY", got 1 field/);
    assertLineError('a b c\n', 1, /got 3 field/);
    assertLineError('bad/key secret\n', 1, /access key id must be/);
    assertLineError('k s1\nk s2\n', 2, /appears twice/);
  });

  it('refuses a file without any key, since no request could pass', () => {
    assertLineError('# nothing here\n\n', 0, /no "ACCESS_KEY_ID SECRET_ACCESS_KEY" pair/);
  });
});
