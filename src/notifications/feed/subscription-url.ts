/** The absolute URL of a subscription resource (OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C section 6.18). */
export function subscriptionUrl (ctx: { boxUrl: string }, id: string): string {
  return `${ctx.boxUrl}/subscriptions/${encodeURIComponent(id)}`
}
