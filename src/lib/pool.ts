/**
 * Runs `work` over `items` with at most `limit` in flight, results in input order. Outbound
 * calls from a Worker are bounded (6 simultaneous connections), so fan-out goes through this.
 */
export async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}
