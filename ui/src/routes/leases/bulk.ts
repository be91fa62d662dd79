import { messageOf } from '../../lib/format'

/** How many revocations run at once: enough to be quick, few enough not to flood the engine. */
export const BULK_CONCURRENCY = 8

export interface BulkProgress {
  total: number
  succeeded: number
  failed: { id: string; error: string }[]
}

/**
 * Runs `task` for every id with at most `limit` in flight, reporting progress after each one
 * settles. A failure does not stop the others: it is collected with its message.
 */
export async function runBounded(
  ids: readonly string[],
  limit: number,
  task: (id: string) => Promise<unknown>,
  onProgress?: (progress: BulkProgress) => void,
): Promise<BulkProgress> {
  const progress: BulkProgress = { total: ids.length, succeeded: 0, failed: [] }
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string
      try {
        await task(id)
        progress.succeeded += 1
      } catch (e) {
        progress.failed.push({ id, error: messageOf(e) })
      }
      onProgress?.({ ...progress, failed: [...progress.failed] })
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, ids.length)) }, worker))
  // Failures in the order of the ids, not of completion.
  const order = new Map(ids.map((id, i) => [id, i]))
  progress.failed.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
  return progress
}
