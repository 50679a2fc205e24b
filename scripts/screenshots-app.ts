// The installed app for docs/screenshots: the chat page as it shows in its own window
// (display: standalone, no browser UI), and a push notification over it. The window frame
// and the notification card are drawn here, around a real screenshot of the page; the
// notification's text is what the server's push payload says for a real message.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { Message } from "../common/events";
import { roomConv } from "../server/conversations/conversation";
import { pushPayload } from "../server/push/payload";
import type { RoomRecord } from "../server/store/room-store";

const ICON = path.resolve(__dirname, "../public/icons/icon-192.png");
const THEME = { light: "#f5f6fa", dark: "#15171c" } as const;
const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export async function shootApp(
  browser: Browser,
  page: Page,
  out: string,
  pushed: { message: Message; room: RoomRecord },
): Promise<void> {
  const icon = `data:image/png;base64,${fs.readFileSync(ICON).toString("base64")}`;
  const payload = pushPayload(pushed.message, roomConv(pushed.room));
  const frame = await browser.newPage({
    viewport: { width: 1240, height: 820 },
    deviceScaleFactor: 2,
  });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1200, height: 740 });
    await new Promise((r) => setTimeout(r, 250));
    const shot = (await page.screenshot({ scale: "css" })).toString("base64");
    const dark = scheme === "dark";
    const notification = `<div class="note"><img src="${icon}" alt=""><div>
      <p class="t">${esc(payload.title)}</p><p class="b">${esc(payload.body)}</p>
      <p class="o">Group chat · localhost</p></div></div>`;
    for (const [name, extra] of [
      ["app", ""],
      ["notification", notification],
    ]) {
      await frame.setContent(`<style>
        body{margin:0;padding:20px;background:${dark ? "#30343c" : "#c9ced8"};font:14px system-ui,sans-serif}
        .win{width:1200px;border-radius:10px;overflow:hidden;box-shadow:0 10px 40px rgb(0 0 0/35%)}
        .bar{height:36px;display:flex;align-items:center;gap:8px;padding:0 12px;background:${THEME[scheme]};color:${dark ? "#e6e8ee" : "#1c2030"}}
        .bar img{width:18px;height:18px}.bar span{flex:1}.dots{letter-spacing:6px;opacity:.6}
        .win>img{display:block;width:1200px}
        .note{position:fixed;right:36px;bottom:36px;width:340px;display:flex;gap:12px;padding:14px;border-radius:12px;background:${dark ? "#2b2f38" : "#fff"};color:${dark ? "#e6e8ee" : "#1c2030"};box-shadow:0 8px 30px rgb(0 0 0/35%)}
        .note img{width:40px;height:40px;border-radius:8px}.note p{margin:0}.t{font-weight:700}.b{margin-top:2px!important}.o{margin-top:6px!important;font-size:12px;opacity:.6}
      </style><div class="win"><div class="bar"><img src="${icon}" alt=""><span>Group chat</span><b class="dots">— ▢ ✕</b></div><img src="data:image/png;base64,${shot}" alt=""></div>${extra}`);
      await frame.screenshot({ path: path.join(out, `${name}-desktop-${scheme}.png`) });
    }
  }
  await frame.close();
}
