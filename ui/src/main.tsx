import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { VaultClient } from './api/client'
import { App } from './app/App'
import { ServicesContext } from './app/services'
import { currentPlatform, defaultTransport } from './platform'
import './styles.css'

const services = { client: new VaultClient(defaultTransport()), platform: currentPlatform() }
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ServicesContext.Provider value={services}>
        <App />
      </ServicesContext.Provider>
    </StrictMode>,
  )
}
