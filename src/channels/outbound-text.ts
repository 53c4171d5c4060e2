// The words of an outbound message for providers that send text: its text, with a link card's URL
// when the text does not already name it, split to the provider's length limit.
import type { MessageContent } from './adapter.js';

/** The text to send; empty when the message has none. */
export function textOf(content: MessageContent): string {
  const url = content.kind === 'link' && content.link && !content.text?.includes(content.link.url) ? content.link.url : undefined;
  return [content.text?.trim(), url].filter(Boolean).join('\n');
}

/** `text` in pieces of at most `size` characters, never splitting a surrogate pair. */
export function splitText(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
