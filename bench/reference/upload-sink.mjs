// Reference for uploads: a bare Node HTTP server that reads each `POST /api/uploads` body to
// its end and throws it away, then answers 201 {upload: {size}}. No parsing, no auth, no
// storage: the floor of memory and CPU that 20 uploads at once cost in a Node process.
// `POST /api/session` hands out a token so the scenario's logins work unchanged.
import http from "node:http";

let users = 0;
const json = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const server = http.createServer((req, res) => {
  if (req.url === "/healthz") return json(res, 200, { status: "ok" });
  if (req.method !== "POST") return json(res, 404, {});
  let size = 0;
  req.on("data", (chunk) => (size += chunk.length));
  req.on("end", () => {
    if (req.url === "/api/session") return json(res, 201, { token: `t${++users}`, user: {} });
    if (req.url === "/api/uploads") return json(res, 201, { upload: { size } });
    json(res, 404, {});
  });
});
server.listen(Number(process.env.PORT || 3000), process.env.HOST || "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port} (upload-sink)\n`);
});
process.on("SIGTERM", () => process.exit(0));
