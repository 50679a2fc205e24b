// Generated payloads for the edge: any JSON, prototype-polluting keys, wrong types, huge
// strings, deep nesting, binary, and plausible shapes with one field gone wrong.
import fc from "fast-check";

const EVIL_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
];

/** Strings that tend to break parsers and checks. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom(
    "",
    " ",
    "\0",
    "\u202e",
    "\ud800",
    "group",
    "0",
    "0000000000000001",
    "99999999999999999999",
    "-1",
    "NaN",
    "👍",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "{}",
    ...EVIL_KEYS,
  ),
  // Over the 16 KiB payload limit, or just under it.
  fc.integer({ min: 16 * 1024 - 64, max: 20 * 1024 }).map((n) => "x".repeat(n)),
);

/** Values of every JSON type and a few more (Buffers travel as binary attachments). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  nastyString,
  fc.constantFrom(null, true, false, 0, -0, 1e308, -1, 0.5, Number.MAX_SAFE_INTEGER),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(0)),
);

/** An object with keys that pollute prototypes when code merges it carelessly. */
export const evilObject: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.tuple(fc.constantFrom(...EVIL_KEYS, "content", "room", "id", "to"), anyValue), {
    maxLength: 5,
  })
  .map((entries) => {
    const o: Record<string, unknown> = {};
    // defineProperty, so `__proto__` becomes an own key as JSON.parse would make it.
    for (const [k, v] of entries)
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true });
    return o;
  });

/** Nested arrays and objects, deeper than any schema looks. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 10, max: 300 }), fc.boolean())
  .map(([depth, objects]) => {
    let v: unknown = "bottom";
    // One child per level: a shared child would make the JSON exponentially large.
    for (let i = 0; i < depth; i++) v = objects ? { content: v } : [v];
    return v;
  });

/** The fields our payloads use, each given any value: mostly wrong types, sometimes right. */
const FIELDS = [
  "content",
  "to",
  "room",
  "cid",
  "replyTo",
  "attachments",
  "with",
  "before",
  "after",
  "limit",
  "id",
  "emoji",
  "q",
  "name",
  "kind",
  "topic",
  "members",
  "action",
  "minutes",
  "level",
];
const plausibleValue = fc.oneof(
  anyValue,
  fc.constantFrom("hello", "open", "closed", "kick", "ban", "👍", 5, 100, 101, 0),
  fc.array(anyValue, { maxLength: 12 }),
);
export const shapedObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...FIELDS),
  plausibleValue,
  { maxKeys: 5 },
);

/** A payload for any event. */
export const payload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: shapedObject },
  { weight: 2, arbitrary: anyValue },
  { weight: 1, arbitrary: evilObject },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
