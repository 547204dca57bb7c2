// ESLint flat config (neostandard, TypeScript flavour). Lives in config/ to keep the
// repository's top level short.
import path from 'node:path'
import neostandard from 'neostandard'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import noTypeImportCycle from './eslint-rules/no-type-import-cycle.js'

const root = path.resolve(import.meta.dirname, '..')

const owners = { imapflow: 'src/imap', ioredis: 'src/store', jose: 'src/auth', undici: 'src/notifications', 'node-cron': 'src/jobs' }

/** Only the owning folder may import each adapter library (docs/layers.md). */
function restrictedFor (folder) {
  return Object.entries(owners)
    .filter(([, owner]) => owner !== folder)
    .map(([name, owner]) => ({ name, message: `Only ${owner} may import ${name}.` }))
}

/**
 * The layers of src/, bottom to top (docs/layers.md). A module may import from the layers below its
 * own and from its own folder; layers on one line are peers and do not import each other.
 */
const layers = [
  ['src/shared'],
  ['src/errors'],
  ['src/config'],
  ['src/logging'],
  ['src/auth', 'src/imap', 'src/store', 'src/jobs'],
  ['src/nms'],
  ['src/sync'],
  // The notification pipeline's stages (docs/notification-pipeline.md): data flows up this list.
  ['src/notifications/dispatch'],
  ['src/notifications/feed'],
  ['src/notifications/watch'],
  ['src/notifications/channels'],
  ['src/notifications/subscriptions'],
  ['src/notifications/pipeline.ts'],
  ['src/http'],
  ['src/app.ts', 'src/gateway.ts', 'src/server.ts'],
  ['src/devenv']
]
const roots = new Set(layers.at(-2))

/** For every layer folder, the folders above it and its peers: what it must not import. */
function layerZones () {
  return layers.flatMap((level, index) => level.filter((target) => !roots.has(target)).map((target) => {
    const peers = level.filter((other) => other !== target)
    const above = layers.slice(index + 1).flat()
    return {
      target,
      from: [...peers, ...above, 'test'],
      message: `${target} may import only the layers below it (docs/layers.md).`
    }
  }))
}

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.demo/**'] }),
  {
    rules: {
      '@stylistic/max-len': ['error', { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true }]
    }
  },
  {
    // Tests read better with a whole request or assertion on one line.
    files: ['test/**/*.ts'],
    rules: { '@stylistic/max-len': ['error', { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true }] }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/imap/**', 'src/store/**', 'src/auth/**', 'src/notifications/**', 'src/jobs/**', 'src/devenv/**'],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedFor(null) }] }
  },
  ...Object.values(owners).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedFor(folder) }] }
  })),
  {
    // Layering: no import cycles (value cycles: import-x; cycles through type-only imports, which
    // import-x skips: the local rule), and no import from a higher layer (type imports included).
    files: ['**/*.ts'],
    plugins: { 'import-x': importX, local: { rules: { 'no-type-import-cycle': noTypeImportCycle } } },
    settings: {
      // What import-x parses to follow imports (no-cycle reads the modules an import leads to).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })]
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'local/no-type-import-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones() }]
    }
  },
  {
    // Configuration is read in one place (src/config/load.ts) and validated there; tests set up
    // child processes and log levels from their own environment.
    files: ['**/*.ts'],
    ignores: ['src/config/**', 'test/**'],
    rules: {
      'no-restricted-properties': ['error', {
        object: 'process',
        property: 'env',
        message: 'Read settings through src/config (loadConfig); only src/config reads process.env.'
      }]
    }
  }
]
