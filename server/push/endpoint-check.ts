// SSRF guard for push endpoints: a subscription names a URL this server will POST to, so it
// must be https: and every address its host resolves to must be public. Checked when a
// subscription is stored and again at connection time (a name may re-resolve elsewhere).
import dns from "node:dns";
import net from "node:net";

// Separate lists: a BlockList also matches IPv4 addresses against IPv6 rules (as mapped).
const BLOCKED_V4 = new net.BlockList();
const BLOCKED_V6 = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local (cloud metadata)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3], // multicast, reserved, broadcast
] as const) {
  BLOCKED_V4.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["::", 96], // IPv4-compatible (deprecated)
  ["64:ff9b::", 96], // NAT64
  ["100::", 64], // discard
  ["2002::", 16], // 6to4 embeds an IPv4 address
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  BLOCKED_V6.addSubnet(prefix, bits, "ipv6");
}

/** Whether an IP address (v4 or v6, no brackets) is one a push service may have. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !BLOCKED_V4.check(address, "ipv4");
  if (family !== 6) return false;
  // IPv4-mapped (::ffff:a.b.c.d in any spelling) is refused whatever it maps to.
  if (new URL(`http://[${address}]/`).hostname.startsWith("[::ffff:")) return false;
  return !BLOCKED_V6.check(address, "ipv6");
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true });

/** The URL of an endpoint, or null when it is not one we would ever POST to. */
export function parseEndpoint(endpoint: string, allowlist: readonly string[]): URL | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (allowlist.includes(url.origin)) return url;
  return url.protocol === "https:" ? url : null;
}

/**
 * Allowed: an endpoint whose origin is in the allowlist, or an https: URL whose host (an IP
 * literal, or every address the name resolves to) is public. A name that does not resolve
 * is refused too.
 */
export async function endpointAllowed(
  endpoint: string,
  allowlist: readonly string[],
  lookup: Lookup = systemLookup,
): Promise<boolean> {
  const url = parseEndpoint(endpoint, allowlist);
  if (!url) return false;
  if (allowlist.includes(url.origin)) return true;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (net.isIP(host)) return isPublicAddress(host);
  const addresses = await lookup(host).catch(() => []);
  return addresses.length > 0 && addresses.every((a) => isPublicAddress(a.address));
}

/**
 * A `lookup` for http(s).request that refuses to connect to a non-public address, so a name
 * that resolved to a public address at subscribe time cannot be re-pointed inside later.
 */
export function guardedLookup(lookup: Lookup = systemLookup): net.LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname).then(
      (found) => {
        const bad = found.find((a) => !isPublicAddress(a.address));
        if (found.length === 0 || bad) {
          const err = Object.assign(new Error(`refused address for ${hostname}`), {
            code: "EPUSHBLOCKED",
          });
          return callback(err, "", 0);
        }
        if ((options as { all?: boolean }).all) {
          return (callback as unknown as (e: null, a: typeof found) => void)(null, found);
        }
        callback(null, found[0].address, found[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}
