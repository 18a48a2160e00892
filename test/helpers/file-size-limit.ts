/** @module test/helpers/file-size-limit: run a command as if its disk were nearly full. */

/**
 * The command and arguments that run `command args` under `ulimit -f limitKiB` (bash, 1 KiB blocks): a write past
 * that size fails with EFBIG (Node ignores SIGXFSZ), as on a full disk.
 */
export function withFileSizeLimit(limitKiB: number, command: string, args: readonly string[]): [string, string[]] {
  return ['bash', ['-c', `ulimit -f ${limitKiB} && exec "$@"`, 'bash', command, ...args]];
}
