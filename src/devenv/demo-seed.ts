/**
 * The demo box: `tel:+15551234567` (IMAP user `+15551234567`) seeded over plain IMAP with a few
 * SMS-like messages and a few emails in several folders, so the demo command and
 * test/integration/demo.test.ts show the same content.
 *
 * SMS-like messages follow the RCC.07 message-store conventions deployed clients read
 * (nms-client-profile.md): `Message-Context: pager-message`, a `text/plain; charset=UTF-8` body,
 * `From`/`To` tel URIs and `Message-Direction`. Seeding goes through IMAP APPEND (RFC 3501
 * section 6.3.11) as the box's own user, exactly as any other IMAP client would store mail, so
 * the gateway sees nothing special about it.
 */
import { ImapFlow } from 'imapflow'

/** The demo box id, as used in NMS URLs (percent-encoded there). */
export const DEMO_BOX = 'tel:+15551234567'
/** IMAP login of the demo box: the boxId without its URI scheme (`NMS_IMAP_USER_TEMPLATE={user}`). */
export const DEMO_IMAP_USER = '+15551234567'
/** The demo box's correspondent. */
export const DEMO_PEER = 'tel:+15557654321'

/**
 * Mailboxes the seed creates (INBOX always exists), parents before children. Delimiter `/`,
 * as the harness Dovecot is configured.
 */
export const DEMO_MAILBOXES = ['Sent', 'RCSMessageStore', 'RCSMessageStore/conv-42'] as const

/** One message to APPEND. */
export interface DemoMessage {
  /** IMAP mailbox path. */
  mailbox: string
  /** RFC 5322 source with CRLF line ends. */
  raw: string
  /** Flags stored with APPEND, e.g. `\Seen`. */
  flags: string[]
  /** INTERNALDATE. */
  date: Date
}

/** Where and as whom to seed. */
export interface SeedTarget {
  host: string
  port: number
  /** IMAP user of the box (the box's own login, not the master user). */
  user: string
  password: string
}

/** What {@link seedDemoBox} stored: mailbox path -> number of messages appended. */
export type SeedSummary = Record<string, number>

const CRLF = '\r\n'

function rfc5322Date (d: Date): string {
  // RFC 5322 section 3.3 date-time; toUTCString gives "Tue, 02 Jan 2024 10:00:00 GMT".
  return d.toUTCString().replace('GMT', '+0000')
}

function lines (...parts: string[]): string {
  return parts.join(CRLF)
}

interface SmsSpec {
  mailbox: string
  from: string
  to: string
  body: string
  seen: boolean
  minutesAgo: number
  id: string
  conversationId?: string
}

function sms (now: Date, s: SmsSpec): DemoMessage {
  const date = new Date(now.getTime() - s.minutesAgo * 60_000)
  const received = s.to === DEMO_BOX
  const raw = lines(
    `From: ${s.from}`,
    `To: ${s.to}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${s.id}@demo.nms.invalid>`,
    'Message-Context: pager-message',
    `Message-Direction: ${received ? 'received' : 'sent'}`,
    ...(s.conversationId === undefined ? [] : [`Conversation-ID: ${s.conversationId}`]),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    s.body,
    ''
  )
  return { mailbox: s.mailbox, raw, flags: s.seen ? ['\\Seen'] : [], date }
}

interface EmailSpec {
  mailbox: string
  from: string
  to: string
  subject: string
  minutesAgo: number
  id: string
  seen: boolean
  body: string[]
}

function email (now: Date, o: EmailSpec): DemoMessage {
  const date = new Date(now.getTime() - o.minutesAgo * 60_000)
  const raw = lines(
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${o.id}@demo.nms.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...o.body,
    ''
  )
  return { mailbox: o.mailbox, raw, flags: o.seen ? ['\\Seen'] : [], date }
}

/** A multipart/mixed email with a small CSV attachment (RFC 2046 section 5.1.3). */
function emailWithAttachment (now: Date): DemoMessage {
  const date = new Date(now.getTime() - 90 * 60_000)
  const boundary = 'demo-boundary-7f3a'
  const csv = 'month,sms,email\r\nJanuary,120,45\r\nFebruary,98,51\r\n'
  const raw = lines(
    'From: "Demo Reports" <reports@example.com>',
    `To: ${DEMO_IMAP_USER}@example.com`,
    'Subject: Monthly usage report',
    `Date: ${rfc5322Date(date)}`,
    'Message-ID: <usage-report@demo.nms.invalid>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Your usage report for the last two months is attached.',
    `--${boundary}`,
    'Content-Type: text/csv; charset=UTF-8; name="usage.csv"',
    'Content-Disposition: attachment; filename="usage.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(csv).toString('base64'),
    `--${boundary}--`,
    ''
  )
  return { mailbox: 'INBOX', raw, flags: [], date }
}

/**
 * The demo messages, dated relative to `now` so the box looks recent.
 *
 * @param now - reference time
 * @returns messages in APPEND order
 */
export function demoMessages (now: Date = new Date()): DemoMessage[] {
  return [
    sms(now, { mailbox: 'INBOX', from: DEMO_PEER, to: DEMO_BOX, body: 'Hi! Are we still on for lunch tomorrow?', seen: true, minutesAgo: 180, id: 'sms-1' }),
    sms(now, { mailbox: 'Sent', from: DEMO_BOX, to: DEMO_PEER, body: 'Yes, noon at the usual place.', seen: true, minutesAgo: 175, id: 'sms-2' }),
    sms(now, { mailbox: 'INBOX', from: DEMO_PEER, to: DEMO_BOX, body: 'Great, see you there \u{1F44B}', seen: false, minutesAgo: 170, id: 'sms-3' }),
    email(now, {
      mailbox: 'INBOX',
      from: '"NMS Gateway" <welcome@example.com>',
      to: `${DEMO_IMAP_USER}@example.com`,
      subject: 'Welcome to the demo box',
      minutesAgo: 240,
      id: 'welcome',
      seen: true,
      body: ['This box is served by nms-imap-gateway from a throwaway Dovecot.', 'Every folder you see over NMS is an IMAP mailbox.']
    }),
    emailWithAttachment(now),
    email(now, {
      mailbox: 'Sent',
      from: `${DEMO_IMAP_USER}@example.com`,
      to: '"NMS Gateway" <welcome@example.com>',
      subject: 'Re: Welcome to the demo box',
      minutesAgo: 230,
      id: 'welcome-reply',
      seen: true,
      body: ['Thanks, looks good.']
    }),
    sms(now, { mailbox: 'RCSMessageStore/conv-42', from: DEMO_PEER, to: DEMO_BOX, body: 'Did you get the photos?', seen: true, minutesAgo: 60, id: 'conv42-1', conversationId: 'conv-42' }),
    sms(now, { mailbox: 'RCSMessageStore/conv-42', from: DEMO_BOX, to: DEMO_PEER, body: 'Yes, thanks!', seen: true, minutesAgo: 55, id: 'conv42-2', conversationId: 'conv-42' }),
    sms(now, { mailbox: 'RCSMessageStore/conv-42', from: DEMO_PEER, to: DEMO_BOX, body: 'Next weekend then?', seen: false, minutesAgo: 5, id: 'conv42-3', conversationId: 'conv-42' })
  ]
}

/**
 * Creates the demo mailboxes and APPENDs {@link demoMessages} as `target.user`. Meant for a
 * fresh, empty box: running it twice stores the messages twice.
 *
 * @returns how many messages went into each mailbox
 */
export async function seedDemoBox (target: SeedTarget, now: Date = new Date()): Promise<SeedSummary> {
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: false,
    // The harness Dovecot listens on loopback only, without TLS.
    doSTARTTLS: false,
    auth: { user: target.user, pass: target.password },
    logger: false
  })
  // Failures surface as rejected commands below; the event only needs a listener.
  client.on('error', () => {})
  await client.connect()
  const summary: SeedSummary = {}
  try {
    for (const path of DEMO_MAILBOXES) await client.mailboxCreate(path)
    for (const m of demoMessages(now)) {
      const res = await client.append(m.mailbox, m.raw, m.flags, m.date)
      if (res === false) throw new Error(`APPEND to ${m.mailbox} failed`)
      summary[m.mailbox] = (summary[m.mailbox] ?? 0) + 1
    }
  } finally {
    await client.logout().catch(() => client.close())
  }
  return summary
}
