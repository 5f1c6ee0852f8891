import { findSecrets } from '@parley/sdk/screening';
import type { Detector, Finding, ScreenInput } from '../types.js';
import { spansToFinding } from './financial.js';

// Every credential format starts with one of these; most messages contain none of them.
const HINTS =
  /begin|akia|asia|aws_|gh[pousr]_|github_pat|glpat|xox|sk_|rk_|aiza|eyj|pass|pwd|clave|contrase|api.?key|secret|token/i;

/** Private keys, cloud and VCS tokens, JWTs, API keys and passwords given in text. */
export const credentialsDetector: Detector = {
  ids: ['secret'],
  detect(input: ScreenInput): Finding[] {
    if (!HINTS.test(input.text)) return [];
    return spansToFinding('secret', 'credentials', findSecrets(input.text));
  },
};
