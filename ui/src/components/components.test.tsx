import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ChoiceGroup } from './ChoiceGroup'
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
