import { describe, expect, it } from 'vitest'
import { formatTtl, parseGoDuration, ttlDuration, ttlFromSeconds, ttlOrderError, ttlSeconds } from './ttl'

describe('ttlSeconds', () => {
  it('reads whole numbers in the unit, blank as 0', () => {
    expect(ttlSeconds({ amount: '90', unit: 'm' })).toEqual({ seconds: 5400 })
    expect(ttlSeconds({ amount: ' 2 ', unit: 'd' })).toEqual({ seconds: 172800 })
    expect(ttlSeconds({ amount: '', unit: 'h' })).toEqual({ seconds: 0 })
    expect(ttlSeconds({ amount: '1.5', unit: 'h' })).toEqual({ error: 'Enter a whole number (or leave it empty).' })
    expect(ttlSeconds({ amount: '-1', unit: 'h' })).toHaveProperty('error')
  })
})

describe('ttlDuration', () => {
  it('sends Vault duration strings, days as hours (the core knows no d)', () => {
    expect(ttlDuration({ amount: '1', unit: 'h' })).toBe('1h')
    expect(ttlDuration({ amount: '90', unit: 'm' })).toBe('90m')
    expect(ttlDuration({ amount: '30', unit: 's' })).toBe('30s')
    expect(ttlDuration({ amount: '2', unit: 'd' })).toBe('48h')
    expect(ttlDuration({ amount: '', unit: 'h' })).toBeUndefined()
    expect(ttlDuration({ amount: 'x', unit: 'h' })).toBeUndefined()
  })
})

describe('ttlFromSeconds and formatTtl', () => {
  it('pick the largest unit that divides the seconds', () => {
    expect(ttlFromSeconds(3600)).toEqual({ amount: '1', unit: 'h' })
    expect(ttlFromSeconds(5400)).toEqual({ amount: '90', unit: 'm' })
    expect(ttlFromSeconds(86400)).toEqual({ amount: '1', unit: 'd' })
    expect(ttlFromSeconds(61)).toEqual({ amount: '61', unit: 's' })
    expect(ttlFromSeconds(0)).toEqual({ amount: '', unit: 'h' })
    expect(formatTtl(86400 * 3)).toBe('3d')
    expect(formatTtl(0, 'mount default')).toBe('mount default')
  })
})

describe('parseGoDuration', () => {
  it('reads the durations the core returns', () => {
    expect(parseGoDuration('0s')).toBe(0)
    expect(parseGoDuration('1h0m0s')).toBe(3600)
    expect(parseGoDuration('1m30s')).toBe(90)
    expect(parseGoDuration('300')).toBe(300)
    expect(parseGoDuration('1500ms')).toBe(2)
    expect(parseGoDuration('soon')).toBeUndefined()
  })
})

describe('ttlOrderError', () => {
  it('wants the maximum at least the default, unless the maximum is the mount one', () => {
    expect(ttlOrderError(3600, 86400)).toBeUndefined()
    expect(ttlOrderError(3600, 3600)).toBeUndefined()
    expect(ttlOrderError(7200, 0)).toBeUndefined()
    expect(ttlOrderError(7200, 3600)).toBe('The maximum TTL (1h) must be at least the default TTL (2h).')
  })
})
