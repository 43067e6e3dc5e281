/**
 * Runs `run` for every item with at most `limit` running at a time, and resolves once all
 * are done with what each returned, in the items' order. A selection of ten thousand
 * downloads made ten thousand requests at once: the browser ran out of sockets
 * (net::ERR_INSUFFICIENT_RESOURCES) and most of them failed.
 */
export async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await run(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
