import { beforeEach, describe, expect, it, vi } from 'vitest'
import { invoke } from '@tauri-apps/api/core'
import { browserPlatform, TOKEN_KEY, type BrowserDeps } from './browser'
import { desktopPlatform } from './desktop'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
const invokeMock = vi.mocked(invoke)

describe('desktopPlatform', () => {
  beforeEach(() => invokeMock.mockReset())

  it('calls the shell commands with their argument names', async () => {
    invokeMock.mockResolvedValue(null)
    await desktopPlatform.getToken()
    await desktopPlatform.setToken('hvs.root')
    await desktopPlatform.deleteToken()
    await desktopPlatform.getShares()
    await desktopPlatform.setShares(['a', 'b'])
    await desktopPlatform.deleteShares()
    await desktopPlatform.copy('secret', 30000)
    await desktopPlatform.saveTextFile('strongroom-unseal-keys.txt', 'body')
    await desktopPlatform.notify('Credential expires soon', 'readonly: 2 min left')
    await desktopPlatform.listener()
    await desktopPlatform.setListener(true, '127.0.0.1:8200')
    expect(invokeMock.mock.calls).toEqual([
      ['get_token', undefined],
      ['set_token', { token: 'hvs.root' }],
      ['delete_token', undefined],
      ['get_shares', undefined],
      ['set_shares', { shares: ['a', 'b'] }],
      ['delete_shares', undefined],
      ['copy_text', { text: 'secret', clearAfterMs: 30000 }],
      ['save_text_file', { suggestedName: 'strongroom-unseal-keys.txt', contents: 'body' }],
      ['notify', { title: 'Credential expires soon', body: 'readonly: 2 min left' }],
      ['listener_status', undefined],
      ['set_listener', { enabled: true, address: '127.0.0.1:8200' }],
    ])
  })

  it('returns what the commands answer', async () => {
    invokeMock.mockResolvedValueOnce(['s1', 's2'])
    expect(await desktopPlatform.getShares()).toEqual(['s1', 's2'])
    invokeMock.mockResolvedValueOnce({ enabled: true, address: '127.0.0.1:8200', error: null })
    expect(await desktopPlatform.listener()).toEqual({ enabled: true, address: '127.0.0.1:8200', error: null })
  })

  it('turns tagged rejections into readable errors', async () => {
    invokeMock.mockRejectedValueOnce({ kind: 'keychain', message: 'the keychain is locked' })
    const error = await desktopPlatform.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('the keychain is locked')
    expect((error as Error).name).toBe('keychain')
  })
})

/** A browser platform over in-memory fakes, with the pending clipboard timer exposed. */
function fakeBrowser() {
  const session = new Map<string, string>()
  const clipboard = { text: '', denyRead: false }
  const downloads: [string, string][] = []
  const timers: { callback: () => void; ms: number }[] = []
  const deps: BrowserDeps = {
    session: {
      getItem: (k) => session.get(k) ?? null,
      setItem: (k, v) => void session.set(k, v),
      removeItem: (k) => void session.delete(k),
    },
    clipboard: {
      writeText: async (t) => {
        clipboard.text = t
      },
      readText: async () => {
        if (clipboard.denyRead) throw new DOMException('denied', 'NotAllowedError')
        return clipboard.text
      },
    },
    download: (name, contents) => void downloads.push([name, contents]),
    setTimeout: (callback, ms) => timers.push({ callback, ms }),
  }
  return { platform: browserPlatform(deps), session, clipboard, downloads, timers, deps }
}

function fakeDeps(): BrowserDeps {
  return fakeBrowser().deps
}

/** Lets the promise chain started by a timer callback settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('browserPlatform', () => {
  it('keeps the token in session storage only', async () => {
    const { platform, session } = fakeBrowser()
    expect(platform.desktop).toBe(false)
    expect(await platform.getToken()).toBeNull()
    await platform.setToken('hvs.abc')
    expect(session.get(TOKEN_KEY)).toBe('hvs.abc')
    expect(await platform.getToken()).toBe('hvs.abc')
    await platform.deleteToken()
    expect(session.size).toBe(0)
  })

  it('has no keychain for shares and no listener', async () => {
    const { platform } = fakeBrowser()
    expect(await platform.getShares()).toBeNull()
    await expect(platform.setShares(['a'])).rejects.toThrow('only available in the desktop app')
    await expect(platform.listener()).rejects.toThrow('only available in the desktop app')
  })

  it('clears the clipboard after the delay when it still holds the copied text', async () => {
    const { platform, clipboard, timers } = fakeBrowser()
    await platform.copy('s3cret', 30000)
    expect(clipboard.text).toBe('s3cret')
    expect(timers.map((t) => t.ms)).toEqual([30000])
    timers[0]?.callback()
    await settle()
    expect(clipboard.text).toBe('')
  })

  it('leaves text copied since then alone, and ignores a refused read', async () => {
    const { platform, clipboard, timers } = fakeBrowser()
    await platform.copy('s3cret', 30000)
    clipboard.text = 'something else'
    timers[0]?.callback()
    await settle()
    expect(clipboard.text).toBe('something else')

    await platform.copy('again', 30000)
    clipboard.denyRead = true
    timers[1]?.callback()
    await settle()
    expect(clipboard.text).toBe('again')
  })

  it('saves files as downloads under the suggested name', async () => {
    const { platform, downloads } = fakeBrowser()
    expect(await platform.saveTextFile('keys.txt', 'k1')).toBe('keys.txt')
    expect(downloads).toEqual([['keys.txt', 'k1']])
  })

  it('asks for notification permission once and shows notifications only when granted', async () => {
    const shown: [string, string][] = []
    const asked: string[] = []
    let answer: NotificationPermission = 'granted'
    const api = {
      permission: 'default' as NotificationPermission,
      requestPermission: async () => {
        asked.push('asked')
        api.permission = answer
        return answer
      },
      show: (title: string, body: string) => void shown.push([title, body]),
    }
    const platform = browserPlatform({ ...fakeDeps(), notifications: api })
    await platform.allowNotifications()
    expect(asked).toEqual(['asked'])
    await platform.allowNotifications()
    await platform.notify('Credential expires soon', 'readonly: 2 min left')
    await platform.notify('Again', 'b')
    expect(asked).toEqual(['asked'])
    expect(shown).toEqual([
      ['Credential expires soon', 'readonly: 2 min left'],
      ['Again', 'b'],
    ])

    answer = 'denied'
    api.permission = 'default'
    await expect(platform.notify('x', 'y')).rejects.toThrow('blocked')
    expect(shown).toHaveLength(2)
    await expect(browserPlatform(fakeDeps()).notify('x', 'y')).rejects.toThrow('cannot show notifications')
  })
})
