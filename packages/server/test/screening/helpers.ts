import type { Detector, ScreenContext } from '../../src/screening/types.js';
import { ScreenInput } from '../../src/screening/types.js';

export const VISITOR: ScreenContext = { role: 'visitor', appDomains: ['shop.example.com'], appName: 'Acme' };

/** The detector ids a detector reports for a text. */
export function ids(detector: Detector, text: string, context: ScreenContext = VISITOR): string[] {
  return detector.detect(new ScreenInput(text, context)).map((f) => f.detector);
}

/** The original text under each span the detector reports. */
export function matched(detector: Detector, text: string, context: ScreenContext = VISITOR): string[] {
  return detector.detect(new ScreenInput(text, context)).flatMap((f) => f.spans.map((s) => text.slice(s.start, s.end)));
}
