/**
 * @module protocol/auth/access-keys: the access key id / secret pairs a server with `--auth FILE` accepts, read from
 * that file's text.
 *
 * Format (docs/auth.md): one pair per line, `ACCESS_KEY_ID SECRET_ACCESS_KEY`, separated by spaces or tabs. Blank
 * lines and lines starting with `#` are ignored. Example:
 * ```
 * # local development
 * AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
 * test test
 * ```
 */

/** A bad auth file; `line` is 1-based (0 when the file as a whole is wrong). */
export class AccessKeysError extends Error {
  override readonly name = 'AccessKeysError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Access key id → secret access key. */
export type AccessKeys = ReadonlyMap<string, string>;

/** Access key ids as AWS issues them are upper-case alphanumerics; local tools also use `test` and the like. */
const ACCESS_KEY_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_SECRET_LENGTH = 1024;

/**
 * Parses an auth file's text.
 * @throws AccessKeysError for a line that is not exactly two fields, an access key id outside `[A-Za-z0-9_.-]{1,128}`,
 *   a repeated access key id, or a file without any pair (no request could ever pass).
 */
export function parseAccessKeys(text: string): AccessKeys {
  const keys = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[ \t]+/);
    const lineNumber = i + 1;
    if (fields.length !== 2) {
      throw new AccessKeysError(lineNumber, `line ${lineNumber}: expected "ACCESS_KEY_ID SECRET_ACCESS_KEY", got ${fields.length} field(s).`);
    }
    const [accessKeyId, secret] = fields as [string, string];
    if (!ACCESS_KEY_ID.test(accessKeyId)) {
      throw new AccessKeysError(lineNumber, `line ${lineNumber}: the access key id must be 1 to 128 of A-Z a-z 0-9 _ . - .`);
    }
    if (secret.length > MAX_SECRET_LENGTH) {
      throw new AccessKeysError(lineNumber, `line ${lineNumber}: the secret is longer than ${MAX_SECRET_LENGTH} characters.`);
    }
    if (keys.has(accessKeyId)) {
      throw new AccessKeysError(lineNumber, `line ${lineNumber}: access key id ${accessKeyId} appears twice.`);
    }
    keys.set(accessKeyId, secret);
  }
  if (keys.size === 0) throw new AccessKeysError(0, 'the file lists no "ACCESS_KEY_ID SECRET_ACCESS_KEY" pair.');
  return keys;
}
