// Sentences of the catalogues with user-given names in them ("Replying to <name>"), cut into
// parts so every name can be shown in its own isolated element (`<bdi>`): a right-to-left
// nickname or room name then never reorders the words of the sentence around it. Used by the
// browser (built with DOM calls) and the server-rendered pages (EJS, escaped).

/** A run of the sentence's own text, or one of the names put into it. */
export type SentencePart = { text: string } | { name: string };

// Private-use characters: never in a catalogue's text, so they only ever mark where a name goes.
const slot = (i: number) => `\uE000${i}\uE001`;
const SLOT = /\uE000(\d+)\uE001/g;

/** `template(...names)` as parts, each name a part of its own, in the order the sentence has them. */
export function sentenceParts<A extends string[]>(
  template: (...args: A) => string,
  ...names: A
): SentencePart[] {
  const text = template(...(names.map((_, i) => slot(i)) as A));
  const parts: SentencePart[] = [];
  let last = 0;
  for (const m of text.matchAll(SLOT)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at) });
    parts.push({ name: names[Number(m[1])] });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * A name isolated inside plain text (a placeholder, a page title, a notification), where no
 * element can hold it: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE around it.
 */
export function isolatedText(name: string): string {
  return `\u2068${name}\u2069`;
}
