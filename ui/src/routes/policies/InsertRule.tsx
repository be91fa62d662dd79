import { useState, type FormEvent } from 'react'
import { Checkbox } from '../../components/Checkbox'
import { focusById } from '../../components/focus'
import { StatusMessage } from '../../components/Messages'
import { TextField } from '../../components/TextField'
import { CAPABILITIES, ruleBlock, ruleProblem } from './hcl'

/** Writes a `path "…" { capabilities = [...] }` block for the user, who then need not know HCL. */
export function InsertRule({ onInsert }: { onInsert(block: string): void }) {
  const [path, setPath] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const [errors, setErrors] = useState<{ path?: string; capabilities?: string }>({})
  const [done, setDone] = useState<string>()

  const toggle = (capability: string, on: boolean) =>
    setChosen(on ? [...chosen, capability] : chosen.filter((c) => c !== capability))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const problems = ruleProblem(path, chosen)
    setErrors(problems)
    setDone(undefined)
    if (problems.path) focusById('rule-path')
    else if (problems.capabilities) focusById(`rule-cap-${CAPABILITIES[0]}`)
    else {
      onInsert(ruleBlock(path, chosen))
      setDone(`Added a rule for ${path.trim()} at the end of the policy.`)
      setPath('')
      setChosen([])
    }
  }

  return (
    <details className="card-inset rule-helper">
      <summary>Insert a rule</summary>
      <form onSubmit={submit} noValidate>
        <TextField
          id="rule-path"
          label="Rule path"
          value={path}
          onChange={setPath}
          error={errors.path}
          placeholder="database/creds/readonly"
          hint="End with * to cover everything below (database/creds/*); + stands for one segment."
        />
        <fieldset className="subform" aria-describedby={errors.capabilities ? 'rule-caps-error' : undefined}>
          <legend>Capabilities</legend>
          <div className="rule-caps">
            {CAPABILITIES.map((capability) => (
              <Checkbox
                key={capability}
                id={`rule-cap-${capability}`}
                checked={chosen.includes(capability)}
                onChange={(on) => toggle(capability, on)}
              >
                {capability}
              </Checkbox>
            ))}
          </div>
          {errors.capabilities && (
            <p id="rule-caps-error" className="field-error" role="alert">
              {errors.capabilities}
            </p>
          )}
        </fieldset>
        <p className="hint">
          deny overrides everything else on the path; sudo is needed on top for root-protected paths such as
          sys/leases/revoke-prefix.
        </p>
        <StatusMessage tone="success">{done}</StatusMessage>
        <div className="actions">
          <button type="submit">Insert rule</button>
        </div>
      </form>
    </details>
  )
}
