import { describe, expect, it } from 'vitest'
import { chooseTtl, formatClock, secondsLeft, ttlHint, ttlLimits, validUntil } from './ttl'

const role = { db_name: 'pg', default_ttl: 3600, max_ttl: 86400 }
const mount = { path: 'database/', defaultLeaseTtl: 0, maxLeaseTtl: 0 }

describe('ttlLimits', () => {
  it("takes the role's, else the mount's, and caps by the smaller max", () => {
    expect(ttlLimits(role, mount)).toEqual({ defaultTtl: 3600, maxTtl: 86400 })
    expect(ttlLimits({ ...role, default_ttl: 0 }, { ...mount, defaultLeaseTtl: 600 })).toEqual({ defaultTtl: 600, maxTtl: 86400 })
    expect(ttlLimits(role, { ...mount, maxLeaseTtl: 1800 })).toEqual({ defaultTtl: 1800, maxTtl: 1800 })
    expect(ttlLimits({ ...role, max_ttl: 0 }, undefined)).toEqual({ defaultTtl: 3600 })
    expect(ttlLimits({ ...role, default_ttl: 0, max_ttl: 0 }, mount)).toEqual({})
  })
})

describe('chooseTtl', () => {
  const limits = { defaultTtl: 3600, maxTtl: 86400 }

  it('needs no renewal for the default', () => {
    expect(chooseTtl({ amount: '1', unit: 'h' }, limits)).toEqual({ seconds: 3600, capped: false })
    expect(chooseTtl({ amount: '60', unit: 'm' }, limits)).toEqual({ seconds: 3600, capped: false })
    expect(chooseTtl({ amount: ' ', unit: 'h' }, limits)).toEqual({ seconds: 3600, capped: false })
    expect(chooseTtl({ amount: '', unit: 'h' }, {})).toEqual({ capped: false })
  })

  it('renews to any other TTL', () => {
    expect(chooseTtl({ amount: '2', unit: 'h' }, limits)).toEqual({ seconds: 7200, renewTo: 7200, capped: false })
    expect(chooseTtl({ amount: '1.5', unit: 'h' }, limits)).toEqual({ seconds: 5400, renewTo: 5400, capped: false })
    expect(chooseTtl({ amount: '10', unit: 'm' }, limits)).toEqual({ seconds: 600, renewTo: 600, capped: false })
    expect(chooseTtl({ amount: '45', unit: 's' }, limits)).toEqual({ seconds: 45, renewTo: 45, capped: false })
    expect(chooseTtl({ amount: '0.2', unit: 's' }, limits)).toEqual({ seconds: 1, renewTo: 1, capped: false })
    expect(chooseTtl({ amount: '30', unit: 'd' }, {})).toEqual({ seconds: 2592000, renewTo: 2592000, capped: false })
  })

  it('clamps to the max TTL', () => {
    expect(chooseTtl({ amount: '2', unit: 'd' }, limits)).toEqual({ seconds: 86400, renewTo: 86400, capped: true })
    expect(chooseTtl({ amount: '24', unit: 'h' }, limits)).toEqual({ seconds: 86400, renewTo: 86400, capped: false })
    expect(chooseTtl({ amount: '2', unit: 'h' }, { defaultTtl: 3600, maxTtl: 3600 })).toEqual({ seconds: 3600, capped: true })
  })

  it('refuses what is not a positive number', () => {
    for (const amount of ['0', '-1', 'two', '1h', 'Infinity']) {
      expect(chooseTtl({ amount, unit: 'h' }, limits)).toEqual({ capped: false, error: 'Enter a number greater than 0.' })
    }
  })
})

describe('ttlHint', () => {
  it("states the role's bounds, and the max when the amount was lowered to it", () => {
    const limits = { defaultTtl: 3600, maxTtl: 86400 }
    expect(ttlHint(limits, chooseTtl({ amount: '1', unit: 'h' }, limits))).toBe('Default 1 h; at most 1 day.')
    expect(ttlHint(limits, chooseTtl({ amount: '3', unit: 'd' }, limits))).toBe(
      'Default 1 h; at most 1 day. The role allows no more, so the credential gets 1 day.',
    )
    expect(ttlHint({}, chooseTtl({ amount: '', unit: 'h' }, {}))).toBe('Empty for the default TTL.')
    expect(ttlHint({ maxTtl: 7200 }, { capped: false })).toBe('Empty for the default TTL; at most 2 h.')
  })
})

describe('countdown', () => {
  it('counts a started second as left', () => {
    expect(secondsLeft(10_000, 0)).toBe(10)
    expect(secondsLeft(10_000, 9_001)).toBe(1)
    expect(secondsLeft(10_000, 10_000)).toBe(0)
    expect(secondsLeft(10_000, 20_000)).toBe(0)
  })

  it('shows the local time, with the date when it is another day', () => {
    const now = new Date(2026, 0, 2, 13, 3, 12).getTime()
    const later = new Date(2026, 0, 2, 14, 2, 24).getTime()
    expect(formatClock(later, now)).toBe('14:02:24')
    expect(validUntil(later, now)).toBe('Valid until 14:02:24 (in 59 min 12 s)')
    const tomorrow = new Date(2026, 0, 3, 9, 5, 0).getTime()
    expect(formatClock(tomorrow, now)).toBe('2026-01-03 09:05:00')
    expect(validUntil(now + 500, now)).toBe('Valid until 13:03:12 (in 1 s)')
  })
})
