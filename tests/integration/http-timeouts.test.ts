import net from "node:net";
import { HTTP_TIMEOUTS } from "../../server/http/http-server";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("HTTP timeouts against slowloris", () => {
  it("sets headersTimeout and requestTimeout on the server", () => {
    expect(server.chat.httpServer.headersTimeout).toBe(HTTP_TIMEOUTS.headersTimeout);
    expect(server.chat.httpServer.requestTimeout).toBe(HTTP_TIMEOUTS.requestTimeout);
  });

  it(
    "closes a connection that trickles its headers",
    async () => {
      const socket = net.connect(server.port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      const started = Date.now();
      const trickle = setInterval(() => socket.write("X-Slow: 1\r\n"), 1000);
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk.toString()));
      await new Promise<void>((resolve) => socket.once("close", () => resolve()));
      clearInterval(trickle);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(HTTP_TIMEOUTS.headersTimeout - 1000);
      expect(took).toBeLessThan(
        HTTP_TIMEOUTS.headersTimeout + HTTP_TIMEOUTS.connectionsCheckingInterval + 2000,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    },
    HTTP_TIMEOUTS.headersTimeout * 2,
  );
});
