import { FairTurns } from "../../server/socket/fair-turns";
import type { ChatSocket } from "../../server/socket/types";

const socket = () => ({ connected: true }) as unknown as ChatSocket;
const nextTurn = () => new Promise((r) => setImmediate(r));

describe("FairTurns", () => {
  it("starts a few events of one socket per turn, the rest later and in order", async () => {
    const turns = new FairTurns(2);
    const flooder = socket();
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) turns.run(flooder, () => ran.push(i));
    expect(ran).toEqual([0, 1]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });

  it("lets another socket's event run at once while one socket's burst waits", () => {
    const turns = new FairTurns(2);
    const [flooder, bystander] = [socket(), socket()];
    const ran: string[] = [];
    for (let i = 0; i < 10; i++) turns.run(flooder, () => ran.push(`f${i}`));
    turns.run(bystander, () => ran.push("b"));
    expect(ran).toEqual(["f0", "f1", "b"]);
  });

  it("keeps a socket's later events behind its waiting ones", async () => {
    const turns = new FairTurns(1);
    const s = socket();
    const ran: number[] = [];
    turns.run(s, () => ran.push(0));
    turns.run(s, () => ran.push(1));
    await nextTurn();
    turns.run(s, () => ran.push(2));
    expect(ran).toEqual([0, 1]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2]);
  });

  it("drops what a socket left waiting when it disconnected", async () => {
    const turns = new FairTurns(1);
    const s = socket();
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) turns.run(s, () => ran.push(i));
    (s as unknown as { connected: boolean }).connected = false;
    await nextTurn();
    await nextTurn();
    expect(ran).toEqual([0]);
  });
});
