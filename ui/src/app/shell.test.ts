import { describe, expect, it } from 'vitest'
import type { SealStatus, SetupStatus } from '../api/types'
import { hrefOf, pageOf, subpathOf } from './router'
import { connectionProblem, screenFor } from './screen'

const setup: SetupStatus = { configured: true, config_path: '/c.hcl', local_path: '/d', keychain: false }
const status: SealStatus = {
  type: 'shamir', initialized: true, sealed: false, t: 3, n: 5, progress: 0, nonce: '',
  version: '0.1.0', migration: false, recovery_seal: false, storage_type: 'local',
}

describe('screenFor', () => {
  it('follows the server state', () => {
    const base = { signedIn: false, tokenChecked: true, showingKeys: false }
    expect(screenFor(base)).toBe('loading')
    expect(screenFor({ ...base, setup: { ...setup, configured: false } })).toBe('setup')
    expect(screenFor({ ...base, setup })).toBe('loading')
    expect(screenFor({ ...base, setup, status: { ...status, initialized: false } })).toBe('init')
    expect(screenFor({ ...base, setup, status: { ...status, sealed: true } })).toBe('unseal')
    expect(screenFor({ ...base, setup, status })).toBe('login')
    expect(screenFor({ ...base, setup, status, signedIn: true })).toBe('main')
    expect(screenFor({ ...base, setup, status, tokenChecked: false })).toBe('loading')
  })

  it('keeps the key step while fresh shares are on screen', () => {
    expect(screenFor({ setup, status: { ...status, sealed: true }, signedIn: false, tokenChecked: false, showingKeys: true })).toBe('init')
  })
})

describe('router', () => {
  it('reads pages from the hash', () => {
    expect(pageOf('#/storage')).toBe('storage')
    expect(pageOf('#/infra')).toBe('infra')
    expect(pageOf('#settings')).toBe('settings')
    expect(pageOf('#/storage?x=1')).toBe('storage')
    expect(pageOf('')).toBe('status')
    expect(pageOf('#/unseal')).toBe('status')
    expect(hrefOf('infra')).toBe('#/infra')
  })
})

describe('connectionProblem', () => {
  it('tells a core that could not start from one that did not answer', () => {
    const startup = Object.assign(new Error('strongroom.hcl:2: unknown key "pth"'), { name: 'startup' })
    expect(connectionProblem(startup)).toBe('Strongroom could not start: strongroom.hcl:2: unknown key "pth"')
    expect(connectionProblem(new Error('HTTP 503'))).toBe('Strongroom did not answer: HTTP 503')
    expect(connectionProblem('down')).toBe('Strongroom did not answer: down')
  })

  it('reads sub-paths, keeps malformed escapes as typed and drops parts that climb', () => {
    expect(subpathOf('#/database/roles/team%2Fdb/readonly')).toEqual(['roles', 'team/db', 'readonly'])
    expect(subpathOf('#/database/roles/%E0%A4%A')).toEqual(['roles', '%E0%A4%A'])
    expect(subpathOf('#/database/roles/..%2F..%2Fsys/x')).toEqual(['roles', 'x'])
    expect(subpathOf('#/database/roles/..')).toEqual(['roles'])
  })
})
