import { useCallback, useEffect, useState } from 'react'
import { lookupSelf, type TokenLookup } from '../../api/tokens'
import { useServices } from '../../app/services'
import { PageHeading } from '../../components/PageHeading'
import { messageOf } from '../../lib/format'
import { CreateTokenForm } from './CreateTokenForm'
import { RevokeToken } from './RevokeToken'
import { YourToken } from './YourToken'
import './tokens.css'

/** Creating tokens, what the current token is and may do, and revoking tokens by accessor. */
export function TokensPage() {
  const { client } = useServices()
  const [self, setSelf] = useState<TokenLookup>()
  const [selfError, setSelfError] = useState<string>()

  const loadSelf = useCallback(() => {
    lookupSelf(client)
      .then((found) => {
        setSelf(found)
        setSelfError(undefined)
      })
      .catch((e: unknown) => setSelfError(messageOf(e)))
  }, [client])

  useEffect(loadSelf, [loadSelf])

  return (
    <>
      <PageHeading>Tokens</PageHeading>
      <p className="lead">
        A token is what a person or an application signs in with. It can do what its policies grant, until its TTL runs out
        or it is revoked.
      </p>
      <CreateTokenForm />
      <YourToken self={self} error={selfError} onRefresh={loadSelf} />
      <RevokeToken ownAccessor={self?.accessor} />
    </>
  )
}
