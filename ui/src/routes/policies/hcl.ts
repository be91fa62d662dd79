/**
 * The text work of the policy editor: where the core says a policy is wrong, the gutter's line
 * numbers, and the `path` blocks the "Insert rule" helper writes.
 */

/** A 1-based line and column (in characters), as the core reports them. */
export interface TextPosition {
  line: number
  column: number
}

/**
 * The position in a core error such as `failed to parse policy: line 2, column 27: path
 * "secret/*": invalid capability "scan"` (both syntax and content errors use this form).
 */
export function parseErrorPosition(message: string): TextPosition | undefined {
  const match = /failed to parse policy: line (\d+), column (\d+)/.exec(message)
  if (!match) return undefined
  return { line: Number(match[1]), column: Number(match[2]) }
}

/**
 * The string offset of `position` in `text`, for `setSelectionRange`. Columns count characters
 * (as the core does), so characters outside the BMP count once; out-of-range positions clamp.
 */
export function offsetOf(text: string, position: TextPosition): number {
  const lines = text.split('\n')
  const lineIndex = Math.min(Math.max(position.line, 1), lines.length) - 1
  let offset = 0
  for (let i = 0; i < lineIndex; i += 1) offset += (lines[i] ?? '').length + 1
  const chars = Array.from(lines[lineIndex] ?? '').slice(0, Math.max(position.column - 1, 0))
  return offset + chars.join('').length
}

/** One row of the line-number gutter. */
export interface GutterLine {
  number: number
  error: boolean
}

/** The gutter's rows: one per line of `text`, with the line the core complained about marked. */
export function gutterLines(text: string, errorLine?: number): GutterLine[] {
  const count = text.split('\n').length
  return Array.from({ length: count }, (_, i) => ({ number: i + 1, error: i + 1 === errorLine }))
}

/** Every capability a rule can grant, in the order the helper offers them. */
export const CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny'] as const

export type RuleCapability = (typeof CAPABILITIES)[number]

/** `text` as an HCL string literal: quotes and backslashes escaped, `${`/`%{` not templates. */
export function hclString(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{')
  return `"${escaped}"`
}

/** Why the helper cannot write a rule for this path and these capabilities, if it cannot. */
export function ruleProblem(path: string, capabilities: readonly string[]): { path?: string; capabilities?: string } {
  const problems: { path?: string; capabilities?: string } = {}
  const trimmed = path.trim()
  if (trimmed === '') problems.path = 'Enter a path, such as database/creds/readonly.'
  else if (trimmed.includes('+*')) problems.path = '"+*" is not allowed in a path: use "+" for one segment or "*" at the end.'
  if (capabilities.length === 0) problems.capabilities = 'Choose at least one capability.'
  return problems
}

/** A `path` block granting `capabilities` (in the helper's order) on `path`. */
export function ruleBlock(path: string, capabilities: readonly string[]): string {
  const ordered = CAPABILITIES.filter((c) => capabilities.includes(c))
  return `path ${hclString(path.trim())} {\n  capabilities = [${ordered.map((c) => `"${c}"`).join(', ')}]\n}\n`
}

/** `text` with `block` added at the end, a blank line between them. */
export function appendBlock(text: string, block: string): string {
  const kept = text.replace(/\s+$/, '')
  return kept === '' ? block : `${kept}\n\n${block}`
}

/** The patterns of the `path "…"` blocks in an HCL policy, in order (for the delete dialog). */
export function pathPatterns(text: string): string[] {
  const patterns: string[] = []
  for (const match of text.matchAll(/^[ \t]*path[ \t]+"((?:[^"\\\n]|\\.)*)"/gm)) {
    patterns.push((match[1] ?? '').replace(/\\(.)/g, '$1'))
  }
  return patterns
}

/** What deleting a policy with these rule patterns takes from its tokens, for the confirmation. */
export function lossSummary(patterns: string[]): string {
  if (patterns.length === 0) return 'it has no path rules.'
  if (patterns.length === 1) return `its one path rule (${patterns[0]}) stops applying to them.`
  return `its ${patterns.length} path rules (${patterns.join(', ')}) stop applying to them.`
}
