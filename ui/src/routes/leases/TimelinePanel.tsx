import { useCallback, useState } from 'react'
import { leaseTimeline, type Timeline } from '../../api/leases'
import { useServices } from '../../app/services'
import { Equivalent } from '../../components/Equivalent'
import { ErrorMessage } from '../../components/Messages'
import { SelectField } from '../../components/SelectField'
import { formatCount } from '../../lib/format'
import { useLoad } from '../../lib/useLoad'
import { timelineCall } from './calls'
import { barChoices, barLabel, clockLabel, fittingBars, secondsArg, WINDOWS, type WindowValue } from './time'

interface TimelinePanelProps {
  /** The token's capabilities are known: nothing is fetched before. */
  ready: boolean
  denied: string | undefined
  /** Changes when the page refreshes (button, timer, after an action). */
  tick: number
  /** A bar was chosen: list the leases expiring before its end. */
  onExpiringWithin(duration: string): void
}

/** The expiring-soon chart: how many revocable leases expire in each slice of the window. */
export function TimelinePanel({ ready, denied, tick, onExpiringWithin }: TimelinePanelProps) {
  const { client } = useServices()
  const [span, setSpan] = useState<WindowValue>('24h')
  const [bars, setBars] = useState(24)
  const windowSeconds = WINDOWS.find((w) => w.value === span)?.seconds ?? 86400
  // `tick` is a dependency so that each refresh loads again.
  const { value: timeline, message: error } = useLoad(
    useCallback(
      () => (!ready || denied ? Promise.resolve(undefined) : leaseTimeline(client, span, bars)),
      [client, span, bars, tick, ready, denied],
    ),
  )

  const chooseWindow = (value: string) => {
    const next = WINDOWS.find((w) => w.value === value)
    if (!next) return
    setSpan(next.value)
    setBars(fittingBars(next.seconds, bars))
  }

  return (
    <section className="card" aria-labelledby="lease-timeline-title">
      <h2 id="lease-timeline-title">Expiring soon</h2>
      {denied ? (
        <p className="hint">{denied} The chart cannot be shown.</p>
      ) : (
        <>
          <div className="field-row">
            <SelectField id="lease-timeline-window" label="Window" value={span} options={WINDOWS} onChange={chooseWindow} />
            <SelectField
              id="lease-timeline-bars"
              label="Bars"
              value={String(bars)}
              options={barChoices(windowSeconds).map((n) => ({ value: String(n), label: String(n) }))}
              onChange={(v) => setBars(Number(v))}
            />
          </div>
          <ErrorMessage message={error} />
          {timeline && <Chart timeline={timeline} windowSeconds={windowSeconds} onExpiringWithin={onExpiringWithin} />}
          <Equivalent call={timelineCall(span, bars)} />
        </>
      )}
    </section>
  )
}

function Chart({ timeline, windowSeconds, onExpiringWithin }: { timeline: Timeline; windowSeconds: number; onExpiringWithin(d: string): void }) {
  const start = Date.parse(timeline.start_time)
  const step = timeline.bucket_seconds
  const highest = Math.max(1, ...timeline.counts)
  const edge = (i: number) => new Date(start + i * step * 1000)
  const withSeconds = step % 60 !== 0
  const withDay = windowSeconds >= 86400
  return (
    <>
      <p className="hint" id="lease-timeline-hint">
        Each bar counts the revocable leases that expire in its slice. Choose a bar to list the leases expiring before its end.
      </p>
      <div className="lease-timeline-frame">
        <ol className="lease-timeline" aria-label="Leases expiring per slice" aria-describedby="lease-timeline-hint">
          {timeline.counts.map((count, i) => {
            const label = barLabel(count, edge(i), edge(i + 1), step, windowSeconds)
            return (
              <li key={i}>
                <button
                  type="button"
                  className="lease-bar"
                  aria-label={label}
                  title={label}
                  onClick={() => onExpiringWithin(secondsArg((i + 1) * step))}
                >
                  <span className="lease-bar-fill" style={{ height: count === 0 ? 0 : `max(2px, ${(100 * count) / highest}%)` }} />
                </button>
              </li>
            )
          })}
        </ol>
        {timeline.counts.every((count) => count === 0) && <p className="lease-timeline-empty">No lease expires in this window.</p>}
      </div>
      <div className="lease-timeline-axis" aria-hidden="true">
        <span>{clockLabel(edge(0), withSeconds, withDay)}</span>
        <span>{clockLabel(edge(timeline.counts.length), withSeconds, withDay)}</span>
      </div>
      <p>
        Overdue (expired, waiting to be revoked): <strong>{formatCount(timeline.overdue)}</strong>. Expiring after the window:{' '}
        <strong>{formatCount(timeline.later)}</strong>. Highest bar: {formatCount(Math.max(0, ...timeline.counts))}.
      </p>
    </>
  )
}
