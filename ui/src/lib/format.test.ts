import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatDollars, formatDuration, messageOf } from './format'

describe('format', () => {
  it('formats byte counts', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB')
    expect(formatBytes(3 * 1024 ** 5)).toBe('3072 TB')
  })

  it('formats counts and dollars', () => {
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatCount(999)).toBe('999')
    expect(formatDollars(1.5)).toBe('$1.50')
  })

  it('reads messages from anything thrown', () => {
    expect(messageOf(new Error('boom'))).toBe('boom')
    expect(messageOf('plain')).toBe('plain')
  })
})

describe('formatDuration', () => {
  it('uses the largest unit that fits', () => {
    expect(formatDuration(45.4)).toBe('45 s')
    expect(formatDuration(725)).toBe('12 min')
    expect(formatDuration(3 * 3600 + 100)).toBe('3 h')
    expect(formatDuration(3 * 86400)).toBe('3 days')
  })
})
