/**
 * Callback egress policy: the refused address ranges (IPv4, IPv6, embedded IPv4), URL vetting
 * with an injected resolver, and the connect-time lookup guard against DNS rebinding.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns'
import { checkCallbackUrl, guardedLookup, isRefusedAddress, type LookupAll } from '../../../src/notifications/dispatch/egress.js'

const DENY = { allowPrivate: false }
const ALLOW = { allowPrivate: true }

/** A resolver answering `addresses` for every name, recording each query. */
function fixedLookup (...addresses: string[]): LookupAll & { calls: Array<[string, LookupAllOptions]> } {
  const calls: Array<[string, LookupAllOptions]> = []
  const fn = async (hostname: string, options: LookupAllOptions): Promise<LookupAddress[]> => {
    calls.push([hostname, options])
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return Object.assign(fn, { calls })
}

/** A resolver failing like getaddrinfo for an unknown name. */
const notFound: LookupAll = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
}

/** A resolver the test must never reach (IP literals and pre-DNS refusals). */
const noLookup: LookupAll = async () => { throw new Error('lookup must not be called') }

/** Runs a callback-style lookup and returns what it called back with. */
function runLookup (
  fn: ReturnType<typeof guardedLookup>, hostname: string, options: LookupOptions
): Promise<{ err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number | undefined }> {
  return new Promise((resolve) => {
    fn(hostname, options, (err, address, family) => { resolve({ err, address, family }) })
  })
}

describe('isRefusedAddress', () => {
  it('refuses the special-purpose IPv4 ranges, edges included', () => {
    const refused = [
      '0.0.0.0', '0.255.255.255', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.255', '127.0.0.1', '127.255.255.254',
      '169.254.169.254', '169.254.0.1', '172.16.0.0', '172.31.255.255', '192.0.0.1', '192.0.0.255', '192.168.0.1', '192.168.255.255',
      '198.18.0.0', '198.19.255.255', '224.0.0.1', '239.255.255.255', '240.0.0.1', '255.255.255.254', '255.255.255.255'
    ]
    assert.deepEqual(refused.filter((ip) => !isRefusedAddress(ip)), [])
  })
  it('allows public IPv4 addresses next to the refused ranges', () => {
    const allowed = [
      '1.1.1.1', '8.8.8.8', '93.184.216.34', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '126.255.255.255', '128.0.0.0',
      '169.253.255.255', '169.255.0.0', '172.15.255.255', '172.32.0.0', '192.0.1.1', '192.167.255.255', '192.169.0.0', '198.17.255.255',
      '198.20.0.0', '223.255.255.255'
    ]
    assert.deepEqual(allowed.filter((ip) => isRefusedAddress(ip)), [])
  })
  it('refuses the special-purpose IPv6 ranges', () => {
    const refused = ['::', '::1', 'fc00::1', 'fdff:ffff::1', 'fe80::1', 'febf:ffff::1', 'ff02::1', 'ff0e::1', 'FE80::ABCD']
    assert.deepEqual(refused.filter((ip) => !isRefusedAddress(ip)), [])
    assert.deepEqual(['2606:4700:4700::1111', '2001:4860:4860::8888', 'fbff:ffff::1', 'fec0::1'].filter((ip) => isRefusedAddress(ip)), [])
  })
  it('judges IPv4-mapped, IPv4-compatible and NAT64 addresses by the embedded IPv4 address', () => {
    const refused = [
      '::ffff:10.0.0.1', '::ffff:7f00:1', '::ffff:127.0.0.1', '::FFFF:A9FE:A9FE', '::ffff:0.0.0.0', '0:0:0:0:0:ffff:c0a8:101',
      '::127.0.0.1', '::a00:1', '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b::'
    ]
    assert.deepEqual(refused.filter((ip) => !isRefusedAddress(ip)), [])
    assert.deepEqual(['::ffff:93.184.216.34', '::ffff:5db8:d822', '64:ff9b::93.184.216.34', '1::ffff:a00:1'].filter((ip) => isRefusedAddress(ip)), [])
  })
  it('refuses anything that is not a plain IP literal', () => {
    const junk = ['', 'localhost', 'example.com', '1.2.3', '256.1.1.1', '01.2.3.4', ' 8.8.8.8', '[::1]', '[2606:4700::1]', 'fe80::1%eth0', '2606:4700::1%1', '::ffff:1.2.3']
    assert.deepEqual(junk.filter((ip) => !isRefusedAddress(ip)), [])
  })
})

describe('checkCallbackUrl', () => {
  it('refuses private and reserved IP literals without resolving anything', async () => {
    const urls = [
      'http://127.0.0.1/cb', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/', 'http://[::ffff:10.0.0.1]/',
      'https://100.64.0.1/', 'http://224.0.0.1/', 'http://0.0.0.0/', 'http://255.255.255.255/', 'http://[fe80::1]/', 'http://[64:ff9b::7f00:1]/',
      // Alternative IPv4 spellings the URL parser normalises to 127.0.0.1 / 0.0.0.0.
      'http://0x7f.1/', 'http://2130706433/', 'http://0/'
    ]
    for (const url of urls) {
      const v = await checkCallbackUrl(url, DENY, noLookup)
      assert.deepEqual(v, { ok: false, reason: 'the callback host is a private or reserved address' }, url)
    }
  })
  it('allows public IP literals, IPv4 and bracketed IPv6', async () => {
    for (const url of ['http://93.184.216.34/', 'https://93.184.216.34:8443/notify?x=1', 'http://[2606:4700:4700::1111]/cb']) {
      assert.deepEqual(await checkCallbackUrl(url, DENY, noLookup), { ok: true }, url)
    }
  })
  it('refuses other schemes, unparsable URLs and URLs without a host', async () => {
    const cases: Array<[string, RegExp]> = [
      ['ftp://93.184.216.34/cb', /http or https/],
      ['file:///etc/passwd', /http or https/],
      ['gopher://93.184.216.34/', /http or https/],
      ['javascript:alert(1)', /http or https/],
      ['not a url', /not a valid absolute URL/],
      ['/relative/path', /not a valid absolute URL/],
      ['http://', /not a valid absolute URL/],
      ['http://[::1/', /not a valid absolute URL/]
    ]
    for (const [url, reason] of cases) {
      const v = await checkCallbackUrl(url, ALLOW, noLookup)
      assert.equal(v.ok, false, url)
      assert.match(v.ok ? '' : v.reason, reason, url)
    }
  })
  it('resolves host names with all: true and verbatim: true and allows public answers', async () => {
    const lookup = fixedLookup('93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946')
    assert.deepEqual(await checkCallbackUrl('https://callback.example.com/nms', DENY, lookup), { ok: true })
    assert.deepEqual(lookup.calls, [['callback.example.com', { all: true, verbatim: true }]])
  })
  it('refuses a host name any of whose addresses is private', async () => {
    for (const answer of [['127.0.0.1'], ['93.184.216.34', '10.1.2.3'], ['2606:4700::1', '::1'], ['::ffff:169.254.169.254']]) {
      const v = await checkCallbackUrl('http://callback.example.com/', DENY, fixedLookup(...answer))
      assert.deepEqual(v, { ok: false, reason: 'the callback host resolves to a private or reserved address' }, answer.join(','))
    }
  })
  it('refuses a host name that does not resolve, whatever the policy', async () => {
    for (const policy of [DENY, ALLOW]) {
      assert.deepEqual(await checkCallbackUrl('http://nowhere.invalid/', policy, notFound), { ok: false, reason: 'the callback host name does not resolve' })
      assert.deepEqual(await checkCallbackUrl('http://nowhere.invalid/', policy, fixedLookup()), { ok: false, reason: 'the callback host name does not resolve' })
    }
  })
  it('allows private addresses when the operator allows private callbacks', async () => {
    assert.deepEqual(await checkCallbackUrl('http://127.0.0.1:8080/', ALLOW, noLookup), { ok: true })
    assert.deepEqual(await checkCallbackUrl('http://[::1]/', ALLOW, noLookup), { ok: true })
    assert.deepEqual(await checkCallbackUrl('http://intranet.local/', ALLOW, fixedLookup('10.0.0.5')), { ok: true })
  })
  it('never echoes URL credentials or the host in a reason', async () => {
    for (const url of ['http://alice:s3cret@10.0.0.1/', 'ftp://alice:s3cret@example.com/', 'http://alice:s3cret@private.example.com/']) {
      const v = await checkCallbackUrl(url, DENY, fixedLookup('192.168.1.1'))
      assert.equal(v.ok, false)
      assert.doesNotMatch(v.ok ? '' : v.reason, /alice|s3cret|example/)
    }
  })
})

describe('guardedLookup', () => {
  it('answers like dns.lookup for all: true and all: false', async () => {
    const lookup = fixedLookup('93.184.216.34', '2606:2800:220:1::1')
    const all = await runLookup(guardedLookup(DENY, lookup), 'callback.example.com', { all: true, family: 0 })
    assert.equal(all.err, null)
    assert.deepEqual(all.address, [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }])
    const one = await runLookup(guardedLookup(DENY, lookup), 'callback.example.com', { family: 4, hints: 32 })
    assert.equal(one.err, null)
    assert.equal(one.address, '93.184.216.34')
    assert.equal(one.family, 4)
    assert.deepEqual(lookup.calls[1], ['callback.example.com', { all: true, verbatim: true, family: 4, hints: 32 }])
  })
  it('fails with EGRESS_REFUSED when any resolved address is refused', async () => {
    for (const all of [true, false]) {
      const r = await runLookup(guardedLookup(DENY, fixedLookup('93.184.216.34', '169.254.169.254')), 'callback.example.com', { all })
      assert.equal(r.err?.code, 'EGRESS_REFUSED')
      assert.doesNotMatch(r.err?.message ?? '', /callback\.example\.com/)
    }
  })
  it('lets private addresses through when private callbacks are allowed', async () => {
    const r = await runLookup(guardedLookup(ALLOW, fixedLookup('127.0.0.1')), 'localhost', { all: true })
    assert.equal(r.err, null)
    assert.deepEqual(r.address, [{ address: '127.0.0.1', family: 4 }])
  })
  it('passes resolver failures through, and fails an empty answer as ENOTFOUND', async () => {
    assert.equal((await runLookup(guardedLookup(DENY, notFound), 'nowhere.invalid', { all: true })).err?.code, 'ENOTFOUND')
    assert.equal((await runLookup(guardedLookup(ALLOW, fixedLookup()), 'nowhere.invalid', { all: false })).err?.code, 'ENOTFOUND')
  })
  it('catches DNS rebinding: vetted as public, re-resolved as private at connect time', async () => {
    let answers = 0
    const rebinding: LookupAll = async () => [{ address: answers++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]
    assert.deepEqual(await checkCallbackUrl('http://rebind.example.com/cb', DENY, rebinding), { ok: true })
    const r = await runLookup(guardedLookup(DENY, rebinding), 'rebind.example.com', { all: true })
    assert.equal(r.err?.code, 'EGRESS_REFUSED')
    assert.equal(answers, 2)
  })
})
