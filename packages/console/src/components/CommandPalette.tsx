import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

/** One thing the palette can do: its words, the key that does it too, and the action. */
export interface Command {
  id: string;
  label: string;
  /** Shown on the right, e.g. "g i" or "r". */
  keys?: string;
  /** Extra words it is found by (a contact's email, say). */
  hint?: string;
  run(): void;
}

/**
 * Ctrl/⌘ K (UX.md §1.9): every action and every conversation by typing a few letters of it;
 * arrows move, Enter runs, Esc closes and focus goes back where it was.
 */
export function CommandPalette({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const query = useSignal('');
  const active = useSignal(0);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    d.showModal();
    return () => d.close();
  }, []);
  const words = query.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = commands
    .filter((c) => {
      const hay = `${c.label} ${c.hint ?? ''}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .slice(0, 12);
  const index = Math.min(active.value, Math.max(0, shown.length - 1));
  const run = (c: Command | undefined) => {
    if (!c) return;
    dialog.current?.close();
    c.run();
  };
  return (
    <dialog ref={dialog} class="palette" aria-label="Command palette" onClose={onClose}>
      <input
        class="palette-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[index] ? `palette-${shown[index]!.id}` : undefined}
        aria-label="Type a command or a contact"
        placeholder="Type a command or a contact…"
        value={query.value}
        onInput={(e) => {
          query.value = (e.currentTarget as HTMLInputElement).value;
          active.value = 0;
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            active.value = Math.min(index + 1, shown.length - 1);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            active.value = Math.max(index - 1, 0);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(shown[index]);
          }
        }}
      />
      <div id="palette-list" class="palette-list" role="listbox" aria-label="Commands">
        {shown.map((c, i) => (
          // The input keeps focus and names the active option (aria-activedescendant).
          <div
            key={c.id}
            id={`palette-${c.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === index}
            class={i === index ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault();
              run(c);
            }}
          >
            <span class="palette-label">{c.label}</span>
            {c.hint ? <span class="muted small">{c.hint}</span> : null}
            {c.keys ? <kbd>{c.keys}</kbd> : null}
          </div>
        ))}
        {shown.length === 0 ? <p class="muted palette-empty">Nothing matches.</p> : null}
      </div>
    </dialog>
  );
}
