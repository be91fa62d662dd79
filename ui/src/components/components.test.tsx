import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { Checkbox } from './Checkbox'
import { ChoiceGroup } from './ChoiceGroup'
import { syncDialog } from './ConfirmDialog'
import { DurationField } from './DurationField'
import { ErrorMessage } from './Messages'
import { SelectField } from './SelectField'
import { TextField } from './TextField'

const noop = () => undefined

describe('TextField', () => {
  it('ties its hint and error to the input and marks it invalid', () => {
    const html = renderToStaticMarkup(
      <TextField id="storage-region" label="Region" value="EU" onChange={noop} hint="Such as us-east-1." error="Not a region." />,
    )
    expect(html).toContain('<label for="storage-region">Region</label>')
    expect(html).toContain('aria-invalid="true"')
    expect(html).toContain('aria-describedby="storage-region-error storage-region-hint"')
    expect(html).toContain('<p id="storage-region-error" class="field-error" role="alert">Not a region.</p>')
  })

  it('is neither invalid nor described without a hint or error, and masks secrets', () => {
    const html = renderToStaticMarkup(<TextField id="k" label="Secret access key" value="s" onChange={noop} secret />)
    expect(html).not.toContain('aria-invalid')
    expect(html).not.toContain('aria-describedby')
    expect(html).toContain('type="password"')
    expect(html).toContain('aria-label="Show secret access key"')
  })
})

describe('ChoiceGroup', () => {
  it('gives the selected radio the group id and ties the error to the radios', () => {
    const html = renderToStaticMarkup(
      <ChoiceGroup
        id="storage-credentials"
        name="creds"
        legend="AWS credentials"
        value="keys"
        onChange={noop}
        error="The keys were refused."
        choices={[
          { value: 'chain', label: 'Credential chain' },
          { value: 'keys', label: 'Access keys' },
        ]}
      />,
    )
    expect(html).toContain('<fieldset class="choices"><legend>AWS credentials</legend>')
    expect(html).toMatch(/<input type="radio" id="storage-credentials" aria-describedby="storage-credentials-error" aria-invalid="true" name="creds" checked="" value="keys"\/>/)
    expect(html.match(/id="storage-credentials"/g)).toHaveLength(1)
    expect(html).toContain('<p id="storage-credentials-error" class="field-error" role="alert">The keys were refused.</p>')
  })
})

describe('SelectField', () => {
  it('labels the select and ties its hint and error to it, like TextField', () => {
    const html = renderToStaticMarkup(
      <SelectField
        id="db-role-db_name"
        label="Connection"
        value="pg"
        options={[
          { value: '', label: 'Choose a connection…' },
          { value: 'pg', label: 'pg' },
        ]}
        onChange={noop}
        hint="The database."
        error="Choose one."
      />,
    )
    expect(html).toContain('<label for="db-role-db_name">Connection</label>')
    expect(html).toContain('<select id="db-role-db_name" aria-invalid="true" aria-describedby="db-role-db_name-error db-role-db_name-hint">')
    expect(html).toContain('<option value="pg" selected="">pg</option>')
    expect(html).toContain('<p id="db-role-db_name-error" class="field-error" role="alert">Choose one.</p>')
    expect(renderToStaticMarkup(<SelectField id="s" label="Bars" value="1" options={[{ value: '1', label: '1' }]} onChange={noop} />)).toContain(
      '<select id="s">',
    )
  })
})

describe('DurationField', () => {
  it('names the number and the unit apart, and offers the units asked for', () => {
    const html = renderToStaticMarkup(
      <DurationField
        id="token-ttl"
        label="TTL"
        unitLabel="TTL unit"
        units={['m', 'h', 'd']}
        value={{ amount: '2', unit: 'd' }}
        onChange={noop}
        error="Too long."
      />,
    )
    expect(html).toContain('<label for="token-ttl">TTL</label>')
    expect(html).toMatch(/<input id="token-ttl" type="text" aria-invalid="true" aria-describedby="token-ttl-error"[^>]* inputMode="numeric" value="2"\/>/)
    expect(html).toContain('<label for="token-ttl-unit">TTL unit</label>')
    expect(html).toContain('<option value="m">minutes</option><option value="h">hours</option><option value="d" selected="">days</option>')
    expect(html).not.toContain('seconds')
  })
})

describe('Checkbox', () => {
  it('is disabled with the reason after its hint, read with it', () => {
    const html = renderToStaticMarkup(
      <Checkbox id="token-orphan" checked={false} onChange={noop} hint="Needs sudo." deniedReason="Your token may not.">
        Orphan
      </Checkbox>,
    )
    expect(html).toContain('<input id="token-orphan" type="checkbox" disabled="" aria-describedby="token-orphan-hint"/>')
    expect(html).toContain('<p id="token-orphan-hint" class="field-hint">Needs sudo. Your token may not.</p>')
    const plain = renderToStaticMarkup(
      <Checkbox id="c" checked onChange={noop}>
        Renewable
      </Checkbox>,
    )
    expect(plain).toBe('<div class="check"><input id="c" type="checkbox" checked=""/><label for="c">Renewable</label></div>')
  })
})

describe('ErrorMessage', () => {
  it('carries an id for aria-describedby, and renders nothing without a message', () => {
    expect(renderToStaticMarkup(<ErrorMessage id="policy-error" message="Bad." />)).toBe(
      '<div id="policy-error" class="alert alert-error" role="alert"><p>Bad.</p></div>',
    )
    expect(renderToStaticMarkup(<ErrorMessage id="policy-error" message={undefined} />)).toBe('')
  })
})

describe('ConfirmDialog', () => {
  /** A dialog as the browser runs it: showModal() focuses its first focusable element. */
  function fakeDialog() {
    const state = { open: false, focused: 'page' }
    const dialog = {
      get open() {
        return state.open
      },
      showModal() {
        state.open = true
        state.focused = 'As a command'
      },
      close() {
        state.open = false
        state.focused = 'page'
      },
    }
    return { state, dialog, cancel: { focus: () => (state.focused = 'Cancel') } }
  }

  it('gives Cancel the focus each time it opens, not the first focusable element', () => {
    const { state, dialog, cancel } = fakeDialog()
    syncDialog(dialog, true, cancel)
    expect(state).toEqual({ open: true, focused: 'Cancel' })
    syncDialog(dialog, false, cancel)
    expect(state).toEqual({ open: false, focused: 'page' })
    // Opened again while it stayed mounted: autoFocus would not run a second time.
    syncDialog(dialog, true, cancel)
    expect(state).toEqual({ open: true, focused: 'Cancel' })
  })

  it('leaves an open dialog and its focus alone', () => {
    const { state, dialog, cancel } = fakeDialog()
    syncDialog(dialog, true, cancel)
    state.focused = 'Revoke 3 leases'
    syncDialog(dialog, true, cancel)
    expect(state.focused).toBe('Revoke 3 leases')
  })
})
