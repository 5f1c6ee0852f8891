import { Icon } from '@parley/ui';
import { useEffect, useRef } from 'preact/hooks';

/** Every keyboard shortcut, as the `?` dialog lists them (UX.md §1.9). */
export const SHORTCUTS: [group: string, keys: [keys: string[], action: string][]][] = [
  [
    'Moving around',
    [
      [['j'], 'Next conversation'],
      [['k'], 'Previous conversation'],
      [['/'], 'Search'],
      [['g', 'i'], 'Go to Needs reply'],
      [['g', 'm'], 'Go to Mine'],
      [['g', 'u'], 'Go to Unassigned'],
      [['g', 'p'], 'Go to Incidents'],
      [['g', 'q'], 'Go to the review queue (admins)'],
      [['Esc'], 'Leave the composer, then close the conversation'],
    ],
  ],
  [
    'In a conversation',
    [
      [['r'], 'Reply'],
      [['n'], 'Internal note'],
      [['Enter'], 'Send (Shift+Enter: new line)'],
      [['i'], 'Assign to me'],
      [['e'], 'Resolve'],
      [['1', '2', '3'], 'Priority P1, P2, P3 (incidents)'],
      [[']'], 'Details beside the thread'],
    ],
  ],
  [
    'Help',
    [
      [['?'], 'This list'],
      [['Ctrl', 'K'], 'Command palette: every action and conversation by name (⌘ K on a Mac)'],
    ],
  ],
];

/** The shortcuts, in a modal dialog: Esc or Close returns focus to where it was. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    d.showModal();
    return () => d.close();
  }, []);
  return (
    <dialog ref={dialog} class="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <header class="drawer-header">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" class="button ghost" aria-label="Close" onClick={() => dialog.current?.close()}>
          <Icon name="x" />
        </button>
      </header>
      <div class="shortcut-groups">
        {SHORTCUTS.map(([group, keys]) => (
          <section key={group} aria-label={group}>
            <h3>{group}</h3>
            <dl>
              {keys.map(([k, action]) => [
                <dt key={`k-${action}`}>
                  {k.map((key, i) => (
                    <span key={key}>
                      {i > 0 ? (k[0] === 'g' ? ' then ' : ' ') : null}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </dt>,
                <dd key={`a-${action}`}>{action}</dd>,
              ])}
            </dl>
          </section>
        ))}
      </div>
      <p class="muted small">Single keys work outside text fields.</p>
    </dialog>
  );
}
