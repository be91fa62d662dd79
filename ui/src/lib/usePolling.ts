import { useEffect, useRef } from 'react'

/**
 * Calls `tick` every `intervalMs` while `enabled`: the seal status changes on its own
 * (auto-unseal retries, another operator's shares), so screens that show it poll.
 */
export function usePolling(tick: () => void, intervalMs: number, enabled: boolean): void {
  const latest = useRef(tick)
  latest.current = tick
  useEffect(() => {
    if (!enabled) return undefined
    const id = window.setInterval(() => latest.current(), intervalMs)
    return () => window.clearInterval(id)
  }, [intervalMs, enabled])
}
