/**
 * Plays the new-message sound in exactly one tab of this site. Every tab receives the
 * message; the Web Locks API serialises them, and the first to record the message id in
 * localStorage plays it. Without Web Locks (old browsers), each tab decides alone.
 */
export async function notifyOnce(appId: string, messageId: string, play: () => void): Promise<void> {
  const key = `parley:${appId}:notified`;
  const claim = () => {
    try {
      if (localStorage.getItem(key) === messageId) return;
      localStorage.setItem(key, messageId);
    } catch {
      // Storage blocked: this tab cannot coordinate, so it plays.
    }
    play();
  };
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks) await locks.request(`parley:${appId}:notify`, claim);
  else claim();
}

/** A short, soft two-tone chime from Web Audio: no audio file to fetch or allow in the CSP. */
export function chime(): void {
  try {
    const Ctx =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.08, ctx.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.35);
    for (const [freq, at] of [
      [880, 0],
      [1320, 0.09],
    ] as const) {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.25);
    }
    setTimeout(() => void ctx.close(), 600);
  } catch {
    // Autoplay policy or no audio device: a silent notification is fine.
  }
}
