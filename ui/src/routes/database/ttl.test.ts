import { describe, expect, it } from 'vitest'
import { ttlOrderError, ttlSeconds } from './ttl'

describe('ttlSeconds', () => {
  it('reads whole numbers in the unit, blank as 0', () => {
    expect(ttlSeconds({ amount: '90', unit: 'm' })).toEqual({ seconds: 5400 })
    expect(ttlSeconds({ amount: ' 2 ', unit: 'd' })).toEqual({ seconds: 172800 })
    expect(ttlSeconds({ amount: '', unit: 'h' })).toEqual({ seconds: 0 })
    expect(ttlSeconds({ amount: '1.5', unit: 'h' })).toEqual({ error: 'Enter a whole number (or leave it empty).' })
    expect(ttlSeconds({ amount: '-1', unit: 'h' })).toHaveProperty('error')
  })
})

describe('ttlOrderError', () => {
  it('wants the maximum at least the default, unless the maximum is the mount one', () => {
    expect(ttlOrderError(3600, 86400)).toBeUndefined()
    expect(ttlOrderError(3600, 3600)).toBeUndefined()
    expect(ttlOrderError(7200, 0)).toBeUndefined()
    expect(ttlOrderError(7200, 3600)).toBe('The maximum TTL (1h) must be at least the default TTL (2h).')
    expect(ttlOrderError(3 * 86400, 5400)).toBe('The maximum TTL (90m) must be at least the default TTL (72h).')
  })
})
