import { describe, expect, it } from 'vitest'
import { maskUrl, urlHasPassword } from './connectionUrl'

describe('maskUrl', () => {
  it('keeps templated URLs as they are', () => {
    const url = 'postgresql://{{username}}:{{password}}@localhost:5432/postgres'
    expect(maskUrl(url)).toBe(url)
    expect(urlHasPassword(url)).toBe(false)
    expect(maskUrl('postgresql://root@db:5432/app')).toBe('postgresql://root@db:5432/app')
  })

  it('never shows a literal password, wherever it is', () => {
    expect(maskUrl('postgresql://root:rootpassword@localhost:5432/myapp')).toBe('postgresql://root:*****@localhost:5432/myapp')
    expect(maskUrl('postgres://h/db?user=root&password=s3cret&sslmode=require')).toBe(
      'postgres://h/db?user=root&password=*****&sslmode=require',
    )
    expect(maskUrl('host=h password=s3cret user=u')).toBe('host=h password=***** user=u')
    expect(maskUrl("host=h password = 'a b\\'c' user=u")).toBe('host=h password = ***** user=u')
    expect(maskUrl('password={{password}} host=h')).toBe('password={{password}} host=h')
    expect(urlHasPassword('postgresql://root:x@h/db')).toBe(true)
  })

  it('reads the user part up to the first @, as the core does, so a password holding / is masked', () => {
    expect(urlHasPassword('postgresql://root:pa/ss@h/db')).toBe(true)
    expect(maskUrl('postgresql://root:pa/ss@h/db')).toBe('postgresql://root:*****@h/db')
    // The cost: an @ later in the URL masks more than the password on screen, never less.
    expect(maskUrl('postgresql://h:5432/db?application_name=a@c')).toBe('postgresql://h:*****@c')
  })
})
