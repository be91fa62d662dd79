import { createContext, useContext } from 'react'
import type { VaultClient } from '../api/client'
import type { Platform } from '../platform'

/** The API client and the platform, shared by every screen of one window. */
export interface Services {
  client: VaultClient
  platform: Platform
}

export const ServicesContext = createContext<Services | null>(null)

export function useServices(): Services {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('useServices needs a ServicesContext provider')
  return services
}
