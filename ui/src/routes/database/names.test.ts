import { describe, expect, it } from 'vitest'
import { mountPathError, nameError, roleAllowed } from './names'

describe('nameError', () => {
  it('follows the core rule: word characters, - and . only inside', () => {
    expect(nameError('role', 'readonly')).toBeUndefined()
    expect(nameError('role', 'app-ro.v2')).toBeUndefined()
    expect(nameError('role', 'x')).toBeUndefined()
    expect(nameError('connection', '')).toBe('Enter a connection name.')
    expect(nameError('role', 'a-')).toBeDefined()
    expect(nameError('role', '.a')).toBeDefined()
    expect(nameError('role', 'a b')).toBeDefined()
    expect(nameError('role', 'a/b')).toBeDefined()
  })
})

describe('mountPathError', () => {
  it('takes nested paths and trims slashes', () => {
    expect(mountPathError('database')).toBeUndefined()
    expect(mountPathError('/db/prod/')).toBeUndefined()
    expect(mountPathError('')).toBe('Enter a path, such as database.')
    expect(mountPathError('db//x')).toBeDefined()
  })
})

describe('roleAllowed', () => {
  it('matches names and * globs like the core', () => {
    expect(roleAllowed(['readonly'], 'readonly')).toBe(true)
    expect(roleAllowed(['readonly'], 'readonly2')).toBe(false)
    expect(roleAllowed(['*'], 'anything')).toBe(true)
    expect(roleAllowed(['app-*'], 'app-ro')).toBe(true)
    expect(roleAllowed(['*-ro'], 'app-ro')).toBe(true)
    expect(roleAllowed(['a*c'], 'abbd')).toBe(false)
    expect(roleAllowed(['a*b*c'], 'axxbyyc')).toBe(true)
    expect(roleAllowed(['a*b*c'], 'ac')).toBe(false)
    expect(roleAllowed([], 'readonly')).toBe(false)
  })
})
