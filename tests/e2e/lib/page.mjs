// Assertions and keyboard helpers on top of playwright-core (which has no `expect`).

import assert from 'node:assert/strict'
import { waitFor } from './harness.mjs'

/** Waits until `locator`'s text matches `pattern`, then asserts it (so failures say what was there). */
export async function expectText(locator, pattern, timeoutMs = 15_000) {
  await locator.first().waitFor({ timeout: timeoutMs })
  let text = ''
  try {
    await waitFor(
      async () => {
        text = (await locator.first().textContent()) ?? ''
        return pattern.test(text)
      },
      { timeoutMs, what: `text ${pattern}` },
    )
  } catch {
    // the assertion below reports what was shown
  }
  assert.match(text, pattern)
  return text
}

/**
 * Asserts the error is shown at the field: the input is aria-invalid, and the element its
 * aria-describedby names first is the `<id>-error` paragraph saying `pattern`.
 */
export async function expectFieldError(page, id, pattern) {
  const input = page.locator(`#${id}`)
  await waitFor(async () => (await input.getAttribute('aria-invalid')) === 'true', { timeoutMs: 15_000, what: `${id} aria-invalid` }).catch(() => {})
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `#${id} is not aria-invalid`)
  const describedBy = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/)
  assert.ok(describedBy.includes(`${id}-error`), `#${id} aria-describedby=${describedBy.join(' ')} lacks ${id}-error`)
  const message = page.locator(`[id="${id}-error"]`)
  assert.equal(await message.getAttribute('role'), 'alert')
  return expectText(message, pattern)
}

/** Asserts the field shows no error. */
export async function expectNoFieldError(page, id) {
  const input = page.locator(`#${id}`)
  assert.equal(await input.getAttribute('aria-invalid'), null, `#${id} is still aria-invalid`)
  assert.equal(await page.locator(`[id="${id}-error"]`).count(), 0, `#${id} still has an error`)
}

/** The focused element: what it is and whether its focus is visibly drawn. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return { tag: 'body' }
    const style = getComputedStyle(el)
    const name = el.getAttribute('aria-label') || (el.labels && el.labels[0]?.textContent) || el.textContent || ''
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type'),
      name: name.trim().replace(/\s+/g, ' ').slice(0, 80),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      // Drawn for keyboard focus: :focus-visible matches and gives an outline or a shadow.
      ring:
        el.matches(':focus-visible') &&
        ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'),
    }
  })
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element matches `want` (a function of
 * the `focused` description), asserting at every interactive stop that the focus is visible.
 */
export async function tabTo(page, want, { max = 40, back = false, label = 'element' } = {}) {
  const seen = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
    const info = await focused(page)
    seen.push(`${info.tag}#${info.id ?? ''}(${info.name ?? ''})`)
    if (['input', 'button', 'a', 'select', 'textarea', 'pre', 'summary'].includes(info.tag)) {
      assert.ok(info.ring, `focus is not visible on ${seen.at(-1)}: outline ${info.outline}`)
    }
    if (want(info)) return info
  }
  assert.fail(`Tab never reached ${label}; visited ${seen.join(' → ')}`)
}

export const byId = (id) => (info) => info.id === id
export const byName = (name) => (info) => info.name === name
