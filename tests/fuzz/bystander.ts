// The witnesses of a fuzz run: a sender whose messages a bystander must keep receiving, every
// one exactly once and in order, whatever the fuzzer throws at the server meanwhile.
import { expect } from "@jest/globals";
import { ErrorCodes, type Message } from "../../common/events";
import { eventually, historyOf, joinChat, sendOk, type Client } from "../support/clients";

/** Codes an ack may carry when nothing is broken: `internal` means an exception escaped. */
export const SOCKET_CODES = new Set<string>([
  ErrorCodes.invalid,
  ErrorCodes.unknownRecipient,
  ErrorCodes.rateLimited,
  ErrorCodes.notFound,
  ErrorCodes.forbidden,
  ErrorCodes.nameTaken,
]);

/** Why an ack breaks the contract, or null. */
export function badAck(ack: unknown): string | null {
  if (typeof ack !== "object" || ack === null) return `ack is not an object: ${String(ack)}`;
  const a = ack as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (a.ok === true) return null;
  if (a.ok !== false || typeof a.error !== "object" || a.error === null) {
    return `malformed ack ${JSON.stringify(ack)}`;
  }
  const keys = Object.keys(a.error).sort().join();
  if (keys !== "code,message" || typeof a.error.message !== "string") {
    return `malformed error ${JSON.stringify(a.error)}`;
  }
  if (!SOCKET_CODES.has(String(a.error.code))) return `code ${String(a.error.code)}`;
  if (STACK.test(a.error.message)) return `a stack in ${a.error.message}`;
  return null;
}

/** What leaks of an exception look like: stack frames, file paths. */
export const STACK = /(\bat \S+ \(|node_modules|\.[tj]s:\d+:\d+|\/work\/|TypeError|RangeError)/;

export class Witnesses {
  private sent: string[] = [];
  private constructor(
    readonly url: string,
    readonly sender: Client,
    readonly bystander: Client,
    private readonly since: string,
  ) {}

  static async start(url: string): Promise<Witnesses> {
    const sender = await joinChat(url);
    const bystander = await joinChat(url);
    const first = await sendOk(sender.socket, { content: "start" });
    return new Witnesses(url, sender, bystander, first.id);
  }

  /** The sender sends one more group message (acked ok). */
  async ping(): Promise<void> {
    const m = await sendOk(this.sender.socket, { content: `ping ${this.sent.length}` });
    this.sent.push(m.id);
  }

  /**
   * The bystander got every sender message exactly once in order, every group message the
   * history holds since the start exactly once, and nothing it may not read.
   */
  async verify(): Promise<void> {
    const mine = () => this.bystander.received.filter((m) => m.from.id === this.sender.user.id);
    await eventually(() => mine().length >= this.sent.length + 1, 10_000);
    expect(mine().map((m) => m.id)).toEqual([this.since, ...this.sent]);
    const stored = await this.groupSince();
    await eventually(() => this.groupReceived().length >= stored.length, 10_000);
    expect(this.groupReceived().map((m) => m.id)).toEqual(stored.map((m) => m.id));
    for (const m of this.bystander.received) {
      const readable =
        m.room === "group" ||
        m.to?.id === this.bystander.user.id ||
        m.from.id === this.bystander.user.id;
      expect({ id: m.id, readable }).toEqual({ id: m.id, readable: true });
    }
  }

  private groupReceived(): Message[] {
    return this.bystander.received.filter((m) => m.room === "group" && m.id >= this.since);
  }

  private async groupSince(): Promise<Message[]> {
    const all: Message[] = [];
    let after = String(BigInt(this.since) - 1n).padStart(this.since.length, "0");
    for (;;) {
      const page = await historyOf(this.bystander.socket, { after, limit: 100 });
      all.push(...page);
      if (page.length < 100) return all;
      after = page[page.length - 1].id;
    }
  }

  close(): void {
    this.sender.socket.disconnect();
    this.bystander.socket.disconnect();
  }
}
