import { describe, expect, it } from 'vitest'
import { barChoices, barLabel, clockLabel, fittingBars, relativeTime, secondsArg } from './time'

describe('relativeTime', () => {
  it('says how far off, in the largest unit that fits', () => {
    expect(relativeTime(0.4)).toBe('now')
    expect(relativeTime(45)).toBe('in 45 s')
    expect(relativeTime(720)).toBe('in 12 min')
    expect(relativeTime(-720)).toBe('12 min ago')
    expect(relativeTime(3 * 3600)).toBe('in 3 h')
    expect(relativeTime(2 * 86400)).toBe('in 2 days')
    expect(relativeTime(-90)).toBe('90 s ago')
  })
})

describe('timeline bars', () => {
  // Local times, so the labels do not depend on the machine's time zone.
  const ten = new Date(2024, 0, 2, 10, 0, 0) // a Tuesday

  it('labels a bar with its count and its slice', () => {
    expect(barLabel(14, ten, new Date(2024, 0, 2, 11, 0, 0), 3600, 43200)).toBe('14 leases expire between 10:00 and 11:00')
    expect(barLabel(1, ten, new Date(2024, 0, 2, 10, 5, 0), 300, 3600)).toBe('1 lease expires between 10:00 and 10:05')
    expect(barLabel(0, ten, new Date(2024, 0, 2, 10, 2, 30), 150, 3600)).toBe('0 leases expire between 10:00:00 and 10:02:30')
  })

  it('names the day when the window spans a day or more', () => {
    expect(barLabel(3, ten, new Date(2024, 0, 2, 16, 0, 0), 21600, 604800)).toBe('3 leases expire between Tue Jan 2 10:00 and Tue Jan 2 16:00')
    expect(barLabel(2, ten, new Date(2024, 0, 2, 11, 0, 0), 3600, 86400)).toBe('2 leases expire between Tue Jan 2 10:00 and Tue Jan 2 11:00')
    expect(clockLabel(new Date(2024, 0, 7, 9, 5, 7), true, true)).toBe('Sun Jan 7 09:05:07')
  })

  it('offers only bar counts that split the window into whole seconds', () => {
    expect(barChoices(3600)).toEqual([12, 24])
    expect(barChoices(86400)).toEqual([12, 24])
    expect(barChoices(604800)).toEqual([12, 24, 28])
    expect(fittingBars(3600, 28)).toBe(12)
    expect(fittingBars(604800, 28)).toBe(28)
    expect(fittingBars(86400, 24)).toBe(24)
  })

  it('turns a bar end into a duration the server parses', () => {
    expect(secondsArg(3 * 3600)).toBe('10800s')
    expect(secondsArg(150.2)).toBe('151s')
  })
})
