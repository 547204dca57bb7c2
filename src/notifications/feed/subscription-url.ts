/** The absolute URL of a subscription resource (nms-spec-digest.md R18). */
export function subscriptionUrl (ctx: { boxUrl: string }, id: string): string {
  return `${ctx.boxUrl}/subscriptions/${encodeURIComponent(id)}`
}
