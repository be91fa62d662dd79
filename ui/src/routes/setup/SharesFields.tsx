import { TextField } from '../../components/TextField'
import { MAX_SHARES, type FieldErrors } from './validate'

interface SharesFieldsProps {
  prefix: string
  /** Recovery shares (auto-unseal) rather than unseal shares. */
  recovery: boolean
  shares: string
  threshold: string
  errors: FieldErrors
  onShares(value: string): void
  onThreshold(value: string): void
}

/** How many shares to make and how many are needed, with what that means in plain words. */
export function SharesFields({ prefix, recovery, shares, threshold, errors, onShares, onThreshold }: SharesFieldsProps) {
  const kind = recovery ? 'recovery shares' : 'unseal shares'
  return (
    <fieldset className="subform">
      <legend>{recovery ? 'Recovery shares' : 'Key shares'}</legend>
      <p className="hint">
        {recovery
          ? 'AWS KMS unseals Strongroom, but a recovery key is still made and split into shares. They are needed for rare operations, such as making a new root token.'
          : `With ${shares.trim() || 'N'} shares and a threshold of ${threshold.trim() || 'T'}, any ${threshold.trim() || 'T'} of the shares unseal Strongroom; fewer reveal nothing. Hand them to different people, and make enough that losing one is not fatal.`}
      </p>
      <div className="field-row">
        <TextField
          id={`${prefix}-shares`}
          label={`Number of ${kind}`}
          inputMode="numeric"
          value={shares}
          onChange={onShares}
          error={errors.shares}
          hint={`1 to ${MAX_SHARES}.`}
        />
        <TextField
          id={`${prefix}-threshold`}
          label="Shares needed (threshold)"
          inputMode="numeric"
          value={threshold}
          onChange={onThreshold}
          error={errors.threshold}
          hint="At most the number of shares."
        />
      </div>
    </fieldset>
  )
}
