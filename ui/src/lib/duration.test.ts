import { describe, expect, it } from 'vitest'
import { draftSeconds, durationString, formatSpan, parseDuration, splitSeconds, vaultDuration } from './duration'

describe('parseDuration', () => {
  it('reads the durations the core returns, and plain seconds', () => {
    expect(parseDuration('0s')).toBe(0)
    expect(parseDuration('1h0m0s')).toBe(3600)
    expect(parseDuration('1m30s')).toBe(90)
    expect(parseDuration('300')).toBe(300)
    expect(parseDuration(' 45s ')).toBe(45)
    expect(parseDuration('1500ms')).toBe(2)
    expect(parseDuration('1.5h')).toBe(5400)
    expect(parseDuration('2d')).toBe(172800)
    expect(parseDuration('soon')).toBeUndefined()
    expect(parseDuration('1h soon')).toBeUndefined()
    expect(parseDuration('')).toBeUndefined()
  })
})

describe('draftSeconds', () => {
  it('reads whole numbers in the unit, blank as blank', () => {
    expect(draftSeconds({ amount: '90', unit: 'm' })).toBe(5400)
    expect(draftSeconds({ amount: ' 2 ', unit: 'd' })).toBe(172800)
    expect(draftSeconds({ amount: '0', unit: 'h' })).toBe(0)
    expect(draftSeconds({ amount: '', unit: 'h' })).toBe('blank')
    expect(draftSeconds({ amount: ' ', unit: 'h' })).toBe('blank')
    for (const amount of ['1.5', '-1', 'two', '1h', 'Infinity']) expect(draftSeconds({ amount, unit: 'h' })).toBe('invalid')
  })

  it('takes fractions when asked, unrounded', () => {
    expect(draftSeconds({ amount: '1.5', unit: 'h' }, { decimals: true })).toBe(5400)
    expect(draftSeconds({ amount: '0.2', unit: 's' }, { decimals: true })).toBe(0.2)
    expect(draftSeconds({ amount: '-1', unit: 'h' }, { decimals: true })).toBe(-3600)
    expect(draftSeconds({ amount: '30', unit: 'd' }, { decimals: true })).toBe(2592000)
    for (const amount of ['two', '1h', 'Infinity']) expect(draftSeconds({ amount, unit: 'h' }, { decimals: true })).toBe('invalid')
  })
})

describe('durationString', () => {
  it('sends Vault duration strings in the unit typed, days as hours (the core knows no d)', () => {
    expect(durationString({ amount: '1', unit: 'h' })).toBe('1h')
    expect(durationString({ amount: ' 1 ', unit: 'h' })).toBe('1h')
    expect(durationString({ amount: '90', unit: 'm' })).toBe('90m')
    expect(durationString({ amount: '30', unit: 's' })).toBe('30s')
    expect(durationString({ amount: '2', unit: 'd' })).toBe('48h')
    expect(durationString({ amount: '7', unit: 'd' })).toBe('168h')
    expect(durationString({ amount: '', unit: 'h' })).toBeUndefined()
    expect(durationString({ amount: 'x', unit: 'h' })).toBeUndefined()
    expect(durationString({ amount: '1.5', unit: 'h' })).toBeUndefined()
  })
})

describe('splitSeconds', () => {
  it('uses the largest unit that holds the seconds whole, days from two days on', () => {
    expect(splitSeconds(3600)).toEqual({ amount: '1', unit: 'h' })
    expect(splitSeconds(86400)).toEqual({ amount: '24', unit: 'h' })
    expect(splitSeconds(2 * 86400)).toEqual({ amount: '2', unit: 'd' })
    expect(splitSeconds(3 * 86400)).toEqual({ amount: '3', unit: 'd' })
    expect(splitSeconds(5400)).toEqual({ amount: '90', unit: 'm' })
    expect(splitSeconds(90)).toEqual({ amount: '90', unit: 's' })
    expect(splitSeconds(61)).toEqual({ amount: '61', unit: 's' })
    expect(splitSeconds(20)).toEqual({ amount: '20', unit: 's' })
  })

  it('is blank for none', () => {
    expect(splitSeconds(0)).toEqual({ amount: '', unit: 'h' })
    expect(splitSeconds(-5)).toEqual({ amount: '', unit: 'h' })
    expect(splitSeconds(undefined)).toEqual({ amount: '', unit: 'h' })
  })
})

describe('vaultDuration', () => {
  it('writes seconds in the unit a picker shows them in, days as hours', () => {
    expect(vaultDuration(7200)).toBe('2h')
    expect(vaultDuration(5400)).toBe('90m')
    expect(vaultDuration(86400)).toBe('24h')
    expect(vaultDuration(3 * 86400)).toBe('72h')
    expect(vaultDuration(45)).toBe('45s')
    expect(vaultDuration(3661)).toBe('3661s')
    expect(vaultDuration(0)).toBe('0s')
  })
})

describe('formatSpan', () => {
  it('gives the two largest units, without zeros', () => {
    expect(formatSpan(3552)).toBe('59 min 12 s')
    expect(formatSpan(3600)).toBe('1 h')
    expect(formatSpan(3661)).toBe('1 h 1 min')
    expect(formatSpan(59)).toBe('59 s')
    expect(formatSpan(120)).toBe('2 min')
    expect(formatSpan(86400)).toBe('1 day')
    expect(formatSpan(2 * 86400 + 3 * 3600 + 5)).toBe('2 days 3 h')
    expect(formatSpan(0)).toBe('0 s')
    expect(formatSpan(-5)).toBe('0 s')
  })

  it('keeps every unit with 4 parts, so a filter label is not rounded', () => {
    expect(formatSpan(9000, 4)).toBe('2 h 30 min')
    expect(formatSpan(86400 + 6 * 3600, 4)).toBe('1 day 6 h')
    expect(formatSpan(2 * 86400 + 61, 4)).toBe('2 days 1 min 1 s')
    expect(formatSpan(45, 4)).toBe('45 s')
    expect(formatSpan(0, 4)).toBe('0 s')
  })
})
