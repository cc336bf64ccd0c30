/**
 * Waits for two steps that run concurrently and reports failures in a fixed order: the first step's
 * failure wins over the second's whatever finished first (so a denial is never masked by a storage
 * error, say). When only the first fails, `release` frees what the second produced (e.g. closes a stream).
 */
export async function bothInOrder<A, B>(first: Promise<A>, second: Promise<B>, release: (b: B) => void = () => undefined): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') {
    if (b.status === 'fulfilled') release(b.value);
    throw a.reason;
  }
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
