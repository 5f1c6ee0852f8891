import { useState } from 'preact/hooks';

/** "Ana María López" → "AM": what an avatar without a photo shows. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');

/**
 * A person's photo, or their initials when there is none or it fails to load (a host page's
 * CSP may refuse it). Decorative: the name is always written beside it.
 */
export function Avatar({ name, url }: { name: string; url: string | null }) {
  const [failed, setFailed] = useState(false);
  return url && !failed ? (
    <img class="avatar" src={url} alt="" referrerpolicy="no-referrer" onError={() => setFailed(true)} />
  ) : (
    <span class="avatar" aria-hidden="true">
      {initials(name)}
    </span>
  );
}
