// Renders the app icons (PNG) from the logo SVG with Chromium, once; the PNGs are committed.
// Run again only when the logo changes: node scripts/render-icons.mjs
import fs from "node:fs";
import { chromium } from "playwright-core";

const BUBBLE =
  "M9 10.5h14a2.5 2.5 0 0 1 2.5 2.5v7a2.5 2.5 0 0 1-2.5 2.5h-7.5L11 26v-3.5H9A2.5 2.5 0 0 1 6.5 20v-7A2.5 2.5 0 0 1 9 10.5Z";
// "any": the rounded tile as in the favicon; "maskable": full bleed, the bubble inside the
// central 80 % safe zone so any mask shape keeps it whole.
const any = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#5b5bd6"/><path d="${BUBBLE}" fill="#fff"/></svg>`;
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#5b5bd6"/><g transform="translate(16 17.5) scale(0.72) translate(-16 -18.25)"><path d="${BUBBLE}" fill="#fff"/></g></svg>`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox"],
});
for (const [file, svg, size] of [
  ["icon-192.png", any, 192],
  ["icon-512.png", any, 512],
  ["maskable-512.png", maskable, 512],
  ["maskable-192.png", maskable, 192],
]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  fs.writeFileSync(`public/icons/${file}`, await page.screenshot({ omitBackground: true }));
  await page.close();
}
await browser.close();
