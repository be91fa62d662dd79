import { useEffect, useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import type { InitReply } from '../../api/types'
import { Checkbox } from '../../components/Checkbox'
import { CopyButton } from '../../components/CopyButton'
import { focusById } from '../../components/focus'
import { ErrorMessage } from '../../components/Messages'
import { SaveFileButton } from '../../components/SaveFileButton'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import { unsealWith } from '../unseal/unsealWith'
import { KEYS_FILE_NAME, keysFileText, pickShareToCheck, shareMatches, sharesOf } from './keys'
import type { TokenSaved } from './KeysStep'

interface KeysRevealProps {
  reply: InitReply
  recovery: boolean
  threshold: number
  token: TokenSaved
  onDone(): void
}

/**
 * The shares and the root token, shown this once. The user proves one share was kept by typing
 * it back before going on: a share lost now cannot be recovered.
 */
export function KeysReveal({ reply, recovery, threshold, token, onDone }: KeysRevealProps) {
  const { client, platform } = useServices()
  const shares = sharesOf(reply)
  const [created] = useState(() => new Date())
  const [checkNumber] = useState(() => pickShareToCheck(shares.length))
  const [entered, setEntered] = useState('')
  const [checkError, setCheckError] = useState<string>()
  const [includeToken, setIncludeToken] = useState(false)
  const [keepShares, setKeepShares] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  // The form that made the keys is gone: start reading from the top of what replaced it.
  useEffect(() => focusById('keys-title'), [])

  const kind = recovery ? 'recovery share' : 'unseal share'
  const matches = shareMatches(entered, shares[checkNumber - 1] ?? '')

  const fileText = () =>
    keysFileText({ shares, threshold, recovery, created, ...(includeToken ? { rootToken: reply.root_token } : {}) })

  const finish = async (e: FormEvent) => {
    e.preventDefault()
    if (!matches) return
    setBusy(true)
    setError(undefined)
    try {
      if (keepShares) {
        await platform.setShares(shares)
        await unsealWith(client, shares)
      }
      onDone()
    } catch (failure) {
      setError(messageOf(failure))
      setBusy(false)
    }
  }

  const showToken = !token.saved
  return (
    <form onSubmit={finish} noValidate aria-labelledby="keys-title">
      <h2 id="keys-title" tabIndex={-1}>Keep these {kind}s safe</h2>
      <p className="lead">
        {recovery
          ? `AWS KMS unseals Strongroom. These ${shares.length} recovery shares (any ${threshold} of them) are needed for rare operations, such as making a new root token.`
          : `Any ${threshold} of these ${shares.length} shares unseal Strongroom after every start. Strongroom cannot show them again: save, print or copy them now, and give them to the people who will keep them.`}
      </p>

      <section className="print-shares" aria-labelledby="shares-title">
        <h3 id="shares-title">
          {recovery ? 'Recovery shares' : 'Unseal shares'} <span className="print-only">— Strongroom, {created.toISOString()}</span>
        </h3>
        <ol className="share-list">
          {shares.map((share, index) => (
            <li key={share}>
              <span className="share-label">Share {index + 1}</span>
              <code className="share-value" data-testid={`share-${index + 1}`}>
                {share}
              </code>
              <span className="no-print">
                <CopyButton text={share} label={`Copy share ${index + 1}`} />
              </span>
            </li>
          ))}
        </ol>
      </section>

      <div className="actions">
        <SaveFileButton fileName={KEYS_FILE_NAME} contents={fileText} />
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <Checkbox
        id="keys-include-token"
        checked={includeToken}
        onChange={setIncludeToken}
        hint="The root token can do anything. Leave it out unless the file goes somewhere as safe as the shares."
      >
        Include the root token in the saved file
      </Checkbox>

      <section className="card-inset" aria-labelledby="token-title">
        <h3 id="token-title">Root token</h3>
        {token.saved ? (
          <p data-testid="root-token-stored">
            The root token is stored in this computer’s keychain. The app signs in with it; you do not need to copy it.
          </p>
        ) : (
          <>
            {token.error && <ErrorMessage message={`The token could not be stored: ${token.error}`} />}
            <p>
              {platform.desktop
                ? 'Copy it now: it is shown only once.'
                : 'This tab stays signed in with it until it is closed. Copy it now if you will need it later (for the command line, or another tab): it is shown only once.'}
            </p>
            <div className="secret-line">
              <code data-testid="root-token">{reply.root_token}</code>
              <CopyButton text={reply.root_token} label="Copy root token" />
            </div>
          </>
        )}
      </section>

      {platform.desktop && !recovery && (
        <Checkbox
          id="keys-keep"
          checked={keepShares}
          onChange={setKeepShares}
          hint="Then the app can unseal by itself, and anyone who can use your account on this computer can too. Fine when you are the only operator; otherwise, leave it off."
        >
          Keep the unseal shares in this computer’s keychain (single-operator setup)
        </Checkbox>
      )}

      <TextField
        id="check-share"
        label={`Re-enter share ${checkNumber}`}
        value={entered}
        onChange={(value) => {
          setEntered(value)
          setCheckError(undefined)
        }}
        onBlur={() => entered !== '' && !matches && setCheckError(`This does not match share ${checkNumber} yet.`)}
        error={checkError}
        hint={`To be sure the shares were kept: paste or type share ${checkNumber} from your saved copy.`}
        secret
      />
      <ErrorMessage message={error} />
      {showToken && <p className="hint">Make sure the root token is copied too before you go on.</p>}
      <div className="actions wizard-nav">
        <button type="submit" className="primary" disabled={!matches || busy}>
          {busy ? 'Unsealing…' : 'Continue'}
        </button>
      </div>
    </form>
  )
}
