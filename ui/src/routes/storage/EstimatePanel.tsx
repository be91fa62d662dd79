import { useState } from 'react'
import type { ObservedWorkload, TableFacts } from '../../api/types'
import { Checkbox } from '../../components/Checkbox'
import { TextField } from '../../components/TextField'
import { formatDollars, formatDuration } from '../../lib/format'
import { averageItemKb, capacityFor, HEADROOM, monthlyCost, observedRates, PRICES } from './estimate'

/** Used when the node has not counted its requests. */
const FALLBACK_RATES = { readsPerSecond: 5, writesPerSecond: 1 }

/** A non-negative decimal typed in a field, or undefined. */
function amount(text: string): number | undefined {
  const value = Number(text.trim())
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : undefined
}

const INVALID = 'Enter a number, 0 or more.'

/**
 * What capacity a workload needs and what each billing mode would cost a month, starting
 * from what the node has actually seen (when it counts) and the table's average item size.
 */
export function EstimatePanel({ observed, table }: { observed: ObservedWorkload | undefined; table: TableFacts }) {
  const [defaults] = useState(() => observedRates(observed))
  const start = defaults ?? FALLBACK_RATES
  const [reads, setReads] = useState(String(start.readsPerSecond))
  const [writes, setWrites] = useState(String(start.writesPerSecond))
  const [size, setSize] = useState(String(averageItemKb(table)))
  const [strong, setStrong] = useState(true)

  const readsPerSecond = amount(reads)
  const writesPerSecond = amount(writes)
  const itemSizeKb = amount(size)
  const workload =
    readsPerSecond !== undefined && writesPerSecond !== undefined && itemSizeKb !== undefined
      ? { readsPerSecond, writesPerSecond, itemSizeKb, stronglyConsistent: strong }
      : undefined
  const result = workload && { capacity: capacityFor(workload), cost: monthlyCost(workload) }

  return (
    <section className="card" aria-labelledby="estimate-title">
      <h2 id="estimate-title">Capacity and cost estimate</h2>
      <p className="hint">
        {defaults
          ? `Started from the average of the requests this node has sent in the last ${formatDuration(observed?.seconds ?? 0)}.`
          : 'Enter the load you expect.'}{' '}
        Item size starts from the table’s average.
      </p>
      <div className="field-row three">
        <TextField id="estimate-reads" label="Reads per second" inputMode="decimal" value={reads} onChange={setReads} error={readsPerSecond === undefined ? INVALID : undefined} />
        <TextField id="estimate-writes" label="Writes per second" inputMode="decimal" value={writes} onChange={setWrites} error={writesPerSecond === undefined ? INVALID : undefined} />
        <TextField id="estimate-size" label="Average item size (KB)" inputMode="decimal" value={size} onChange={setSize} error={itemSizeKb === undefined ? INVALID : undefined} />
      </div>
      <Checkbox
        id="estimate-strong"
        checked={strong}
        onChange={setStrong}
        hint="Strongroom reads with strong consistency. Eventually consistent reads cost half."
      >
        Strongly consistent reads
      </Checkbox>
      <div role="status" aria-live="polite">
        {result && (
          <dl className="facts">
            <dt>Provisioned capacity needed</dt>
            <dd>
              {result.capacity.readCapacity} read units, {result.capacity.writeCapacity} write units (with{' '}
              {Math.round((HEADROOM - 1) * 100)} % headroom)
            </dd>
            <dt>Provisioned, per month</dt>
            <dd>{formatDollars(result.cost.provisioned)}</dd>
            <dt>On demand, per month</dt>
            <dd>{formatDollars(result.cost.onDemand)}</dd>
            <dt>Cheaper</dt>
            <dd>{cheaper(result.cost)}</dd>
          </dl>
        )}
      </div>
      <p className="hint">
        us-east-1 list prices: provisioned ${PRICES.provisionedWcuHour} per write unit-hour and $
        {PRICES.provisionedRcuHour} per read unit-hour; on demand ${PRICES.onDemandMillionWrites} per million writes and $
        {PRICES.onDemandMillionReads} per million reads. Storage and backups are extra and the same in both modes.
      </p>
    </section>
  )
}

function cheaper(cost: { provisioned: number; onDemand: number }): string {
  if (cost.onDemand === cost.provisioned) return 'Either: they cost the same'
  return cost.onDemand < cost.provisioned ? 'On demand' : 'Provisioned'
}
