/**
 * A valid configuration for unit tests that start no server: the required settings filled with
 * test values, `overrides` merged last (the shape of config/default.json).
 */
import { loadConfig, type LoadOptions } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'

export const UNIT_ENV: Readonly<Record<string, string>> = {
  NMS_IMAP_MASTER_USER: 'master',
  NMS_IMAP_MASTER_PASSWORD: 'master-password',
  NMS_AUTH_HS256_SECRET: 'x'.repeat(32)
}

export function unitConfig (overrides: LoadOptions['overrides'] = {}, env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({ env: { ...UNIT_ENV, ...env }, overrides })
}
