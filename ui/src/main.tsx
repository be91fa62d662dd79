import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { VaultClient } from './api/client'
import { defaultTransport } from './platform'
import { StatusPage } from './routes/status/StatusPage'
import './styles.css'

const client = new VaultClient(defaultTransport())
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StatusPage client={client} />
    </StrictMode>,
  )
}
