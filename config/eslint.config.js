// ESLint flat config (neostandard, TypeScript flavour). Lives in config/ to keep the
// repository's top level to the entries listed in style-and-layout.md section 4.
import neostandard from 'neostandard'

const owners = { imapflow: 'src/imap', ioredis: 'src/store', jose: 'src/auth', undici: 'src/notifications', 'node-cron': 'src/jobs' }

/** Only the owning folder may import each adapter library (architecture.md section 2). */
function restrictedFor (folder) {
  return Object.entries(owners)
    .filter(([, owner]) => owner !== folder)
    .map(([name, owner]) => ({ name, message: `Only ${owner} may import ${name}.` }))
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
  }))
]
