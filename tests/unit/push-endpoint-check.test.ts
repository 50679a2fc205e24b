import { endpointAllowed, isPublicAddress } from "../../server/push/endpoint-check";

describe("push endpoint check", () => {
  it("knows public addresses from loopback, private, link-local, unique-local and mapped ones", () => {
    for (const a of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "2a00:1450:4001::200e"]) {
      expect([a, isPublicAddress(a)]).toEqual([a, true]);
    }
    for (const a of [
      "127.0.0.1",
      "127.255.0.9",
      "10.0.0.1",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
      "::ffff:8.8.8.8",
      "0:0:0:0:0:ffff:7f00:1",
      "fe80::1",
      "fd00::1",
      "fc00::1",
      "ff02::1",
      "64:ff9b::a00:1",
      "2002:a00:1::",
      "not an address",
    ]) {
      expect([a, isPublicAddress(a)]).toEqual([a, false]);
    }
  });

  it("checks every address a name resolves to; allowlisted origins skip the check", async () => {
    const lookup = async (host: string) =>
      host === "ok.test"
        ? [{ address: "8.8.8.8", family: 4 }]
        : [
            { address: "8.8.8.8", family: 4 },
            { address: "::1", family: 6 },
          ];
    expect(await endpointAllowed("https://ok.test/x", [], lookup)).toBe(true);
    expect(await endpointAllowed("https://half.test/x", [], lookup)).toBe(false);
    expect(await endpointAllowed("http://ok.test/x", [], lookup)).toBe(false);
    expect(await endpointAllowed("http://127.0.0.1:9/x", ["http://127.0.0.1:9"], lookup)).toBe(
      true,
    );
    expect(await endpointAllowed("http://127.0.0.1:8/x", ["http://127.0.0.1:9"], lookup)).toBe(
      false,
    );
  });
});
