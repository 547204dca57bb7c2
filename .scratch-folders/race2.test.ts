import { test } from 'node:test'
import pino from '/work/main/node_modules/pino/pino.js'
import { startTestEnv } from '/work/main/test/helpers/env.js'
import { createGateway } from '/work/main/src/gateway.js'
import { folderClient, imapCreate } from '/work/main/test/integration/folders-helpers.js'

test('race', async () => {
  const FRESH = 'tel:+15550001010'
  const env = await startTestEnv({ boxes: [FRESH] })
  const second = await createGateway(env.makeConfig(), { logger: pino({ level: 'silent' }) })
  try {
    await imapCreate(env, FRESH, Array.from({ length: 20 }, (_, i) => `F${i}`))
    const x = folderClient(env, FRESH)
    const y = folderClient({ ...env, gateway: second }, FRESH)
    const ids = (r: any) => r.body.folderList.folder.map((f: any) => f.path + '=' + f.resourceURL.slice(-4)).join(' ')
    const [a, b] = await Promise.all([x.search({ maxEntries: 100 }), y.search({ maxEntries: 100 })])
    console.log('a ', ids(a)); console.log('b ', ids(b))
    for (let i = 0; i < 3; i++) {
      console.log('x ', ids(await x.search({ maxEntries: 100 })))
      console.log('y ', ids(await y.search({ maxEntries: 100 })))
    }
    const c = await env.imap(FRESH)
    const st = await c.list({ statusQuery: { uidValidity: true } })
    console.log(st.map((m) => `${m.path}:${m.status?.uidValidity}`).join(' '))
    await c.logout()
  } finally { await second.close(); await env.close() }
})
