import { useCallback, useEffect, useState } from 'react'
import { VaultError } from '../api/client'
import type { SealStatus, SetupStatus } from '../api/types'
import { ErrorMessage, StatusMessage } from '../components/Messages'
import { usePolling } from '../lib/usePolling'
import { CredentialsPage } from '../routes/credentials/CredentialsPage'
import { checkouts } from '../routes/credentials/store'
import { DatabasePage } from '../routes/database/DatabasePage'
import { InfraPage } from '../routes/infra/InfraPage'
import { LeasesPage } from '../routes/leases/LeasesPage'
import { LoginPage } from '../routes/login/LoginPage'
import { PoliciesPage } from '../routes/policies/PoliciesPage'
import { SettingsPage } from '../routes/settings/SettingsPage'
import { SetupWizard } from '../routes/setup/SetupWizard'
import { StatusPage } from '../routes/status/StatusPage'
import { StoragePage } from '../routes/storage/StoragePage'
import { TokensPage } from '../routes/tokens/TokensPage'
import { UnsealPage } from '../routes/unseal/UnsealPage'
import { MainLayout } from './MainLayout'
import { pageOf, showScreenInHash, useHash } from './router'
import { connectionProblem, screenFor, type Screen } from './screen'
import { useServices } from './services'

/** Polling while the state changes by itself (unsealing, status page), and otherwise. */
const FAST_POLL_MS = 3000
const SLOW_POLL_MS = 15000

/** The hash shown for the screens the server state chooses. */
const SCREEN_HASH: Partial<Record<Screen, string>> = { setup: 'setup', init: 'setup', unseal: 'unseal', login: 'login' }

/**
 * The shell: asks the server what state it is in (`sys/setup`, then `sys/seal-status`) and
 * shows the screen for it, keeping the seal status fresh while it can change on its own.
 */
export function App() {
  const { client, platform } = useServices()
  const [setup, setSetup] = useState<SetupStatus>()
  const [status, setStatus] = useState<SealStatus>()
  const [signedIn, setSignedIn] = useState(false)
  const [tokenChecked, setTokenChecked] = useState(false)
  const [loginNotice, setLoginNotice] = useState<string>()
  const [showingKeys, setShowingKeys] = useState(false)
  const [error, setError] = useState<string>()
  const hash = useHash()
  const page = pageOf(hash)

  const refreshStatus = useCallback(async () => {
    try {
      setStatus(await client.sealStatus())
      setError(undefined)
    } catch (e) {
      setError(connectionProblem(e))
    }
  }, [client])

  const refresh = useCallback(async () => {
    try {
      const current = await client.setup()
      // A node just configured may not answer yet: the loading screen polls until it does.
      const seal = current.configured
        ? await client.sealStatus().catch((e: unknown) => {
            setError(connectionProblem(e))
            return undefined
          })
        : undefined
      // Both at once: a configured node without its status would flash the loading screen.
      setSetup(current)
      setStatus(seal)
      if (seal || !current.configured) setError(undefined)
    } catch (e) {
      setError(connectionProblem(e))
    }
  }, [client])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const screen = screenFor({ setup, status, signedIn, tokenChecked, showingKeys })

  // Once the node is open, sign in with the saved token (keychain or this tab's session).
  const open = status !== undefined && status.initialized && !status.sealed
  useEffect(() => {
    if (tokenChecked || !open) return
    let current = true
    const check = async () => {
      const token = client.token ?? (await platform.getToken().catch(() => null))
      if (!token) return
      client.token = token
      try {
        await client.lookupSelf()
        if (current) setSignedIn(true)
      } catch (e) {
        client.token = undefined
        if (current && e instanceof VaultError && e.status === 403) {
          setLoginNotice('The saved token was not accepted: it may have expired or been revoked. Sign in again.')
        }
      }
    }
    void check().finally(() => current && setTokenChecked(true))
    return () => {
      current = false
    }
  }, [client, platform, open, tokenChecked])

  useEffect(() => {
    const name = SCREEN_HASH[screen]
    if (name) showScreenInHash(name)
    else if (screen === 'main') showScreenInHash(page)
  }, [screen, page])

  // The wizard needs no polling (it reloads after saving); every other screen does, and the
  // loading screen retries until the server answers.
  const watching = screen === 'unseal' || screen === 'loading' || (screen === 'main' && page === 'status')
  usePolling(
    () => void (setup?.configured ? refreshStatus() : refresh()),
    watching ? FAST_POLL_MS : SLOW_POLL_MS,
    screen !== 'setup' && screen !== 'init',
  )

  // Checked-out credentials (held in memory) go with the session, so whoever comes next does
  // not see them: on sign-out, on "Seal now", and on a seal done elsewhere that polling finds.
  const signOut = () => {
    checkouts.clear()
    setSignedIn(false)
    setLoginNotice(undefined)
  }
  const sealed = status?.sealed === true
  useEffect(() => {
    if (sealed) checkouts.clear()
  }, [sealed])

  return (
    <>
      {error && (
        <div className="banner">
          <ErrorMessage message={error} />
        </div>
      )}
      {screen === 'loading' && (
        <main className="narrow">
          <StatusMessage>{error ? '' : 'Connecting to Strongroom…'}</StatusMessage>
        </main>
      )}
      {(screen === 'setup' || screen === 'init') && setup && (
        <SetupWizard
          setup={setup}
          status={status}
          onSaved={refresh}
          onInitialized={() => {
            setShowingKeys(true)
            setSignedIn(true)
            setTokenChecked(true)
          }}
          onDone={() => {
            setShowingKeys(false)
            void refreshStatus()
          }}
        />
      )}
      {screen === 'unseal' && status && <UnsealPage status={status} onStatus={setStatus} />}
      {screen === 'login' && (
        <LoginPage
          notice={loginNotice}
          onSignedIn={() => {
            setSignedIn(true)
            setLoginNotice(undefined)
          }}
        />
      )}
      {screen === 'main' && status && (
        <MainLayout
          page={page}
          status={status}
          onSealed={() => {
            checkouts.clear()
            void refreshStatus()
          }}
        >
          {page === 'status' && <StatusPage status={status} onRefresh={() => void refreshStatus()} />}
          {page === 'credentials' && <CredentialsPage />}
          {page === 'leases' && <LeasesPage />}
          {page === 'database' && <DatabasePage />}
          {page === 'policies' && <PoliciesPage />}
          {page === 'tokens' && <TokensPage />}
          {page === 'storage' && <StoragePage status={status} />}
          {page === 'infra' && <InfraPage status={status} />}
          {page === 'settings' && <SettingsPage onSignedOut={signOut} />}
        </MainLayout>
      )}
    </>
  )
}
