import type { Detector } from '../types.js';
import { abuseDetector } from './abuse.js';
import { credentialsDetector } from './credentials.js';
import { financialDetector, nationalIdDetector } from './financial.js';
import { harvestingDetector } from './harvesting.js';
import { healthDetector } from './health.js';
import { illegalDetector } from './illegal.js';
import { impersonationDetector } from './impersonation.js';
import { learnedAbuseDetector } from './learned.js';
import { linksDetector } from './links.js';
import { malwareDetector } from './malware.js';
import { probingDetector } from './probing.js';
import { spamDetector } from './spam.js';

/** The text detectors, cheapest first. Each skips a text it cannot apply to in one check. */
export const TEXT_DETECTORS: readonly Detector[] = [
  financialDetector,
  nationalIdDetector,
  credentialsDetector,
  malwareDetector,
  probingDetector,
  linksDetector,
  spamDetector,
  harvestingDetector,
  healthDetector,
  abuseDetector,
  learnedAbuseDetector,
  impersonationDetector,
  illegalDetector,
];

/** Detectors that look at more than one text: files, repetition across conversations, bursts. */
export const OTHER_DETECTOR_IDS = [
  'executable',
  'script_file',
  'macro_document',
  'archive_unsafe',
  'repeated_text',
  'flooding',
] as const;

/** Every detector id a policy rule may name. */
export const DETECTOR_IDS: readonly string[] = [...TEXT_DETECTORS.flatMap((d) => d.ids), ...OTHER_DETECTOR_IDS];
