/**
 * Request fields the resource services check beyond their schema, the same way for NMS
 * subscriptions and notification channels: a failing field is 400 SVC0002 naming it.
 */
import { invalidInput } from './gateway-error.js'

/** Longest string a client may have echoed back (callbackData, clientCorrelator, tokens). */
const MAX_TEXT_LENGTH = 1024

/** A string echoed back in responses and notifications: bounded, and without control characters. */
export function echoedText (value: string | undefined, part: string): string | undefined {
  if (value === undefined) return undefined
  // eslint-disable-next-line no-control-regex -- control characters are refused in echoed strings
  if (value.length > MAX_TEXT_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) throw invalidInput(part)
  return value
}

/**
 * A whole number of zero or more, given as a number or a numeric string (the specifications'
 * JSON examples quote numbers); undefined when absent or empty.
 */
export function wholeNumber (value: number | string | undefined, part: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = typeof value === 'number' ? value : /^\s*\d{1,12}\s*$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(n) || n < 0) throw invalidInput(part)
  return n
}
