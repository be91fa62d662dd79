import { useEffect, useState } from 'react'
import { hrefOf, subpathOf, useHash } from '../../app/router'
import { ConnectionPage } from './ConnectionPage'
import { Overview } from './Overview'
import { RolePage } from './RolePage'
import './database.css'

/** A message to show on the page a form went back to (it is shown only while that page is). */
export interface Notice {
  hash: string
  text: string
  /** Set once the page was reached, so that leaving it drops the message. */
  shown?: boolean
}

/**
 * Database connections and roles. Routes: `#/database`, `#/database/connections/<mount>[/<name>]`
 * and `#/database/roles/<mount>[/<name>]` (no name: a new one).
 */
export function DatabasePage() {
  const hash = useHash()
  const [notice, setNotice] = useState<Notice>()
  const [kind, mount, name] = subpathOf(hash)
  const here = hash || hrefOf('database')

  useEffect(() => {
    if (!notice) return
    if (here === notice.hash && !notice.shown) setNotice({ ...notice, shown: true })
    else if (here !== notice.hash && notice.shown) setNotice(undefined)
  }, [here, notice])

  /** After a save or delete: back to the lists, saying what happened. */
  const done = (text: string) => {
    const target = hrefOf('database')
    setNotice({ hash: target, text })
    window.location.hash = target
  }

  if (kind === 'connections' && mount) return <ConnectionPage key={hash} mount={mount} name={name} onDone={done} />
  if (kind === 'roles' && mount) return <RolePage key={hash} mount={mount} name={name} onDone={done} />
  return <Overview notice={notice?.hash === here ? notice.text : undefined} />
}
