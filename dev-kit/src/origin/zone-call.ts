/** What the local stand-in for Cloudflare's zone purge API recorded (see ./cloudflare-api-stub.ts). */
export interface ZoneCall {
  stub: string;
  zoneId: string;
  endpoint: string;
  authorization: string | undefined;
  body: { tags?: string[]; prefixes?: string[] };
  status: number;
}
