import type { Platform } from './types'

/** Where a browser tab keeps its token: gone when the tab closes, never in localStorage. */
export const TOKEN_KEY = 'strongroom.token'

/** What the browser platform uses from its surroundings (replaced in tests). */
export interface BrowserDeps {
  session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  clipboard: Pick<Clipboard, 'writeText' | 'readText'>
  download(fileName: string, contents: string): void
  setTimeout(callback: () => void, ms: number): unknown
  /** The page's Notification API, when the browser has one. */
  notifications?: {
    permission: NotificationPermission
    requestPermission(): Promise<NotificationPermission>
    show(title: string, body: string): void
  }
}

function notInBrowser(what: string): Promise<never> {
  return Promise.reject(new Error(`${what} is only available in the desktop app`))
}

/** Offers `contents` as a download through a temporary link. */
export function downloadWithLink(fileName: string, contents: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type: 'text/plain;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  URL.revokeObjectURL(url)
}

/**
 * A browser tab: the token lives in session storage for this tab only; there is no keychain
 * for shares and no listener to manage. The clipboard is cleared later only if it still holds
 * what was copied, so that something the user copied since is left alone.
 */
export function browserPlatform(deps: BrowserDeps): Platform {
  return {
    desktop: false,
    getToken: async () => deps.session.getItem(TOKEN_KEY),
    setToken: async (token) => deps.session.setItem(TOKEN_KEY, token),
    deleteToken: async () => deps.session.removeItem(TOKEN_KEY),
    getShares: async () => null,
    setShares: () => notInBrowser('Keeping unseal shares'),
    deleteShares: async () => undefined,
    copy: async (text, clearAfterMs) => {
      await deps.clipboard.writeText(text)
      deps.setTimeout(() => {
        deps.clipboard
          .readText()
          .then((current) => (current === text ? deps.clipboard.writeText('') : undefined))
          .catch(() => undefined) // reading may be refused; then the text stays, as copied text does
      }, clearAfterMs)
    },
    saveTextFile: async (suggestedName, contents) => {
      deps.download(suggestedName, contents)
      return suggestedName
    },
    notify: async (title, body) => {
      const api = deps.notifications
      if (!api) throw new Error('This browser cannot show notifications')
      const permission = api.permission === 'default' ? await api.requestPermission() : api.permission
      if (permission !== 'granted') throw new Error('Notifications are blocked for this page')
      api.show(title, body)
    },
    allowNotifications: async () => {
      if (deps.notifications?.permission === 'default') await deps.notifications.requestPermission()
    },
    listener: () => notInBrowser('The local API listener'),
    setListener: () => notInBrowser('The local API listener'),
  }
}
