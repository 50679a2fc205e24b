// The reaction picker: common reactions, and a search over a small named set.
import { h } from "./dom";
import { t } from "./i18n";
import { createModal } from "./modal";

const EMOJI: [string, string][] = [
  ["👍", "thumbs up yes like"],
  ["❤️", "heart love"],
  ["😂", "laugh joy tears"],
  ["🎉", "party tada celebrate"],
  ["😮", "wow surprised"],
  ["😢", "sad cry"],
  ["🙏", "thanks please pray"],
  ["🔥", "fire hot lit"],
  ["👀", "eyes look"],
  ["✅", "check done yes"],
  ["👎", "thumbs down no"],
  ["😄", "smile happy"],
  ["🤔", "thinking hmm"],
  ["👏", "clap applause"],
  ["💯", "hundred perfect"],
  ["🚀", "rocket ship launch"],
  ["😍", "love eyes heart"],
  ["🙌", "hooray hands"],
  ["😅", "sweat phew"],
  ["🤝", "handshake deal"],
  ["☕", "coffee"],
  ["🍕", "pizza food"],
  ["🎂", "cake birthday"],
  ["🐱", "cat"],
  ["🐶", "dog"],
  ["⭐", "star"],
  ["❌", "cross no"],
  ["😴", "sleep tired"],
  ["🤯", "mind blown"],
  ["💪", "strong muscle"],
];
const COMMON = 10;

/** Opens the picker; `pick` gets the emoji chosen. */
export function pickEmoji(pick: (emoji: string) => void): void {
  const modal = createModal(t.emojiPicker, t.cancel);
  const search = h("input", {
    attrs: { type: "search", "aria-label": t.searchEmoji, placeholder: t.searchEmoji },
  });
  const grid = h("div", { class: "emoji-grid" });
  const render = () => {
    const q = search.value.trim().toLowerCase();
    const shown = q
      ? EMOJI.filter(([e, names]) => e === q || names.includes(q))
      : EMOJI.slice(0, COMMON);
    grid.replaceChildren(
      ...shown.map(([emoji, names]) => {
        const b = h("button", {
          class: "emoji",
          text: emoji,
          attrs: { type: "button", "aria-label": `${emoji} ${names.split(" ")[0]}` },
        });
        b.addEventListener("click", () => {
          modal.dialog.close();
          pick(emoji);
        });
        return b;
      }),
    );
  };
  search.addEventListener("input", render);
  render();
  modal.body.append(search, grid);
  modal.dialog.addEventListener("close", () => modal.dialog.remove());
  modal.dialog.showModal();
  search.focus();
}
