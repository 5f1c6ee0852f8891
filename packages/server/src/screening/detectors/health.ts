import { luhn, matchesOf, type SensitiveSpan } from '@parley/sdk/screening';
import { type Detector, type Finding, keywords, type ScreenInput } from '../types.js';
import { spansToFinding } from './financial.js';

/** A keyword, then the identifier it introduces (which must hold a digit). */
const IDENTIFIERS: [kind: string, label: string, pattern: RegExp, valid?: (id: string) => boolean][] = [
  [
    'mrn',
    'medical record',
    /\b(?:mrn|medical record(?: number| no\.?| #)?)\s*(?:is|:|#)?\s*([A-Z0-9][A-Z0-9-]{4,14})\b/gi,
  ],
  ['npi', 'NPI', /\bnpi(?: number| no\.?| #)?\s*(?:is|:|#)?\s*(\d{10})\b/gi, (id) => luhn(`80840${id}`)],
  [
    'insurance_id',
    'member ID',
    /\b(?:member id|member number|insurance id|insurance number|policy number|subscriber id|medicare(?: number| id)?|medicaid(?: number| id)?|health plan id)\s*(?:is|:|#)?\s*([A-Z0-9][A-Z0-9-]{5,19})\b/gi,
  ],
  ['dea', 'DEA number', /\bdea(?: number| no\.?| #)?\s*(?:is|:|#)?\s*([A-Z]{2}\d{7})\b/gi, deaValid],
];

/** The DEA check digit: (d1 + d3 + d5) + 2·(d2 + d4 + d6), last digit equals d7. */
function deaValid(id: string): boolean {
  const d = [...id.slice(2)].map(Number) as number[];
  return (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10 === d[6];
}

const CONDITION_LIST = [
  'diabetes',
  'cancer',
  'leukemia',
  'lymphoma',
  'tumou?r',
  'hiv',
  'aids',
  'hepatitis [abc]',
  'hepatitis',
  'tuberculosis',
  'epilepsy',
  'schizophrenia',
  'bipolar(?: disorder)?',
  'depression',
  'anxiety disorder',
  'ptsd',
  'adhd',
  'autism',
  'dementia',
  'alzheimer s?',
  'parkinson s?',
  'multiple sclerosis',
  'asthma',
  'copd',
  'hypertension',
  'heart disease',
  'heart failure',
  'kidney disease',
  'chlamydia',
  'gonorrhea',
  'herpes',
  'syphilis',
  'an std',
  'pregnancy',
  'pregnant',
  'chemotherapy',
  'chemo',
  'dialysis',
  'insulin',
  'metformin',
  'prozac',
  'zoloft',
  'xanax',
  'adderall',
  'ritalin',
  'oxycodone',
  'methadone',
  'suboxone',
  'lithium',
  'antidepressants?',
  'opioids?',
  'an eating disorder',
  'anorexia',
  'bulimia',
  'covid(?: 19)?',
];
const CONDITIONS = CONDITION_LIST.join('|');
// The words a condition can start with, plural and optional suffixes stripped.
const CONDITION_WORDS = keywords(
  CONDITION_LIST.map((c) => c.replace(/\(\?:[^)]*\)\??|\[[^\]]*\]|\?/g, '').replace(/s$/, '')),
  ['antidepressants', 'opioids', 'tumour', 'tumor', 'alzheimers', 'parkinsons', 'diabetes', 'aids', 'herpes'],
);
const PERSON = `(?:i|im|i m|ive|i ve|he|she|they|hes|shes|he s|she s|my (?:son|daughter|wife|husband|mother|mom|father|dad|brother|sister|child|kid|partner|friend|patient|client)|his (?:son|daughter|wife|mother|father)|her (?:son|daughter|husband|mother|father)|the patient|patient|our patient|mr [a-z]+|mrs [a-z]+|ms [a-z]+)`;
const VERB = `(?:was |is |has been |have been |had been |got |been |just )?(?:diagnosed with|suffers from|suffering from|treated for|being treated for|prescribed|taking|takes|on|has|have|had|with)`;
const CONDITION_WITH_PERSON = new RegExp(` ${PERSON} (?:[a-z]+ ){0,3}?${VERB} (?:[a-z]+ ){0,2}?(?:${CONDITIONS}) `);

/**
 * Protected health information: identifiers only next to the word that says what they are
 * (medical record, NPI with its check digit, insurance member ids, DEA numbers with theirs), and
 * diagnoses or medications said of a person ("my wife was diagnosed with diabetes").
 */
export const healthDetector: Detector = {
  ids: ['health_identifier', 'health_condition'],
  detect(input: ScreenInput): Finding[] {
    const findings: Finding[] = [];
    if (
      input.digits > 0 &&
      /mrn|medical|npi|member|insurance|policy|subscriber|medica|health plan|dea/i.test(input.text)
    ) {
      const spans: SensitiveSpan[] = [];
      for (const [kind, label, pattern, valid] of IDENTIFIERS) {
        for (const m of matchesOf(pattern, input.text)) {
          const id = m[1]!;
          if (!/\d/.test(id) || (valid && !valid(id.toUpperCase()))) continue;
          const start = m.index + m[0].length - id.length;
          spans.push({ start, end: start + id.length, kind, replacement: `[${label}]` });
        }
      }
      findings.push(...spansToFinding('health_identifier', 'health', spans));
    }
    if (input.hasAny(CONDITION_WORDS) && input.matches(CONDITION_WITH_PERSON)) {
      findings.push({ detector: 'health_condition', category: 'health', spans: [] });
    }
    return findings;
  },
};
