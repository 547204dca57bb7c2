/**
 * Renders README's configuration and error tables from their sources (src/config/env-vars.ts and
 * src/errors/codes.ts). The golden tests require README.md to contain these exact texts, so a
 * variable or error code added without its README row fails the build. To refresh README after
 * a deliberate change: `node --import tsx test/golden/readme-tables.ts` prints both tables.
 */
import { ENV_VARS, type EnvVar } from '../../src/config/env-vars.js'
import { ERROR_CODES, type ErrorSpec } from '../../src/errors/codes.js'

/** Defaults that are words, not values: shown without code formatting. */
const WORD_DEFAULTS = new Set(['none', 'unset', 'generated'])

/** Escapes a cell for a GitHub-flavoured Markdown table. */
export function cell (text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function code (text: string): string {
  return `\`${text}\``
}

/** The configuration table: one row per environment variable, in ENV_VARS order. */
export function renderConfigTable (vars: readonly EnvVar[] = ENV_VARS): string {
  const rows = vars.map((v) => {
    const def = WORD_DEFAULTS.has(v.defaultText) ? v.defaultText : code(v.defaultText)
    return `| ${code(v.name)} | ${cell(v.description)} | ${cell(def)} |`
  })
  return ['| Variable | Meaning | Default |', '|---|---|---|', ...rows].join('\n')
}

/** The error table: one row per error code, in catalogue order. */
export function renderErrorTable (codes: Readonly<Record<string, ErrorSpec>> = ERROR_CODES): string {
  const rows = Object.entries(codes).map(([name, spec]) =>
    `| ${code(name)} | ${spec.status} | ${spec.messageId} | ${cell(spec.when)} |`)
  return ['| Code | HTTP | messageId | When |', '|---|---|---|---|', ...rows].join('\n')
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  process.stdout.write(`${renderConfigTable()}\n\n${renderErrorTable()}\n`)
}
