/** @module test/helpers/fuzz-seed: the seed of a randomized test, from an environment variable when given (to replay a failure). */

/**
 * The integer in `variable` (default `FUZZ_SEED`) when set, else a fresh seed; the test prints it so a failing run
 * can be replayed. Throws when the variable holds something else.
 */
export function seedFromEnv(variable = 'FUZZ_SEED'): number {
  const text = process.env[variable];
  if (text !== undefined && text !== '') {
    const seed = Number(text);
    if (!Number.isSafeInteger(seed)) throw new Error(`${variable} must be an integer, got ${text}`);
    return seed;
  }
  return Date.now() % 2_147_483_647;
}
