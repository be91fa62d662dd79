import { useCallback, useEffect, useRef, useState } from 'react'
import { VaultError } from '../../api/client'
import type { SealStatus, SetupStatus } from '../../api/types'
import { focusById } from '../../components/focus'
import { StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { clearDraft, DRAFT_KEY, loadDraft, saveDraft, sealBody, storageBody, type WizardSecrets } from './draft'
import { KeysStep } from './KeysStep'
import { ReviewStep } from './ReviewStep'
import { SealStep } from './SealStep'
import { StepIndicator } from './StepIndicator'
import { locateConfigField, type Step } from './steps'
import { StorageStep } from './StorageStep'
import type { FieldErrors } from './validate'

/** The heading each step opens with, focused when the user moves between steps. */
const STEP_TITLES: Record<Step, string> = {
  storage: 'storage-title',
  seal: 'seal-title',
  review: 'review-title',
  keys: 'init-title',
}

interface SetupWizardProps {
  setup: SetupStatus
  /** The seal status, once the node runs on a saved configuration. */
  status?: SealStatus
  /** The configuration was written: the shell reloads the server state. */
  onSaved(): Promise<void>
  /** Keys are on screen: the shell must not switch away from the wizard. */
  onInitialized(): void
  onDone(): void
}

/**
 * The first-run wizard. Its step follows the server: without a configuration it starts at
 * Storage (with the choices of an earlier visit restored), with one at Keys. The choices are
 * kept in localStorage as they are made; secret keys only in memory.
 */
export function SetupWizard({ setup, status, onSaved, onInitialized, onDone }: SetupWizardProps) {
  const [draft, setDraft] = useState(() => loadDraft(window.localStorage))
  const [restored] = useState(() => window.localStorage.getItem(DRAFT_KEY) !== null)
  const [secrets, setSecrets] = useState<WizardSecrets>({ storage: '', seal: '' })
  const [step, setStep] = useState<Step>(setup.configured ? 'keys' : 'storage')
  const [sentBack, setSentBack] = useState<FieldErrors>()
  const previousStep = useRef(step)

  useEffect(() => saveDraft(window.localStorage, draft), [draft])
  useEffect(() => {
    if (setup.configured) setStep('keys')
  }, [setup.configured])
  useEffect(() => {
    if (previousStep.current !== step && !sentBack) focusById(STEP_TITLES[step])
    previousStep.current = step
  }, [step, sentBack])

  const go = (next: Step) => {
    setSentBack(undefined)
    setStep(next)
  }

  /** An error about a field of an earlier step sends the user back there, at that field. */
  const onFieldError = useCallback((error: unknown): boolean => {
    const place = error instanceof VaultError ? locateConfigField(error.field) : undefined
    if (!place) return false
    setSentBack({ [place.field]: (error as VaultError).message })
    setStep(place.step)
    return true
  }, [])

  const finish = () => {
    clearDraft(window.localStorage)
    onDone()
  }

  return (
    <main className="wizard">
      <PageHeading>Set up Strongroom</PageHeading>
      <StepIndicator current={step} />
      <div className="card">
        {restored && step === 'storage' && !sentBack && (
          <p className="hint">Your earlier choices were restored. Secret keys are never saved: enter them again if needed.</p>
        )}
        {step === 'storage' && (
          <StorageStep
            setup={setup}
            storage={draft.storage}
            secretKey={secrets.storage}
            initialErrors={sentBack}
            onChange={(storage) => setDraft({ ...draft, storage })}
            onSecretKey={(storage) => setSecrets({ ...secrets, storage })}
            onNext={() => go('seal')}
          />
        )}
        {step === 'seal' && (
          <SealStep
            setup={setup}
            seal={draft.seal}
            secretKey={secrets.seal}
            initialErrors={sentBack}
            onChange={(seal) => setDraft({ ...draft, seal })}
            onSecretKey={(seal) => setSecrets({ ...secrets, seal })}
            onBack={() => go('storage')}
            onNext={() => go('review')}
          />
        )}
        {step === 'review' && (
          <ReviewStep
            storage={storageBody(draft.storage, secrets.storage)}
            seal={sealBody(draft.seal, secrets.seal)}
            onFieldError={onFieldError}
            onBack={() => go('seal')}
            onSaved={onSaved}
          />
        )}
        {step === 'keys' &&
          (status ? (
            <KeysStep
              sealType={status.type}
              shares={draft.seal.shares}
              threshold={draft.seal.threshold}
              onInitialized={onInitialized}
              onDone={finish}
            />
          ) : (
            <StatusMessage>Starting Strongroom with the new configuration…</StatusMessage>
          ))}
      </div>
    </main>
  )
}
