import { signal } from '@preact/signals';

/** What makes a sound (UX.md §1.10): nothing, what is mine or unassigned, or everything. */
export type SoundLevel = 'off' | 'mine' | 'all';

export interface AlertSettings {
  sound: SoundLevel;
  /** A reminder every 2 minutes while a P1 is unassigned and unanswered. */
  p1Reminder: boolean;
  /** Desktop notifications when this tab is hidden (the browser's permission is asked separately). */
  desktop: boolean;
}

const DEFAULTS: AlertSettings = { sound: 'mine', p1Reminder: true, desktop: false };

/** One thing worth an agent's attention. */
export interface Alert {
  /** One notification per conversation: a newer one replaces the older. */
  conversationId: string;
  title: string;
  body: string;
  urgent: boolean;
  /** Whether it concerns the agent (theirs, or nobody's yet): 'mine' sounds only for these. */
  mine: boolean;
  /** Opens the conversation (a click on the notification). */
  open(): void;
}

/**
 * Sound and desktop notifications for the console. One tab alone alerts (a Web Lock elects
 * it; the next tab takes over when it closes); nothing sounds for the conversation open in a
 * visible tab. Browsers play audio only after a gesture: until then `soundBlocked` is set and
 * the page offers "Enable sound".
 */
export class Alerts {
  readonly settings = signal<AlertSettings>(DEFAULTS);
  /** Sound is on but the browser holds it until the agent clicks or types. */
  readonly soundBlocked = signal(false);
  readonly permission = signal<NotificationPermission | 'unsupported'>(
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  private leader = false;
  private readonly coalescing = new Map<string, { alert: Alert; timer: ReturnType<typeof setTimeout> }>();
  private audio: AudioContext | null = null;
  private readonly key: string;
  private readonly release: AbortController = new AbortController();

  constructor(agentId: string) {
    this.key = `parley.alerts.${agentId}`;
    try {
      this.settings.value = { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(this.key) ?? '{}') as object) };
    } catch {
      // Unreadable settings: the defaults.
    }
    if (typeof navigator.locks?.request === 'function') {
      void navigator.locks
        .request(`${this.key}.leader`, { signal: this.release.signal }, () => {
          this.leader = true;
          return new Promise<void>((resolve) => this.release.signal.addEventListener('abort', () => resolve()));
        })
        .catch(() => undefined);
    } else this.leader = true;
    this.soundBlocked.value = this.settings.value.sound !== 'off';
    const unlock = () => void this.unlock();
    addEventListener('pointerdown', unlock, { signal: this.release.signal });
    addEventListener('keydown', unlock, { signal: this.release.signal });
  }

  change(change: Partial<AlertSettings>): void {
    this.settings.value = { ...this.settings.value, ...change };
    try {
      localStorage.setItem(this.key, JSON.stringify(this.settings.value));
    } catch {
      // Kept for this page only.
    }
    if (this.settings.value.sound !== 'off' && this.audio?.state !== 'running') this.soundBlocked.value = true;
  }

  /** Asks for the browser's permission (only ever from a button), then turns desktop alerts on. */
  async enableDesktop(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.permission.value = await Notification.requestPermission();
    this.change({ desktop: this.permission.value === 'granted' });
  }

  /** Within a click or key press: lets the page play sound from now on. */
  async unlock(): Promise<void> {
    if (this.settings.value.sound === 'off') return;
    try {
      this.audio ??= new AudioContext();
      if (this.audio.state !== 'running') await this.audio.resume();
      this.soundBlocked.value = this.audio.state !== 'running';
    } catch {
      this.soundBlocked.value = true;
    }
  }

  /**
   * Alerts (or not) for one event, after the rules above. Events about one conversation that
   * come together (a new conversation, its first message, its incident) make one alert: the
   * last, or the urgent one.
   */
  alert(alert: Alert, openHere: boolean): void {
    if (!this.leader) return;
    // Whether the agent sees it is decided when it arrives.
    const visible = document.visibilityState === 'visible' && document.hasFocus();
    if (openHere && visible) return;
    const waiting = this.coalescing.get(alert.conversationId);
    if (waiting) {
      clearTimeout(waiting.timer);
      if (waiting.alert.urgent && !alert.urgent) alert = waiting.alert;
    }
    const timer = setTimeout(() => {
      this.coalescing.delete(alert.conversationId);
      this.fire(alert, visible);
    }, 250);
    this.coalescing.set(alert.conversationId, { alert, timer });
  }

  private fire(alert: Alert, visible: boolean): void {
    const { sound, desktop } = this.settings.value;
    if (sound === 'all' || (sound === 'mine' && alert.mine)) this.chime(alert.urgent);
    if (desktop && !visible && this.permission.value === 'granted') {
      const n = new Notification(alert.title, { body: alert.body, tag: alert.conversationId });
      n.onclick = () => {
        focus();
        alert.open();
        n.close();
      };
    }
  }

  /** The P1 reminder: the urgent sound, from the alerting tab, unless sound is off. */
  remind(): void {
    if (this.leader && this.settings.value.sound !== 'off') this.chime(true);
  }

  /** Two soft notes; an urgent one is three higher, sharper ones. */
  chime(urgent: boolean): void {
    const audio = this.audio;
    if (!audio || audio.state !== 'running') return;
    const notes = urgent ? [988, 1319, 988] : [660, 880];
    const start = audio.currentTime + 0.01;
    notes.forEach((frequency, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = urgent ? 'triangle' : 'sine';
      osc.frequency.value = frequency;
      const at = start + i * 0.14;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.12);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.13);
    });
  }

  close(): void {
    for (const { timer } of this.coalescing.values()) clearTimeout(timer);
    this.release.abort();
    void this.audio?.close();
  }
}
