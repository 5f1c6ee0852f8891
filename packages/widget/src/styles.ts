/**
 * The widget's CSS, adopted into its shadow root as constructable stylesheets: no <style>
 * element and no style attribute, so it runs under a CSP without 'unsafe-inline', and the host
 * page's CSS cannot reach in (nor ours out).
 */

// `all: initial !important` on the host: the host page's `* { all: … }` or a huge inherited
// font stops at our boundary; inside, every size is in px.
export const LAUNCHER_CSS = `
:host{all:initial!important}
.root{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;-webkit-font-smoothing:antialiased}
.root *,.root *::before,.root *::after{box-sizing:border-box}
[hidden]{display:none!important}
.launcher{position:fixed;bottom:20px;right:20px;z-index:var(--parley-z);display:inline-flex;align-items:center;justify-content:center;gap:8px;height:56px;min-width:56px;padding:0;margin:0;border:0;border-radius:28px;background:var(--parley-accent);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(17,24,39,.28);font-weight:600;font-size:15px;line-height:1;font-family:inherit}
.labelled{padding:0 18px 0 15px}
.launcher:focus-visible{outline:3px solid #111827;outline-offset:3px}
.root[data-position=left] .launcher{right:auto;left:20px}
.launcher svg{width:26px;height:26px;flex:none;fill:currentColor}
.launcher .badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b91c1c;color:#fff;font-weight:700;font-size:12px;line-height:22px;font-family:inherit;text-align:center;box-shadow:0 0 0 2px #fff}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (prefers-reduced-motion:no-preference){.launcher{transition:transform .15s ease}.launcher:hover{transform:scale(1.05)}}
`;

/** Theme from the app's settings. Values are validated before they get here (hex colour, integer). */
export function themeCss(accent: string, zIndex: number): string {
  return `:host{--parley-accent:${accent};--parley-z:${zIndex}}`;
}
