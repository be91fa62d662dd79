import { describe, expect, it } from 'vitest'
import type { TableFacts } from '../../api/types'
import { capacityChange } from './capacity'

const table: TableFacts = {
  name: 'vault', arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/vault', status: 'ACTIVE',
  billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, item_count: 10, size_bytes: 2048,
}

describe('capacityChange', () => {
  it('sends provisioned capacities as numbers', () => {
    expect(capacityChange({ billing_mode: 'PROVISIONED', read_capacity: ' 10 ', write_capacity: '2' }, table)).toEqual({
      errors: {},
      change: { billing_mode: 'PROVISIONED', read_capacity: 10, write_capacity: 2 },
    })
  })

  it('sends only the billing mode for on demand', () => {
    expect(capacityChange({ billing_mode: 'PAY_PER_REQUEST', read_capacity: '', write_capacity: '' }, table)).toEqual({
      errors: {},
      change: { billing_mode: 'PAY_PER_REQUEST' },
    })
  })

  it('has nothing to send when the table already matches', () => {
    expect(capacityChange({ billing_mode: 'PROVISIONED', read_capacity: '5', write_capacity: '5' }, table)).toEqual({ errors: {} })
    expect(
      capacityChange({ billing_mode: 'PAY_PER_REQUEST', read_capacity: '5', write_capacity: '5' }, { ...table, billing_mode: 'PAY_PER_REQUEST' }),
    ).toEqual({ errors: {} })
  })

  it('refuses capacities below 1 or not whole', () => {
    expect(capacityChange({ billing_mode: 'PROVISIONED', read_capacity: '0', write_capacity: '1.5' }, table)).toEqual({
      errors: {
        read_capacity: 'Enter a whole number of units, at least 1.',
        write_capacity: 'Enter a whole number of units, at least 1.',
      },
    })
  })
})
