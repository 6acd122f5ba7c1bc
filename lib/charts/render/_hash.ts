/**
 * FNV-1a, 32-bit, over the UTF-16 code units of `text`, as 8 hex digits: a
 * content-derived name that is the same in every session (Fowler, Noll and
 * Vo; the offset basis and prime are the published 32-bit parameters).
 */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
