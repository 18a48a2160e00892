/** @module test/helpers/fuzz-seed: the seed of a property-based test, from `FUZZ_SEED` when given (to replay a failure). */

/** `FUZZ_SEED` when set (an integer), else a fresh seed; the test prints it so a failing run can be replayed. */
export function seedFromEnv(): number {
  const text = process.env.FUZZ_SEED;
  if (text !== undefined && text !== '') {
    const seed = Number(text);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${text}`);
    return seed;
  }
  return Date.now() % 2_147_483_647;
}
