import { useState, type ReactNode } from 'react'
import type { SealStatus } from '../api/types'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorMessage } from '../components/Messages'
import { messageOf } from '../lib/format'
import { hrefOf, PAGES, type Page } from './router'
import { useServices } from './services'

interface MainLayoutProps {
  page: Page
  status: SealStatus
  /** After sealing: the shell reloads the status and shows the unseal screen. */
  onSealed(): void
  children: ReactNode
}

/** The left nav, the "Seal now" button, and the current page. */
export function MainLayout({ page, status, onSealed, children }: MainLayoutProps) {
  const { client } = useServices()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  const seal = () => {
    setBusy(true)
    setError(undefined)
    client
      .seal()
      .then(onSealed)
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => {
        setBusy(false)
        setConfirming(false)
      })
  }

  return (
    <div className="layout">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Strongroom</div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.route}>
              <a href={hrefOf(p.route)} aria-current={p.route === page ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Seal now
          </button>
        </div>
      </nav>
      <main id="content" className="content">
        <ErrorMessage message={error} />
        {children}
      </main>
      <ConfirmDialog
        open={confirming}
        title="Seal Strongroom now?"
        confirmLabel={busy ? 'Sealing…' : 'Seal'}
        busy={busy}
        onConfirm={seal}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {status.type === 'shamir'
            ? `Nothing can be read until ${status.t} unseal shares are entered again.`
            : 'Nothing can be read until the app restarts (AWS KMS then unseals it) or recovery shares are entered.'}
        </p>
      </ConfirmDialog>
    </div>
  )
}
