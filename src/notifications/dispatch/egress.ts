/**
 * Egress policy of notification callbacks: which callback URLs the gateway may POST to.
 *
 * Subscribers choose their callback URL (OMA Notification Channel / NMS subscriptions), so a
 * callback is a server-side request to an address picked by the client: without a policy it is
 * a server-side request forgery (SSRF, OWASP) vector into loopback services, the private network
 * and cloud metadata endpoints (169.254.169.254). Unless the operator allows private callbacks,
 * every address below is refused (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890):
 * loopback, RFC 1918 private, CGNAT (RFC 6598), link-local (RFC 3927, RFC 4291), unique-local
 * (RFC 4193), multicast, reserved, benchmarking (RFC 2544) and the IETF protocol block, plus
 * IPv6 addresses that embed an IPv4 address (IPv4-mapped and -compatible, RFC 4291 section 2.5.5;
 * NAT64 well-known prefix, RFC 6052), judged by the embedded address.
 *
 * The URL is vetted when a subscription is created (`checkCallbackUrl`) and the resolved address
 * is vetted again when each connection opens (`guardedLookup`), so DNS rebinding between the two
 * cannot redirect a callback: the address that was vetted is the one connected to.
 */
import { BlockList, isIP, type LookupFunction } from 'node:net'
import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'

/** Promise-style `dns.promises.lookup` with `all: true`; injectable so tests need no DNS. */
export type LookupAll = (hostname: string, options: LookupAllOptions) => Promise<LookupAddress[]>

/** Operator policy: `allowPrivate` lifts the address checks (lab setups, loopback tests). */
export interface EgressPolicy {
  allowPrivate: boolean
}

/** Outcome of vetting a callback URL; `reason` is one sentence safe to show to the client. */
export type EgressVerdict = { ok: true } | { ok: false, reason: string }

/** Result of the checks that need no DNS: the parsed URL and whether its host is an IP literal. */
export type UrlInspection =
  | { ok: true, url: URL, host: string, literal: boolean }
  | { ok: false, reason: string }

/** `code` of the Error a guarded lookup fails with when the host resolves to a refused address. */
export const EGRESS_REFUSED = 'EGRESS_REFUSED'

const REASON_PRIVATE = 'the callback host resolves to a private or reserved address'
const REASON_LITERAL = 'the callback host is a private or reserved address'

const refusedV4 = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network" (RFC 791); 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space, CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (RFC 3927), cloud metadata endpoints
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments (RFC 6890)
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['224.0.0.0', 4], // multicast (RFC 5771)
  ['240.0.0.0', 4] // reserved (RFC 1112), includes 255.255.255.255 (limited broadcast)
] as const) refusedV4.addSubnet(net, prefix, 'ipv4')

const refusedV6 = new BlockList()
refusedV6.addAddress('::', 'ipv6') // unspecified
refusedV6.addAddress('::1', 'ipv6') // loopback
refusedV6.addSubnet('fc00::', 7, 'ipv6') // unique local (RFC 4193)
refusedV6.addSubnet('fe80::', 10, 'ipv6') // link-local (RFC 4291)
refusedV6.addSubnet('ff00::', 8, 'ipv6') // multicast (RFC 4291)

/**
 * True when a callback must not reach `ip` (unless private callbacks are allowed), and for
 * anything that is not a plain IP literal (zone ids included: they only name scoped addresses).
 */
export function isRefusedAddress (ip: string): boolean {
  switch (isIP(ip)) {
    case 4:
      return refusedV4.check(ip, 'ipv4')
    case 6: {
      if (ip.includes('%')) return true
      let v4: string | undefined
      try {
        v4 = embeddedIPv4(ip)
      } catch {
        return true // fail closed on anything the canonicalisation cannot read
      }
      return v4 !== undefined ? refusedV4.check(v4, 'ipv4') : refusedV6.check(ip, 'ipv6')
    }
    default:
      return true
  }
}

/**
 * The IPv4 address embedded in an IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96) or
 * NAT64 (64:ff9b::/96) IPv6 address, else undefined. The WHATWG URL parser canonicalises the
 * address first (dotted quads become hex groups), so only `::` expansion is left to do here.
 * Throws when the address cannot be read.
 */
function embeddedIPv4 (ip6: string): string | undefined {
  const canonical = new URL(`http://[${ip6}]/`).hostname.slice(1, -1)
  const [head = '', tail] = canonical.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = tail === undefined
    ? left
    : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  const words = groups.map((g) => Number.parseInt(g, 16))
  if (words.length !== 8 || words.some((w) => !Number.isInteger(w))) throw new Error('unreadable IPv6 address')
  const [w0, w1, w2, w3, w4, w5, w6 = 0, w7 = 0] = words
  const zeroHead = w2 === 0 && w3 === 0 && w4 === 0
  const mapped = w0 === 0 && w1 === 0 && zeroHead && w5 === 0xffff
  const compatible = w0 === 0 && w1 === 0 && zeroHead && w5 === 0
  const nat64 = w0 === 0x64 && w1 === 0xff9b && zeroHead && w5 === 0
  if (!mapped && !compatible && !nat64) return undefined
  return [w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff].join('.')
}

/**
 * Checks that need no DNS: the URL parses, uses http or https, has a host, and that host is not a
 * refused IP literal. The WHATWG parser already normalises IPv4 spellings such as `0x7f.1` or
 * `2130706433` to dotted quads, which is the form undici connects to.
 */
export function inspectCallbackUrl (url: string, policy: EgressPolicy): UrlInspection {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { ok: false, reason: 'the callback URL is not a valid absolute URL' }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'the callback URL must use http or https' }
  }
  // IPv6 literals keep their brackets in `hostname`.
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname
  if (host === '') return { ok: false, reason: 'the callback URL has no host' }
  const literal = isIP(host) !== 0
  if (literal && !policy.allowPrivate && isRefusedAddress(host)) return { ok: false, reason: REASON_LITERAL }
  return { ok: true, url: parsed, host, literal }
}

/**
 * Vets a callback URL when a subscription names it: scheme, host, that a host name resolves, and
 * (unless `allowPrivate`) every address it resolves to. Delivery checks the address again at
 * connect time.
 */
export async function checkCallbackUrl (
  url: string, policy: EgressPolicy, lookup: LookupAll = dnsLookup
): Promise<EgressVerdict> {
  const inspected = inspectCallbackUrl(url, policy)
  if (!inspected.ok) return inspected
  if (inspected.literal) return { ok: true }
  // Resolved even when private callbacks are allowed: a name that does not resolve is refused.
  let addresses: LookupAddress[]
  try {
    addresses = await lookup(inspected.host, { all: true, verbatim: true })
  } catch {
    return { ok: false, reason: 'the callback host name does not resolve' }
  }
  if (addresses.length === 0) return { ok: false, reason: 'the callback host name does not resolve' }
  if (!policy.allowPrivate && addresses.some((a) => isRefusedAddress(a.address))) {
    return { ok: false, reason: REASON_PRIVATE }
  }
  return { ok: true }
}

/** Error of a refused connect-time lookup; carries no host name so it can be echoed safely. */
function egressError (): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(REASON_PRIVATE)
  err.code = EGRESS_REFUSED
  return err
}

/**
 * A `dns.lookup` replacement for `net.connect` / undici's `connect.lookup`: resolves every address
 * of the host and fails with code `EGRESS_REFUSED` when any of them is refused (unless
 * `allowPrivate`), so a name re-pointed at a private address after vetting (DNS rebinding) is
 * caught on the connection itself. Supports `options.all` true (Node's autoSelectFamily, RFC 8305)
 * and false. IP literal hosts never reach a lookup, so callers must vet literals themselves
 * (`inspectCallbackUrl`).
 */
export function guardedLookup (policy: EgressPolicy, lookup: LookupAll = dnsLookup): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const query: LookupAllOptions = { all: true, verbatim: true }
    if (options.family !== undefined) query.family = options.family
    if (options.hints !== undefined) query.hints = options.hints
    lookup(hostname, query).then((addresses) => {
      const first = addresses[0]
      if (first === undefined) {
        const err: NodeJS.ErrnoException = new Error('the callback host name does not resolve')
        err.code = 'ENOTFOUND'
        callback(err, '')
        return
      }
      if (!policy.allowPrivate && addresses.some((a) => isRefusedAddress(a.address))) {
        callback(egressError(), '')
        return
      }
      if (options.all === true) callback(null, addresses)
      else callback(null, first.address, first.family)
    }, (err: unknown) => {
      callback(err instanceof Error ? err : new Error(String(err)), '')
    })
  }
}
