import { useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { InitReply } from '../../api/types'
import { ErrorMessage } from '../../components/Messages'
import { messageOf } from '../../lib/format'
import { KeysReveal } from './KeysReveal'
import { SharesFields } from './SharesFields'
import { useFormErrors } from './useFormErrors'
import { validateShares } from './validate'

const FIELDS = ['shares', 'threshold'] as const

/** Where the root token went: the keychain (desktop), or nowhere safe yet. */
export type TokenSaved = { saved: true } | { saved: false; error?: string }

interface KeysStepProps {
  /** The running seal's type (`shamir`, `awskms`), from the seal status. */
  sealType: string
  shares: string
  threshold: string
  /** The keys are on screen: the window must stay here until the user is done. */
  onInitialized(): void
  onDone(): void
}

/** Step 4: initialize — make the key shares and the root token, and hand them over once. */
export function KeysStep({ sealType, shares: initialShares, threshold: initialThreshold, onInitialized, onDone }: KeysStepProps) {
  const { client, platform } = useServices()
  const form = useFormErrors('init', FIELDS)
  const [shares, setShares] = useState(initialShares)
  const [threshold, setThreshold] = useState(initialThreshold)
  const [busy, setBusy] = useState(false)
  const [reply, setReply] = useState<InitReply>()
  const [token, setToken] = useState<TokenSaved>({ saved: false })
  const recovery = sealType !== 'shamir'

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!form.check(validateShares(shares, threshold))) return
    setBusy(true)
    try {
      const result = await client.init(sealType, Number(shares.trim()), Number(threshold.trim()))
      onInitialized()
      client.token = result.root_token
      // The desktop keeps the token in the keychain; a browser tab only for this session,
      // so there it is also shown once.
      const saved = await platform
        .setToken(result.root_token)
        .then((): TokenSaved => ({ saved: platform.desktop }))
        .catch((failure: unknown): TokenSaved => ({ saved: false, error: messageOf(failure) }))
      setToken(saved)
      setReply(result)
    } catch (failure) {
      form.fail(failure)
      setBusy(false)
    }
  }

  if (reply) {
    return <KeysReveal reply={reply} recovery={recovery} threshold={Number(threshold.trim())} token={token} onDone={onDone} />
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="init-title">
      <h2 id="init-title" tabIndex={-1}>Create the keys</h2>
      <p className="lead">
        The configuration is saved and Strongroom is running. Now it creates its encryption key and{' '}
        {recovery ? 'recovery shares' : 'the unseal shares'}, and a root token to sign in with. They are shown once.
      </p>
      <SharesFields
        prefix="init"
        recovery={recovery}
        shares={shares}
        threshold={threshold}
        errors={form.errors}
        onShares={setShares}
        onThreshold={setThreshold}
      />
      <ErrorMessage message={form.general} />
      <div className="actions wizard-nav">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create the keys'}
        </button>
      </div>
    </form>
  )
}
