/**
 * Which URLs Herald will send requests to (issue 14): sync targets, topic webhooks and provider
 * APIs (`outboundUrlRefusal`), and Web Push endpoints (`pushEndpointRefusal`). Pure functions of
 * the URL text and the configuration, so the rules are tested without a network.
 *
 * The outbound rule keeps a tenant from aiming Herald's requests at the network it runs in
 * (SSRF): no credentials in the URL, and no IP literal or name that means "this machine" or a
 * private network. Names are not resolved here — Workers' `fetch` does not reach private
 * addresses through DNS — so the rule is about what the URL itself says. The WHATWG URL parser
 * has already turned decimal, hex and octal IPv4 forms (`http://2130706433/`, `http://0x7f.1/`)
 * into dotted quads and IPv6 into its compressed form by the time the rule looks at the host.
 */
import { ApiError } from "./errors";

/** What the outbound rule allows beyond public https URLs. */
export interface OutboundUrlOptions {
  /**
   * `ALLOW_HTTP_WEBHOOKS` = "true": plain http and loopback hosts (127.0.0.0/8, ::1, `localhost`)
   * are allowed, so a receiver on the developer's own machine can be used. Local development and
   * tests only; private, link-local, CGNAT and unique-local ranges stay refused even then.
   */
  allowHttp: boolean;
}

/** The rule's options from the environment: `ALLOW_HTTP_WEBHOOKS` must be exactly "true". */
export function outboundUrlOptions(env: { ALLOW_HTTP_WEBHOOKS?: string }): OutboundUrlOptions {
  return { allowHttp: env.ALLOW_HTTP_WEBHOOKS === "true" };
}

/** How an IP literal is classed: `public`, `loopback` (allowed in development) or a refused range. */
type AddressClass = "public" | "loopback" | "refused";

/** IPv4 ranges that are never a public receiver: [first octets as a number, prefix length, name]. */
const REFUSED_V4: [number, number, string][] = [
  [0x00000000, 8, "an unspecified (0.0.0.0/8) address"],
  [0x0a000000, 8, "a private (10.0.0.0/8) address"],
  [0x64400000, 10, "a carrier-grade NAT (100.64.0.0/10) address"],
  [0xa9fe0000, 16, "a link-local (169.254.0.0/16) address"],
  [0xac100000, 12, "a private (172.16.0.0/12) address"],
  [0xc0a80000, 16, "a private (192.168.0.0/16) address"],
  [0xe0000000, 3, "a multicast or reserved (224.0.0.0/3) address"],
];

/** The 32-bit value of a dotted-quad IPv4 address, or null when `host` is not one. */
function ipv4Value(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** Classes an IPv4 address (32-bit value); `why` receives the refused range's name. */
function classifyV4(value: number, why: (reason: string) => void): AddressClass {
  if (value >>> 24 === 127) return "loopback";
  for (const [base, bits, name] of REFUSED_V4) {
    if (value >>> (32 - bits) === base >>> (32 - bits)) {
      why(name);
      return "refused";
    }
  }
  return "public";
}

/**
 * The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed), or null when
 * `text` is not one.
 */
function ipv6Groups(text: string): number[] | null {
  let head = text;
  const tail: number[] = [];
  const v4 = head.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const value = ipv4Value(v4[2]!);
    if (value === null) return null;
    head = v4[1]!.endsWith("::") ? v4[1]! : v4[1]!.slice(0, -1);
    tail.push(value >>> 16, value & 0xffff);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const split = (part: string) => (part === "" ? [] : part.split(":"));
  const left = split(halves[0]!);
  const right = halves.length === 2 ? split(halves[1]!) : null;
  if (![...left, ...(right ?? [])].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const known = left.length + (right?.length ?? 0) + tail.length;
  // Without `::` all eight groups are spelled out; with it, `::` stands for at least one.
  if (right === null ? known !== 8 : known > 7) return null;
  const hex = (groups: string[]) => groups.map((g) => parseInt(g, 16));
  return [...hex(left), ...new Array<number>(8 - known).fill(0), ...hex(right ?? []), ...tail];
}

/**
 * Classes an IPv6 address. Forms that carry an IPv4 address — IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) — are judged by that address.
 */
function classifyV6(g: number[], why: (reason: string) => void): AddressClass {
  const refuse = (reason: string): AddressClass => {
    why(reason);
    return "refused";
  };
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return refuse("the unspecified address (::)");
  if (zeroUpTo(7) && g[7] === 1) return "loopback";
  const v4At = (i: number) => g[i]! * 65536 + g[i + 1]!;
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(v4At(6), why);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4At(6), why);
  if (g[0] === 0x2002) return classifyV4(v4At(1), why);
  if ((g[0]! & 0xffc0) === 0xfe80) return refuse("a link-local (fe80::/10) address");
  if ((g[0]! & 0xfe00) === 0xfc00) return refuse("a unique-local (fc00::/7) address");
  if ((g[0]! & 0xff00) === 0xff00) return refuse("a multicast (ff00::/8) address");
  return "public";
}

/**
 * Why Herald must not send requests to `raw`, or null when it may (issue 14; docs/api.md#topics-messages-and-subscriptions, docs/api.md#user-sync).
 * Refused: what does not parse; schemes other than https (http too, unless `allowHttp`);
 * userinfo (`https://user:pass@host`, even an empty `@`); IP literals in unspecified, private
 * (10/8, 172.16/12, 192.168/16), link-local (169.254/16, fe80::/10), CGNAT (100.64/10),
 * unique-local (fc00::/7), multicast or reserved ranges, IPv4 ones in IPv6 clothing included;
 * loopback (127/8, ::1, `localhost`, `*.localhost`) unless `allowHttp`.
 * @returns a sentence for the caller's error, or null.
 */
export function outboundUrlRefusal(raw: string, options: OutboundUrlOptions): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Not an absolute URL.";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && options.allowHttp)) {
    return options.allowHttp ? "Must be an http or https URL." : "Must be an https URL.";
  }
  // An empty `user@` parses to an empty username, so look at the text as well.
  if (url.username || url.password || /^[a-z][a-z\d+.-]*:\/\/[^/?#]*@/i.test(raw.trim())) {
    return "Must not carry credentials (userinfo) before the host.";
  }
  const host = url.hostname.replace(/\.$/, "");
  let reason = "";
  const why = (r: string) => void (reason = r);
  let kind: AddressClass;
  if (host === "localhost" || host.endsWith(".localhost")) kind = "loopback";
  else if (host.startsWith("[")) {
    const groups = ipv6Groups(host.slice(1, -1));
    if (!groups) return "Not an IPv6 address this service can judge.";
    kind = classifyV6(groups, why);
  } else {
    const v4 = ipv4Value(host);
    kind = v4 === null ? "public" : classifyV4(v4, why);
  }
  if (kind === "refused") return `Must not point at ${reason}.`;
  if (kind === "loopback" && !options.allowHttp) return "Must not point at this machine (loopback or localhost).";
  return null;
}

/**
 * Refuses an outbound URL from a request body with 400 `validation_failed` on `path`, saying why.
 * @throws ApiError `validation_failed` when {@link outboundUrlRefusal} refuses it.
 */
export function assertOutboundUrl(raw: string, options: OutboundUrlOptions, path = "url"): void {
  const refusal = outboundUrlRefusal(raw, options);
  if (refusal) throw new ApiError("validation_failed", `The URL is refused: ${refusal}`, { errors: [{ path, message: refusal }] });
}

/**
 * Hosts of the Web Push services browsers subscribe to (issue 14): Chrome/Edge on Android and
 * desktop (FCM), Firefox (Mozilla autopush), Safari (Apple), legacy Edge/Windows (WNS). A leading
 * `*.` matches any subdomain, not the bare domain.
 */
export const PUSH_SERVICE_HOSTS = [
  "fcm.googleapis.com",
  "updates.push.services.mozilla.com",
  "*.push.services.mozilla.com",
  "web.push.apple.com",
  "*.push.apple.com",
  "*.notify.windows.com",
] as const;

/** Parses the var `PUSH_ENDPOINT_HOSTS`: comma-separated hosts, `*.` wildcards, blanks ignored. */
export function extraPushHosts(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
}

/** Whether `host` is `pattern`, or a subdomain of it when the pattern starts with `*.`. */
function hostMatches(host: string, pattern: string): boolean {
  return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
}

/**
 * Why `raw` cannot be a Web Push endpoint, or null when it can: it must be https on port 443, carry
 * no userinfo, and name a host of {@link PUSH_SERVICE_HOSTS} or of `extraHosts` (the var
 * `PUSH_ENDPOINT_HOSTS`). Push services are public, so the outbound rule applies on top.
 */
export function pushEndpointRefusal(raw: string, extraHosts: readonly string[]): string | null {
  const refusal = outboundUrlRefusal(raw, { allowHttp: false });
  if (refusal) return refusal;
  const url = new URL(raw);
  // The URL parser drops the scheme's default port, so any port left is not 443.
  if (url.port !== "") return "Push services listen on port 443.";
  const host = url.hostname.replace(/\.$/, "");
  if (![...PUSH_SERVICE_HOSTS, ...extraHosts].some((pattern) => hostMatches(host, pattern))) {
    return `${host} is not a known push service (FCM, Mozilla, Apple, Windows; PUSH_ENDPOINT_HOSTS adds more).`;
  }
  return null;
}
