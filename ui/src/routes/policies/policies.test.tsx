import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { cliCommand, curlCommand } from '../../lib/equivalent'
import { deleteCall, writeCall } from './calls'
import { HclTextarea } from './HclTextarea'
import {
  appendBlock,
  CAPABILITIES,
  gutterLines,
  hclString,
  lossSummary,
  offsetOf,
  parseErrorPosition,
  pathPatterns,
  ruleBlock,
  ruleProblem,
} from './hcl'
import { newPolicyDenied } from './gates'
import { policyRoute } from './route'
import { TEMPLATES } from './templates'

const noop = () => undefined

describe('parseErrorPosition', () => {
  it('reads line and column from the core messages, syntax and content errors alike', () => {
    // Exact texts the core answers (crates/core/src/policy/parse.rs).
    expect(
      parseErrorPosition('failed to parse policy: line 3, column 3: invalid block body; expected `}`, newline or identifier'),
    ).toEqual({ line: 3, column: 3 })
    expect(parseErrorPosition('failed to parse policy: line 2, column 27: path "secret/*": invalid capability "scan"')).toEqual({
      line: 2,
      column: 27,
    })
    expect(parseErrorPosition('failed to parse policy: line 12, column 104: invalid key "mount"')).toEqual({ line: 12, column: 104 })
  })

  it('finds nothing in errors that are not about the text', () => {
    expect(parseErrorPosition(`'policy' parameter not supplied or empty`)).toBeUndefined()
    expect(parseErrorPosition('cannot update "root" policy')).toBeUndefined()
    expect(parseErrorPosition('permission denied')).toBeUndefined()
  })
})

describe('offsetOf', () => {
  const text = 'path "a" {\n  capabilities = ["read", "scan"]\n}'
  it('turns a line and column into a string offset', () => {
    expect(offsetOf(text, { line: 1, column: 1 })).toBe(0)
    expect(offsetOf(text, { line: 2, column: 3 })).toBe(13)
    expect(text.slice(offsetOf(text, { line: 2, column: 27 }))).toBe('"scan"]\n}')
  })

  it('counts characters outside the BMP once, as the core does', () => {
    expect(offsetOf('# 🔐 x\ny', { line: 1, column: 5 })).toBe(5)
  })

  it('clamps positions past the end', () => {
    expect(offsetOf('ab\ncd', { line: 9, column: 9 })).toBe(5)
    expect(offsetOf('ab\ncd', { line: 0, column: 0 })).toBe(0)
  })
})

describe('gutter', () => {
  it('numbers every line and marks the one in error', () => {
    expect(gutterLines('a\nb\nc', 2)).toEqual([
      { number: 1, error: false },
      { number: 2, error: true },
      { number: 3, error: false },
    ])
    expect(gutterLines('')).toEqual([{ number: 1, error: false }])
    expect(gutterLines('a\n').map((l) => l.number)).toEqual([1, 2])
  })

  it('is rendered with the mark, and the textarea says it is invalid and where the error is', () => {
    const html = renderToStaticMarkup(
      <HclTextarea
        id="policy-text"
        label="Policy (HCL)"
        value={'path "a" {\n  = oops\n}'}
        onChange={noop}
        errorAt={{ line: 2, column: 3 }}
        errorId="policy-error"
        hintId="policy-text-hint"
      />,
    )
    expect(html).toContain('<label for="policy-text">Policy (HCL)</label>')
    expect(html).toContain('<div class="hcl-gutter" aria-hidden="true">')
    expect(html).toContain('<span>1</span><span class="hcl-gutter-error">▸ 2</span><span>3</span>')
    expect(html).toContain('aria-invalid="true"')
    expect(html).toContain('aria-describedby="policy-error policy-text-hint"')
    expect(html).toContain('wrap="off"')
  })

  it('is neither marked nor invalid without an error', () => {
    const html = renderToStaticMarkup(<HclTextarea id="t" label="Policy (HCL)" value="a" onChange={noop} />)
    expect(html).not.toContain('hcl-gutter-error')
    expect(html).not.toContain('aria-invalid')
    expect(html).not.toContain('aria-describedby')
  })
})

describe('insert rule', () => {
  it('writes a path block with the capabilities in a fixed order', () => {
    expect(ruleBlock(' database/creds/readonly ', ['read'])).toBe('path "database/creds/readonly" {\n  capabilities = ["read"]\n}\n')
    expect(ruleBlock('sys/leases/lookup/*', ['sudo', 'list'])).toBe('path "sys/leases/lookup/*" {\n  capabilities = ["list", "sudo"]\n}\n')
    expect(ruleBlock('a', [...CAPABILITIES].reverse())).toBe(
      'path "a" {\n  capabilities = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny"]\n}\n',
    )
  })

  it('escapes what HCL would read otherwise', () => {
    expect(hclString('a"b\\c${d}%{e}')).toBe('"a\\"b\\\\c$${d}%%{e}"')
  })

  it('appends after a blank line, trimming trailing blank lines', () => {
    const block = 'path "b" {\n  capabilities = ["read"]\n}\n'
    expect(appendBlock('', block)).toBe(block)
    expect(appendBlock('  \n', block)).toBe(block)
    expect(appendBlock('path "a" {\n  capabilities = ["list"]\n}\n\n\n', block)).toBe(
      'path "a" {\n  capabilities = ["list"]\n}\n\npath "b" {\n  capabilities = ["read"]\n}\n',
    )
  })

  it('says what is missing or refused', () => {
    expect(ruleProblem('', [])).toEqual({
      path: 'Enter a path, such as database/creds/readonly.',
      capabilities: 'Choose at least one capability.',
    })
    expect(ruleProblem('secret/+*', ['read']).path).toBe('"+*" is not allowed in a path: use "+" for one segment or "*" at the end.')
    expect(ruleProblem('secret/+/x', ['read'])).toEqual({})
  })
})

describe('pathPatterns', () => {
  it('lists the block patterns, not the ones in comments', () => {
    const text = '# path "commented" {}\npath "a/*" {\n  capabilities = ["read"]\n}\n  path "b\\"q" { capabilities = [] }\n'
    expect(pathPatterns(text)).toEqual(['a/*', 'b"q'])
    expect(pathPatterns('')).toEqual([])
  })

  it('say what a deletion takes away', () => {
    expect(lossSummary([])).toBe('it has no path rules.')
    expect(lossSummary(['database/creds/readonly'])).toBe('its one path rule (database/creds/readonly) stops applying to them.')
    expect(lossSummary(['a/*', 'b'])).toBe('its 2 path rules (a/*, b) stop applying to them.')
  })
})

/**
 * The HCL subset the templates keep to, checked line by line the way the core's parser reads
 * it: comments, `path "<pattern>" {`, a `capabilities` list of known names, `}`. (They were also
 * written to a running core, which accepted them.)
 */
function subsetProblems(text: string): string[] {
  const problems: string[] = []
  let inBlock = false
  text.split('\n').forEach((line, index) => {
    const at = `line ${index + 1}`
    if (line.trim() === '' || (!inBlock && line.startsWith('#'))) return
    if (!inBlock) {
      const open = /^path "([^"\\]*)" \{$/.exec(line)
      if (!open) problems.push(`${at}: expected a path block`)
      else if ((open[1] ?? '').includes('+*') || (open[1] ?? '').slice(0, -1).includes('*')) problems.push(`${at}: bad pattern`)
      inBlock = true
    } else if (line === '}') {
      inBlock = false
    } else {
      const caps = /^ {2}capabilities = \[("[a-z]+"(, "[a-z]+")*)\]$/.exec(line)
      const names = caps ? (caps[1] ?? '').split(', ').map((c) => c.slice(1, -1)) : []
      if (!caps || names.some((c) => !(CAPABILITIES as readonly string[]).includes(c))) problems.push(`${at}: bad capabilities`)
    }
  })
  if (inBlock) problems.push('unclosed block')
  return problems
}

describe('templates', () => {
  it('are the three offered, each suggesting a valid name', () => {
    expect(TEMPLATES.map((t) => [t.label, t.name])).toEqual([
      ['apps (read database/creds/readonly)', 'apps'],
      ['Database admin', 'database-admin'],
      ['Lease operator', 'lease-operator'],
    ])
  })

  it('keep to the grammar the core parses', () => {
    for (const template of TEMPLATES) expect([template.id, subsetProblems(template.text)]).toEqual([template.id, []])
    expect(subsetProblems('path "a" {\n  capabilities = ["reed"]\n}')).toEqual(['line 2: bad capabilities'])
    expect(subsetProblems('path "a" {\n')).toEqual(['unclosed block'])
  })

  it('give the tutorial apps policy exactly', () => {
    expect(TEMPLATES[0]?.text).toBe(
      '# Applications: get PostgreSQL credentials from the readonly role, nothing else.\npath "database/creds/readonly" {\n  capabilities = ["read"]\n}\n',
    )
    expect(pathPatterns(TEMPLATES[1]?.text ?? '')).toEqual([
      'database/config/*',
      'database/roles/*',
      'database/creds/*',
      'database/reset/*',
      'database/rotate-root/*',
    ])
    expect(pathPatterns(TEMPLATES[2]?.text ?? '')).toContain('sys/leases/revoke-prefix/*')
  })
})

describe('command equivalents', () => {
  it('write with bao policy write and PUT the text', () => {
    const call = writeCall('apps', 'path "a" {\n  capabilities = ["read"]\n}\n')
    expect(cliCommand(call)).toBe('bao policy write apps apps.hcl')
    expect(curlCommand(call)).toBe(
      `curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X PUT --data '{"policy":"path \\"a\\" {\\n  capabilities = [\\"read\\"]\\n}\\n"}' "$VAULT_ADDR/v1/sys/policies/acl/apps"`,
    )
    expect(cliCommand(writeCall(' Apps ', ''))).toBe('bao policy write apps apps.hcl')
    expect(cliCommand(writeCall('', ''))).toBe('bao policy write NAME NAME.hcl')
  })

  it('delete with bao policy delete', () => {
    expect(cliCommand(deleteCall('apps'))).toBe('bao policy delete apps')
    expect(curlCommand(deleteCall('apps'))).toBe(
      'curl --fail-with-body -sS -H "X-Vault-Token: $VAULT_TOKEN" -X DELETE "$VAULT_ADDR/v1/sys/policies/acl/apps"',
    )
  })
})

describe('policyRoute', () => {
  it('reads the list, new, root and a name from the hash', () => {
    expect(policyRoute('#/policies')).toEqual({ kind: 'list' })
    expect(policyRoute('#/policies?new')).toEqual({ kind: 'new' })
    expect(policyRoute('#/policies/root')).toEqual({ kind: 'root' })
    expect(policyRoute('#/policies/new')).toEqual({ kind: 'edit', name: 'new' })
    expect(policyRoute('#/policies/lease%20ops')).toEqual({ kind: 'edit', name: 'lease ops' })
  })
})

describe('newPolicyDenied', () => {
  it('names the path as a pattern, not the sample asked about', () => {
    expect(newPolicyDenied({ 'sys/policies/acl/x': ['deny'] })).toBe(
      'Your token\'s policies do not grant "create" on sys/policies/acl/<name>.',
    )
    expect(newPolicyDenied({ 'sys/policies/acl/x': ['create', 'update'] })).toBeUndefined()
    expect(newPolicyDenied(undefined)).toBeUndefined()
  })
})
