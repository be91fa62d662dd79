import { useEffect, useState } from 'react'
import { listPolicies, POLICY_LIST_PATH } from '../../api/policies'
import { lookupSelf } from '../../api/tokens'
import { deniedReason, useCapabilities } from '../../app/capabilities'
import { hrefOf, useHash } from '../../app/router'
import { useServices } from '../../app/services'
import { StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { messageOf } from '../../lib/format'
import { PolicyEditor } from './PolicyEditor'
import { PolicyList } from './PolicyList'
import { NEW_SAMPLE_PATH, newPolicyDenied } from './gates'
import { policyRoute, type PolicyRoute } from './route'
import './policies.css'

/** ACL policies: the list (`#/policies`), a new one (`#/policies?new`), one by name. */
export function PoliciesPage() {
  const { client } = useServices()
  const hash = useHash()
  const route = policyRoute(hash)
  const { caps, error: capsError } = useCapabilities([POLICY_LIST_PATH, NEW_SAMPLE_PATH])
  // Until the capabilities are known, a LIST that is bound to be refused is not sent.
  const settled = caps !== undefined || capsError !== undefined
  const listDenied = deniedReason(caps, POLICY_LIST_PATH, 'list')
  const [names, setNames] = useState<string[]>()
  const [own, setOwn] = useState<string[]>()
  const [error, setError] = useState<string>()
  // A notice belongs to the view it was made for, so it goes when the user moves on.
  const [notice, setNotice] = useState<{ text: string; hash: string }>()
  const [generation, setGeneration] = useState(0)

  const atList = route.kind === 'list'
  // Loaded again each time the list is shown and after every save or delete.
  useEffect(() => {
    if (!settled) return
    let live = true
    const load = listDenied
      ? lookupSelf(client).then((self) => live && setOwn(self.policies))
      : listPolicies(client).then((keys) => live && setNames(keys))
    load.then(() => live && setError(undefined)).catch((e: unknown) => live && setError(messageOf(e)))
    return () => {
      live = false
    }
  }, [client, settled, listDenied, atList, generation])

  const show = (text: string, to: string) => {
    setNotice({ text, hash: to })
    setGeneration((g) => g + 1)
    if (window.location.hash !== to) window.location.hash = to
  }

  const heading = headingOf(route)
  return (
    <>
      {!atList && (
        <p>
          <a href={hrefOf('policies')}>All policies</a>
        </p>
      )}
      <PageHeading key={heading}>{heading}</PageHeading>
      <StatusMessage tone="success">{notice && notice.hash === hash ? notice.text : undefined}</StatusMessage>
      {atList && (
        <>
          <p className="lead">
            A policy grants capabilities on API paths. A token can do what its policies grant together, and nothing else.
          </p>
          <PolicyList
            names={names}
            error={error}
            listDenied={listDenied}
            own={own}
            newDenied={newPolicyDenied(caps)}
          />
        </>
      )}
      {route.kind === 'root' && (
        <section className="card" aria-labelledby="root-policy-title">
          <h2 id="root-policy-title">Built in and read-only</h2>
          <p>
            The root policy grants every capability on every path. It has no rules to show, and it cannot be changed or
            deleted. Only root tokens have it.
          </p>
        </section>
      )}
      {(route.kind === 'new' || route.kind === 'edit') && (
        <PolicyEditor
          key={route.kind === 'edit' ? route.name : '?new'}
          name={route.kind === 'edit' ? route.name : undefined}
          existing={names}
          onSaved={(saved, warnings) =>
            show([`Policy ${saved} saved.`, ...warnings].join(' '), hrefOf('policies', saved))
          }
          onDeleted={(deleted) => show(`Policy ${deleted} deleted.`, hrefOf('policies'))}
        />
      )}
    </>
  )
}

function headingOf(route: PolicyRoute): string {
  if (route.kind === 'list') return 'Policies'
  if (route.kind === 'new') return 'New policy'
  return `Policy ${route.kind === 'root' ? 'root' : route.name}`
}
