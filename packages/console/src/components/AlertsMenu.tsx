import { Icon } from '@parley/ui';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Alerts, SoundLevel } from '../notify.js';

const LEVELS: [SoundLevel, string][] = [
  ['off', 'Off'],
  ['mine', 'Mine and unassigned'],
  ['all', 'Everything'],
];

/** The navigation's notification settings: sound, the P1 reminder, desktop notifications. */
export function AlertsMenu({ alerts }: { alerts: Alerts }) {
  const open = useSignal(false);
  const root = useRef<HTMLDivElement>(null);
  const settings = alerts.settings.value;
  useEffect(() => {
    if (!open.value) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) {
        open.value = false;
      }
    };
    document.addEventListener('keydown', close);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('pointerdown', close);
    };
  }, [open.value]);
  const permission = alerts.permission.value;
  return (
    <div class="alerts-menu" ref={root}>
      {alerts.soundBlocked.value && settings.sound !== 'off' ? (
        <button type="button" class="button small enable-sound" onClick={() => void alerts.unlock()}>
          <Icon name="bell" /> <span class="nav-name">Enable sound</span>
        </button>
      ) : null}
      <button
        type="button"
        class="nav-button"
        aria-expanded={open.value}
        aria-controls="alerts-panel"
        onClick={() => {
          open.value = !open.value;
        }}
      >
        <Icon name={settings.sound === 'off' && !settings.desktop ? 'bellOff' : 'bell'} />
        <span class="nav-name">Notifications</span>
      </button>
      {open.value ? (
        <section id="alerts-panel" class="popover" aria-label="Notifications">
          <fieldset>
            <legend>Sound</legend>
            {LEVELS.map(([level, label]) => (
              <label key={level} class="check">
                <input
                  type="radio"
                  name="sound"
                  checked={settings.sound === level}
                  onChange={() => {
                    alerts.change({ sound: level });
                    void alerts.unlock();
                  }}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <label class="check">
            <input
              type="checkbox"
              checked={settings.p1Reminder}
              onChange={(e) => alerts.change({ p1Reminder: (e.currentTarget as HTMLInputElement).checked })}
            />{' '}
            Remind me every 2 minutes of an unassigned P1
          </label>
          <button
            type="button"
            class="button small"
            disabled={settings.sound === 'off'}
            onClick={() => alerts.chime(false)}
          >
            Play a test sound
          </button>
          <fieldset>
            <legend>Desktop</legend>
            {permission === 'unsupported' ? (
              <p class="muted small">This browser has no desktop notifications.</p>
            ) : permission === 'denied' ? (
              <p class="muted small">Blocked in this browser's site settings for this page.</p>
            ) : permission === 'granted' ? (
              <label class="check">
                <input
                  type="checkbox"
                  checked={settings.desktop}
                  onChange={(e) => alerts.change({ desktop: (e.currentTarget as HTMLInputElement).checked })}
                />{' '}
                When this tab is in the background
              </label>
            ) : (
              <button type="button" class="button small" onClick={() => void alerts.enableDesktop()}>
                Turn on desktop notifications
              </button>
            )}
          </fieldset>
        </section>
      ) : null}
    </div>
  );
}
