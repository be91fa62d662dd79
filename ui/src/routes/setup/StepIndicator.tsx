import { STEPS, stepState, type Step } from './steps'

const STATE_WORDS = { done: 'done', current: 'current step', upcoming: 'not started' } as const

/** Storage → Seal → Review → Keys, with where the user is. */
export function StepIndicator({ current }: { current: Step }) {
  return (
    <ol className="steps" aria-label="Setup steps">
      {STEPS.map((step, index) => {
        const state = stepState(step.id, current)
        return (
          <li key={step.id} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {state === 'done' ? '✓' : index + 1}
            </span>
            <span className="step-label">{step.label}</span>
            <span className="visually-hidden">, {STATE_WORDS[state]}</span>
          </li>
        )
      })}
    </ol>
  )
}
