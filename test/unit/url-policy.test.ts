/**
 * The outbound URL rule and the push endpoint rule (src/lib/url-policy.ts, issue 14), as pure
 * functions over the runtime's own URL parser: each refused form, with and without the
 * development switch, and the public URLs that stay allowed.
 */
import { describe, expect, it } from "vitest";
import { extraPushHosts, outboundUrlRefusal, pushEndpointRefusal } from "../../src/lib/url-policy";

const production = { allowHttp: false };
const development = { allowHttp: true };

/** Refused everywhere, the development switch included. */
const ALWAYS_REFUSED = [
  "https://user:pass@example.com/hook",
  "https://user@example.com/hook",
  "https://@example.com/hook",
  "https://10.0.0.1/hook",
  "https://10.255.255.255/hook",
  "https://172.16.0.1/hook",
  "https://172.31.255.254/hook",
  "https://192.168.1.1/hook",
  "https://169.254.169.254/latest/meta-data",
  "https://100.64.0.1/hook",
  "https://100.127.255.255/hook",
  "https://0.0.0.0/hook",
  "https://224.0.0.1/hook",
  "https://[::]/hook",
  "https://[fe80::1]/hook",
  "https://[febf::1]/hook",
  "https://[fc00::1]/hook",
  "https://[fd12:3456::1]/hook",
  "https://[ff02::1]/hook",
  // IPv4 in IPv6 clothing: mapped, compatible, NAT64, 6to4.
  "https://[::ffff:10.0.0.1]/hook",
  "https://[::ffff:a9fe:a9fe]/hook",
  "https://[::192.168.0.1]/hook",
  "https://[64:ff9b::a00:1]/hook",
  "https://[2002:c0a8:101::1]/hook",
  // Decimal, hex and octal IPv4 forms, normalised by the URL parser.
  "https://167772161/hook",
  "https://0xa9.0xfe.0xa9.0xfe/hook",
  "https://0300.0250.1.1/hook",
  "https://0xc0a80101/hook",
  "ftp://example.com/file",
  "javascript:alert(1)",
  "not a url",
];

/** Loopback: refused in production, allowed in local development. */
const LOOPBACK = [
  "https://127.0.0.1/hook",
  "https://127.1.2.3/hook",
  "https://2130706433/hook",
  "https://0x7f.1/hook",
  "https://[::1]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://localhost/hook",
  "https://LOCALHOST./hook",
  "https://api.localhost/hook",
];

const PUBLIC = ["https://example.com/hook", "https://93.184.215.14/hook", "https://[2606:4700::1111]/hook", "https://172.32.0.1/x", "https://100.128.0.1/x", "https://hooks.example.com:8443/a?b=c"];

describe("outbound URLs", () => {
  it("refuses userinfo, private, link-local, CGNAT, unique-local, unspecified and non-http forms, development switch or not", () => {
    for (const url of ALWAYS_REFUSED) {
      expect(outboundUrlRefusal(url, production), url).toEqual(expect.any(String));
      expect(outboundUrlRefusal(url, development), url).toEqual(expect.any(String));
    }
  });

  it("refuses loopback and localhost in production, allows them in local development", () => {
    for (const url of LOOPBACK) {
      expect(outboundUrlRefusal(url, production), url).toMatch(/loopback/);
      expect(outboundUrlRefusal(url, development), url).toBeNull();
    }
  });

  it("refuses plain http in production only", () => {
    expect(outboundUrlRefusal("http://example.com/hook", production)).toBe("Must be an https URL.");
    expect(outboundUrlRefusal("http://example.com/hook", development)).toBeNull();
    expect(outboundUrlRefusal("http://127.0.0.1:8080/hook", development)).toBeNull();
  });

  it("allows public https URLs", () => {
    for (const url of PUBLIC) expect(outboundUrlRefusal(url, production), url).toBeNull();
  });

  it("names the range it refused", () => {
    expect(outboundUrlRefusal("https://169.254.169.254/", production)).toBe("Must not point at a link-local (169.254.0.0/16) address.");
    expect(outboundUrlRefusal("https://[fd00::1]/", development)).toBe("Must not point at a unique-local (fc00::/7) address.");
    expect(outboundUrlRefusal("https://100.64.1.1/", development)).toBe("Must not point at a carrier-grade NAT (100.64.0.0/10) address.");
  });
});

describe("push endpoints", () => {
  it("allows the known push services on https port 443", () => {
    for (const url of [
      "https://fcm.googleapis.com/fcm/send/abc:APA91b",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
      "https://eu.push.services.mozilla.com/wpush/v1/gAAAA",
      "https://web.push.apple.com/QGuQyavXut",
      "https://api.push.apple.com/3/device/x",
      "https://wns2-by3p.notify.windows.com/w/?token=x",
      "https://fcm.googleapis.com:443/fcm/send/x",
    ]) {
      expect(pushEndpointRefusal(url, []), url).toBeNull();
    }
  });

  it("refuses other hosts, other ports, http, userinfo and look-alikes", () => {
    for (const url of [
      "https://example.com/push",
      "https://fcm.googleapis.com:8443/fcm/send/x",
      "http://fcm.googleapis.com/fcm/send/x",
      "https://user@fcm.googleapis.com/fcm/send/x",
      "https://fcm.googleapis.com.evil.example/x",
      "https://evilfcm.googleapis.com/x",
      "https://notify.windows.com/x",
      "https://push.apple.com.evil.example/x",
      "https://10.0.0.1/x",
    ]) {
      expect(pushEndpointRefusal(url, []), url).toEqual(expect.any(String));
    }
  });

  it("extends the list with PUSH_ENDPOINT_HOSTS, exact hosts and *. wildcards", () => {
    const extra = extraPushHosts(" push.example.com , *.push.example.net,, ");
    expect(extra).toEqual(["push.example.com", "*.push.example.net"]);
    expect(pushEndpointRefusal("https://push.example.com/x", extra)).toBeNull();
    expect(pushEndpointRefusal("https://eu.push.example.net/x", extra)).toBeNull();
    expect(pushEndpointRefusal("https://push.example.net/x", extra)).toMatch(/not a known push service/);
    expect(pushEndpointRefusal("https://other.example.com/x", extra)).toMatch(/not a known push service/);
  });
});
