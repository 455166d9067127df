/**
 * The strict rules `JSON.parse` does not apply, checked over a document that has no backslash at
 * all, in one pass that builds no values: no key repeated within an object, nesting no deeper
 * than the limit, integers within ±(2^53-1), finite numbers. Without a backslash nothing is
 * escaped: a string runs to the next quote and reads as it is written, so keys are compared as
 * the text holds them. The caller rules out what this scan does not look for: lone UTF-16
 * surrogates (text decoded from UTF-8 has none) and grammar errors (`JSON.parse` refuses them).
 *
 * Objects of a few members compare each key with the ones before it; larger ones (a manifest's
 * map of 100,000 artifacts) keep where their keys lie in a hash table, so that no key is copied
 * out of the text.
 */

import { QUOTE, COLON, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, MINUS, PLUS, DOT, DIGIT_0, DIGIT_9 } from './json-chars';

/** Keys an object compares pairwise before it keeps them in a set. */
const FEW_MEMBERS = 8;

/** One open object or array: where its first keys lie in the text, or a table of them all. */
interface Frame {
  isObject: boolean;
  members: number;
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  keys: KeyTable | null;
}

/** Reused from call to call: the scan never runs inside another. */
const frames: Frame[] = [];

function openFrame(depth: number, isObject: boolean): void {
  let frame = frames[depth];
  if (frame === undefined) {
    frame = { isObject, members: 0, keyStarts: new Int32Array(FEW_MEMBERS), keyEnds: new Int32Array(FEW_MEMBERS), keys: null };
    frames[depth] = frame;
  }
  frame.isObject = isObject;
  frame.members = 0;
  frame.keys = null;
}

/**
 * Whether `text`, once `JSON.parse` has read it, needs nothing more: false when it holds a
 * backslash (the caller has usually looked already; an index search costs little), repeats a key, nests deeper than `maxDepth` or writes a number a double does not
 * hold exactly (the strict parser then reads it and names the problem).
 */
export function passesUnescapedScan(text: string, maxDepth: number): boolean {
  if (text.indexOf('\\') !== -1) return false;
  const length = text.length;
  let depth = 0;
  let pos = 0;
  let stringStart = 0;
  let stringEnd = 0;
  try {
    while (pos < length) {
      const code = text.charCodeAt(pos);
      if (code === QUOTE) {
        const end = text.indexOf('"', pos + 1);
        if (end === -1) return false;
        stringStart = pos + 1;
        stringEnd = end;
        pos = end + 1;
      } else if (code === COLON) {
        const frame = frames[depth];
        if (depth === 0 || frame === undefined || !frame.isObject || !addKey(frame, text, stringStart, stringEnd)) return false;
        pos++;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        if (++depth > maxDepth) return false;
        openFrame(depth, code === OPEN_BRACE);
        pos++;
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        depth--;
        pos++;
      } else if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) {
        const start = pos;
        let isIntegerLiteral = true;
        for (pos++; pos < length; pos++) {
          const next = text.charCodeAt(pos);
          if (next >= DIGIT_0 && next <= DIGIT_9) continue;
          if (next === DOT || next === 0x65 || next === 0x45 || next === PLUS || next === MINUS) isIntegerLiteral = false;
          else break;
        }
        // Fifteen characters hold neither an integer beyond 2^53-1 nor an infinite number without an exponent.
        if (pos - start > 15 || !isIntegerLiteral) {
          const number = Number(text.slice(start, pos));
          if (isIntegerLiteral ? !Number.isSafeInteger(number) : !Number.isFinite(number)) return false;
        }
      } else {
        pos++;
      }
    }
    return depth === 0;
  } finally {
    // The sets of a large object's keys are not kept past the scan.
    for (let level = 1; level < frames.length; level++) frames[level]!.keys = null;
  }
}

/** Records the key `text[start, end)` in its object; false when the object already has it. */
function addKey(frame: Frame, text: string, start: number, end: number): boolean {
  const count = frame.members;
  if (count < FEW_MEMBERS) {
    const length = end - start;
    for (let i = 0; i < count; i++) {
      const earlier = frame.keyStarts[i]!;
      if (frame.keyEnds[i]! - earlier === length && sameCharacters(text, earlier, start, length)) return false;
    }
    frame.keyStarts[count] = start;
    frame.keyEnds[count] = end;
  } else {
    let keys = frame.keys;
    if (keys === null) {
      keys = new KeyTable(text);
      for (let i = 0; i < FEW_MEMBERS; i++) keys.add(frame.keyStarts[i]!, frame.keyEnds[i]!);
      frame.keys = keys;
    }
    if (!keys.add(start, end)) return false;
  }
  frame.members = count + 1;
  return true;
}

function sameCharacters(text: string, first: number, second: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(first + i) !== text.charCodeAt(second + i)) return false;
  return true;
}

/** The keys of one large object, as spans of the text, in an open-addressing table of their hashes. */
class KeyTable {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private hashes = new Int32Array(64);
  /** Slot to key number plus one; 0 is empty. Kept at most half full. */
  private slots = new Int32Array(128);
  private count = 0;

  constructor(private readonly text: string) {}

  /** Adds the key `text[start, end)`; false when the table already holds it. */
  add(start: number, end: number): boolean {
    const text = this.text;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      const other = entry - 1;
      const otherStart = this.starts[other]!;
      if (this.hashes[other] === hash && this.ends[other]! - otherStart === end - start && sameCharacters(text, otherStart, start, end - start)) return false;
      slot = (slot + 1) & mask;
    }
    const index = this.count++;
    if (index === this.starts.length) this.growEntries();
    this.starts[index] = start;
    this.ends[index] = end;
    this.hashes[index] = hash;
    this.slots[slot] = index + 1;
    if (this.count * 2 > this.slots.length) this.growSlots();
    return true;
  }

  private growEntries(): void {
    const grow = (old: Int32Array) => {
      const bigger = new Int32Array(old.length * 2);
      bigger.set(old);
      return bigger;
    };
    this.starts = grow(this.starts);
    this.ends = grow(this.ends);
    this.hashes = grow(this.hashes);
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = this.hashes[index]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
  }
}
