import { test } from 'node:test'
import pino from '/work/main/node_modules/pino/pino.js'
import { startTestEnv } from '/work/main/test/helpers/env.js'
import { createGateway } from '/work/main/src/gateway.js'
import { folderClient, imapCreate } from '/work/main/test/integration/folders-helpers.js'
import { RedisStore } from '/work/main/src/store/redis-store.js'

test('race', async () => {
  const FRESH = 'tel:+15550001010'
  const env = await startTestEnv({ boxes: [FRESH] })
  const second = await createGateway(env.makeConfig(), { logger: pino({ level: 'silent' }) })
  try {
    await imapCreate(env, FRESH, Array.from({ length: 20 }, (_, i) => `F${i}`))
    const c = await env.imap(FRESH)
    const x = folderClient(env, FRESH)
    const y = folderClient({ ...env, gateway: second }, FRESH)
    const [a, b] = await Promise.all([x.search({ maxEntries: 100 }), y.search({ maxEntries: 100 })])
    const a2 = await x.search({ maxEntries: 100 })
    console.log(a2.body.folderList.folder.map((f: any) => f.path + ' ' + f.resourceURL.slice(-22)).join(' '))
    const st2 = await c.list({ statusQuery: { uidValidity: true } })
    console.log(st2.map((m) => `${m.path}:${m.status?.uidValidity}`).join(' '))
    await c.logout()
    const store = new RedisStore(env.redis!.url, 'nms', pino({ level: 'silent' }))
    await store.ready()
    const recs = await store.folders.list(FRESH)
    console.log(recs.length, recs.map((r) => `${r.path}:${r.uidValidity}:${r.id}`).sort().join('\n'))
    console.log(a.body.folderList.folder.map((f: any) => f.path + ' ' + f.resourceURL.slice(-22)).join('\n'))
    console.log(b.body.folderList.folder.map((f: any) => f.path + ' ' + f.resourceURL.slice(-22)).join('\n'))
    await store.close()
  } finally { await second.close(); await env.close() }
})
