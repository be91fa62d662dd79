import type { ObservedWorkload } from '../../api/types'

/**
 * DynamoDB list prices in us-east-1 (standard table class). Other regions cost somewhat more;
 * the comparison between the two billing modes holds.
 */
export const PRICES = {
  /** Provisioned: dollars per write capacity unit per hour. */
  provisionedWcuHour: 0.00065,
  /** Provisioned: dollars per read capacity unit per hour. */
  provisionedRcuHour: 0.00013,
  /** On demand: dollars per million write request units. */
  onDemandMillionWrites: 0.625,
  /** On demand: dollars per million read request units. */
  onDemandMillionReads: 0.125,
} as const

/** The month AWS bills by. */
export const HOURS_PER_MONTH = 730
/** Provisioned capacity is sized this much above the expected load, for bursts. */
export const HEADROOM = 1.2
/** One read unit covers a strongly consistent read of up to this many KB. */
const READ_UNIT_KB = 4
/** One write unit covers a write of up to this many KB. */
const WRITE_UNIT_KB = 1

export interface Workload {
  readsPerSecond: number
  writesPerSecond: number
  itemSizeKb: number
  /** Strongroom reads with strong consistency; eventually consistent reads cost half. */
  stronglyConsistent: boolean
}

/** Units one read costs: per started 4 KB, halved for eventually consistent reads. */
export function unitsPerRead(itemSizeKb: number, stronglyConsistent: boolean): number {
  const units = Math.max(1, Math.ceil(itemSizeKb / READ_UNIT_KB))
  return stronglyConsistent ? units : units / 2
}

/** Units one write costs: per started KB. */
export function unitsPerWrite(itemSizeKb: number): number {
  return Math.max(1, Math.ceil(itemSizeKb / WRITE_UNIT_KB))
}

/** Provisioned capacity for the workload, with headroom; DynamoDB's minimum is 1. */
export function capacityFor(w: Workload): { readCapacity: number; writeCapacity: number } {
  const reads = w.readsPerSecond * unitsPerRead(w.itemSizeKb, w.stronglyConsistent)
  const writes = w.writesPerSecond * unitsPerWrite(w.itemSizeKb)
  return {
    readCapacity: Math.max(1, Math.ceil(round(reads * HEADROOM, 6))),
    writeCapacity: Math.max(1, Math.ceil(round(writes * HEADROOM, 6))),
  }
}

/** Monthly cost in dollars (to the cent) of each billing mode for the workload. */
export function monthlyCost(w: Workload): { provisioned: number; onDemand: number } {
  const { readCapacity, writeCapacity } = capacityFor(w)
  const provisioned =
    (readCapacity * PRICES.provisionedRcuHour + writeCapacity * PRICES.provisionedWcuHour) *
    HOURS_PER_MONTH
  const secondsPerMonth = HOURS_PER_MONTH * 3600
  const readUnits = w.readsPerSecond * unitsPerRead(w.itemSizeKb, w.stronglyConsistent) * secondsPerMonth
  const writeUnits = w.writesPerSecond * unitsPerWrite(w.itemSizeKb) * secondsPerMonth
  const onDemand =
    (readUnits / 1e6) * PRICES.onDemandMillionReads + (writeUnits / 1e6) * PRICES.onDemandMillionWrites
  return { provisioned: round(provisioned, 2), onDemand: round(onDemand, 2) }
}

/**
 * The average request rates the node has seen since it started counting, as defaults for the
 * estimate (to two decimals); undefined when nothing was counted yet.
 */
export function observedRates(
  workload: ObservedWorkload | undefined,
): { readsPerSecond: number; writesPerSecond: number } | undefined {
  if (!workload || !(workload.seconds > 0)) return undefined
  return {
    readsPerSecond: round(workload.reads / workload.seconds, 2),
    writesPerSecond: round(workload.writes / workload.seconds, 2),
  }
}

/** Rounds away binary-fraction noise (0.1 + 0.2) before ceilings and for display. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

/**
 * The table's average item size in KB (to 0.1, rounded up), from DynamoDB's own counts; 1 KB
 * for an empty table.
 */
export function averageItemKb(table: { item_count: number; size_bytes: number }): number {
  if (table.item_count <= 0 || table.size_bytes <= 0) return 1
  return Math.ceil((table.size_bytes / table.item_count / 1024) * 10) / 10
}
