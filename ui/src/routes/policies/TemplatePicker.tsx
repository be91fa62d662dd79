import { useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { TEMPLATES, type PolicyTemplate } from './templates'

/**
 * Starting points for a new policy. A template replaces the text, so text the user typed is
 * only replaced after asking.
 */
export function TemplatePicker({ text, onUse }: { text: string; onUse(template: PolicyTemplate): void }) {
  const [pending, setPending] = useState<PolicyTemplate>()
  const typed = text.trim() !== '' && !TEMPLATES.some((t) => t.text === text)
  const lines = text.split('\n').length

  return (
    <section className="card" aria-labelledby="templates-title">
      <h2 id="templates-title">Start from a template</h2>
      <div className="template-buttons">
        {TEMPLATES.map((template) => (
          <button key={template.id} type="button" onClick={() => (typed ? setPending(template) : onUse(template))}>
            {template.label}
          </button>
        ))}
      </div>
      <ConfirmDialog
        open={pending !== undefined}
        title="Replace the policy text?"
        confirmLabel="Replace the text"
        onConfirm={() => {
          if (pending) onUse(pending)
          setPending(undefined)
        }}
        onCancel={() => setPending(undefined)}
      >
        <p>
          {lines === 1 ? 'The line you wrote is' : `The ${lines} lines you wrote are`} replaced by the template “
          {pending?.label}”.
        </p>
      </ConfirmDialog>
    </section>
  )
}
