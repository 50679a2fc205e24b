// The driver's options: --name value, --name=value, or BENCH_NAME in the environment (a
// flag wins over the environment).

export const ALL_SCENARIOS = ["fanout", "ramp", "idle", "private", "rooms", "uploads"];
export const ALL_SERVERS = [
  "ours",
  "tutorial",
  "tuned",
  "private-relay",
  "room-relay",
  "upload-sink",
];

export const DEFAULTS = {
  scenario: ALL_SCENARIOS.join(","),
  server: ALL_SERVERS.join(","),
  duration: 10, // s, fan-out, private and rooms send window
  clients: 1000, // fan-out, ramp, private, rooms
  senders: 10, // fan-out, ramp: how many of the clients send
  rate: 200, // fan-out: group msg/s offered
  drain: 30, // s, max wait after the send window for fan-out, private and rooms
  idleClients: 10000,
  privateRate: 2000, // total private msg/s
  roomSize: 10, // rooms: members per closed room
  roomRate: 500, // rooms: total msg/s
  uploadClients: 20,
  uploadMb: 5, // MB per upload
  uploadPhotos: false, // uploads: a 4000×3000 JPEG photo each (decoded and re-encoded) instead of random bytes
  rampStart: 20, // msg/s
  rampFactor: 1.25,
  rampStep: 3, // s per step
  rampMax: 2000, // msg/s
  rampP99: 100, // ms
  workers: 4, // receiver worker processes (idle: at least one per 1,250 clients)
  loginConcurrency: 50,
  connectConcurrency: 25, // per worker
  pad: 0, // extra content characters per message
  drop: 0, // fan-out: receivers whose sockets are cut halfway through the window
  settle: 1, // s after connecting, before measuring
  warmup: 2, // s of unmeasured load before measuring (JIT, buffers, heap)
  quietWait: 60, // s, total budget for waiting until other processes are quiet
  quietThreshold: 15, // % of a core that other processes may use when we start measuring
  pin: true,
  nice: 0, // run server and generator under `nice -n N` (negative needs root)
  prof: false, // run the server under --cpu-prof (profiles in bench/results/profiles)
  out: "", // results JSON file; default bench/results/bench-<time>.json
  oursScript: "", // another build of our server (e.g. before a change); default dist/server/index.js
  help: false,
};

export function parseOptions(argv) {
  const opts = { ...DEFAULTS };
  const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const snake = (s) => s.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();
  const coerce = (key, v) => {
    if (typeof DEFAULTS[key] === "number") {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`--${key}: not a number: ${v}`);
      return n;
    }
    if (typeof DEFAULTS[key] === "boolean") return !["0", "false", "no", "off"].includes(String(v));
    return String(v);
  };
  for (const key of Object.keys(DEFAULTS)) {
    const env = process.env["BENCH_" + snake(key)];
    if (env !== undefined && env !== "") opts[key] = coerce(key, env);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument: ${arg}`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2);
    if (name.startsWith("no-")) {
      name = name.slice(3);
      value = "false";
    }
    const key = camel(name);
    if (!(key in DEFAULTS)) throw new Error(`unknown option --${name} (see --help)`);
    if (value === undefined) {
      if (typeof DEFAULTS[key] === "boolean") value = "true";
      else value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
    }
    opts[key] = coerce(key, value);
  }
  const aliases = { "fan-out": "fanout", reference: "tutorial", room: "rooms", upload: "uploads" };
  const list = (v, all, what) => {
    const items = v === "all" ? all : v.split(",").map((s) => aliases[s.trim()] ?? s.trim());
    for (const s of items) if (!all.includes(s)) throw new Error(`unknown ${what}: ${s}`);
    return items;
  };
  opts.scenarios = list(opts.scenario, ALL_SCENARIOS, "scenario");
  opts.servers = list(opts.server, ALL_SERVERS, "server");
  return opts;
}

export const HELP = `usage: node bench/run.mjs [options]      (npm run bench -- [options])

  --scenario LIST        ${ALL_SCENARIOS.join(",")} (default: all)
  --server LIST          ${ALL_SERVERS.join(",")} (default: all; each
                         scenario runs ours and the references that match it)
  --duration S           fan-out, private and rooms send window (default 10)
  --clients N            clients in fan-out, ramp, private and rooms (default 1000)
  --senders N            senders among them in fan-out and ramp (default 10)
  --rate R               fan-out offered group msg/s (default 200)
  --drain S              max wait for deliveries after the send window (default 30)
  --idle-clients N       idle scenario users (default 10000)
  --private-rate R       private msg/s in total (default 2000)
  --room-size N          rooms: members per closed room (default 10)
  --room-rate R          rooms: msg/s in total (default 500)
  --upload-clients N     uploads: clients uploading at once (default 20)
  --upload-mb N          uploads: MB per file (default 5)
  --upload-photos        uploads: each file a 4000×3000 JPEG photo (about 5 MB) instead of random bytes
  --ramp-start R         first ramp rate, msg/s (default 20)
  --ramp-factor F        rate multiplier per ramp step (default 1.25), one bisection at the end
  --ramp-step S          seconds per ramp step (default 3)
  --ramp-max R           stop the ramp at this rate (default 2000)
  --ramp-p99 MS          the ramp's latency bound (default 100)
  --workers N            receiver worker processes (default 4)
  --login-concurrency N  logins in flight (default 50)
  --connect-concurrency N  connects in flight per worker (default 25)
  --pad N                extra characters per message content (default 0)
  --drop N               fan-out: cut N receivers' sockets halfway through the window; they
                         reconnect (with Socket.IO connection state recovery where offered)
                         and "lost deliveries" shows whether they got everything (default 0)
  --settle S             pause after connecting, before measuring (default 1)
  --warmup S             unmeasured load before measuring, 0 to skip (default 2)
  --quiet-wait S         total time the run may wait for other processes to go quiet
                         before a measurement (default 60; 0: never wait)
  --quiet-threshold PCT  "quiet": other processes use less than PCT % of a core (default 15)
  --no-pin               do not pin server/generator with taskset
  --nice N               run server and generator in their own session (scheduler
                         autogroup) at nice N, e.g. -10 as root, to shield the
                         measurement from other jobs on the machine (default 0: off)
  --prof                 run the server with --cpu-prof (bench/results/profiles/)
  --out FILE             results JSON (default bench/results/bench-<time>.json)
  --ours-script FILE     run this build of our server as "ours" (e.g. one built before a
                         change, for before/after figures; default dist/server/index.js)
Every option can also be set as BENCH_<NAME> in the environment, e.g. BENCH_DURATION=5.
`;
