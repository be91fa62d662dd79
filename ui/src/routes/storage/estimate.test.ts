import { describe, expect, it } from 'vitest'
import { averageItemKb, capacityFor, monthlyCost, observedRates, unitsPerRead, unitsPerWrite } from './estimate'

describe('capacity units', () => {
  it('rounds item sizes up per unit', () => {
    expect(unitsPerRead(0.5, true)).toBe(1)
    expect(unitsPerRead(4, true)).toBe(1)
    expect(unitsPerRead(4.1, true)).toBe(2)
    expect(unitsPerRead(9, false)).toBe(1.5)
    expect(unitsPerRead(0, false)).toBe(0.5)
    expect(unitsPerWrite(0.2)).toBe(1)
    expect(unitsPerWrite(1)).toBe(1)
    expect(unitsPerWrite(2.5)).toBe(3)
  })

  it('adds 20 % headroom and never goes below 1', () => {
    expect(capacityFor({ readsPerSecond: 10, writesPerSecond: 5, itemSizeKb: 1, stronglyConsistent: true })).toEqual({
      readCapacity: 12,
      writeCapacity: 6,
    })
    expect(capacityFor({ readsPerSecond: 10, writesPerSecond: 5, itemSizeKb: 6, stronglyConsistent: false })).toEqual({
      readCapacity: 12,
      writeCapacity: 36,
    })
    expect(capacityFor({ readsPerSecond: 0, writesPerSecond: 0, itemSizeKb: 1, stronglyConsistent: true })).toEqual({
      readCapacity: 1,
      writeCapacity: 1,
    })
  })
})

describe('monthlyCost', () => {
  it('compares on demand with provisioned at us-east-1 prices', () => {
    // Provisioned: (12 × 0.00013 + 6 × 0.00065) × 730 = 3.9858.
    // On demand: 10 reads/s × 2,628,000 s = 26.28 M × $0.125 = 3.285; 5 writes/s = 13.14 M × $0.625 = 8.2125.
    expect(monthlyCost({ readsPerSecond: 10, writesPerSecond: 5, itemSizeKb: 1, stronglyConsistent: true })).toEqual({
      provisioned: 3.99,
      onDemand: 11.5,
    })
  })

  it('makes on demand cheaper for an idle table', () => {
    // Provisioned at the 1/1 minimum: (0.00013 + 0.00065) × 730 = 0.5694.
    expect(monthlyCost({ readsPerSecond: 0.01, writesPerSecond: 0.01, itemSizeKb: 1, stronglyConsistent: true })).toEqual({
      provisioned: 0.57,
      onDemand: 0.02,
    })
  })
})

describe('observedRates', () => {
  it('averages the counts over the time the node has been counting', () => {
    expect(observedRates({ reads: 7200, writes: 360, seconds: 3600 })).toEqual({
      readsPerSecond: 2,
      writesPerSecond: 0.1,
    })
    expect(observedRates(undefined)).toBeUndefined()
    expect(observedRates({ reads: 1, writes: 1, seconds: 0 })).toBeUndefined()
  })
})

describe('averageItemKb', () => {
  it('divides the table size by its items', () => {
    expect(averageItemKb({ item_count: 100, size_bytes: 153600 })).toBe(1.5)
    expect(averageItemKb({ item_count: 3, size_bytes: 1000 })).toBe(0.4)
    expect(averageItemKb({ item_count: 0, size_bytes: 0 })).toBe(1)
  })
})
