/**
 * The characters ids and free text may not hold, the same rules the import checks apply in SQL
 * (modules/imports/checks.ts): a value is what it looks like when it is displayed, matched or written into
 * a file.
 *
 * - Ids: no C0 control (ESC, tab, line breaks…), DEL, C1 control, zero-width or direction mark
 *   (U+200B–U+200F), line or paragraph separator, bidirectional embedding or override (U+2028–U+202E),
 *   invisible operator or isolate (U+2060–U+2069), zero-width no-break space (U+FEFF).
 * - Free text (names, references): no C0 control but tab, DEL, C1 control, or bidirectional embedding,
 *   override or isolate (U+202A–U+202E, U+2066–U+2069).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const idForbidden = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const textForbidden = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why an id cannot be used as it is (the first forbidden character), or null. */
export function idCharacterProblem(value: string): string | null {
  const m = idForbidden.exec(value);
  return m
    ? `contains the character ${codePoint(m[0])} (a control character, line break, tab or invisible mark: ids may hold none)`
    : null;
}

/** Why free text cannot be stored as it is, or null. */
export function textCharacterProblem(value: string): string | null {
  const m = textForbidden.exec(value);
  return m
    ? `contains the character ${codePoint(m[0])} (a control character, line break or direction override: text may hold none but tabs)`
    : null;
}
