const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units (how Slack and most receivers count), ending in "…".
 * Never splits a surrogate pair (an emoji) or an HTML entity such as `&amp;` that an escaper
 * produced, since either would render as garbage.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  let cut = max - ELLIPSIS.length;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  let head = text.slice(0, cut);
  head = head.replace(/&[a-zA-Z#0-9]{0,7}$/, '');
  return head + ELLIPSIS;
}

/** One line, no control characters: for subjects, excerpts and other single-line places. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}
