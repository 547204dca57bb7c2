/**
 * pino options shared by the gateway: structured JSON, with credentials redacted so that logs
 * never carry secrets.
 */
import type { LoggerOptions } from 'pino'

export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.password',
  '*.pass',
  '*.masterPassword',
  '*.accessToken',
  '*.token',
  '*.hs256Secret',
  '*.secret'
]

export function loggerOptions (level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'nms-imap-gateway' }
  }
}
