import {
  type PolicyClause,
  SCREENING_ACTIONS,
  SCREENING_CATEGORIES,
  type ScreeningAction,
  type ScreeningCategory,
} from '@parley/sdk/protocol';
import { z } from 'zod';
import { DETECTOR_IDS } from './detectors/index.js';

export interface PolicyRule {
  id: string;
  /** A detector id (see DETECTOR_IDS). */
  detector: string;
  action: ScreeningAction;
  category: ScreeningCategory;
  clause: PolicyClause;
  /**
   * The rule applies only to findings at least this sure (0–1). Two rules on one detector give
   * the usual shape: flag in the middle, block only at high confidence, allow below.
   */
  confidence?: number;
}

/** A versioned document of rules. `extends: 'default'` adjusts the default policy by rule id. */
export interface Policy {
  version: string;
  name: string;
  extends?: 'default';
  rules: PolicyRule[];
}

const KUSTOMER = 'Kustomer Acceptable Use Policy (15 February 2020)';
const CRM = 'Customer Connect CRM Acceptable Use Policy (23 May 2025)';
const HOSTING = 'Secure Packet Acceptable Use Policy';

const rule = (
  id: string,
  detector: string,
  action: ScreeningAction,
  category: ScreeningCategory,
  document: string,
  ref: string,
  reason: string,
  confidence?: number,
): PolicyRule => ({
  id,
  detector,
  action,
  category,
  clause: { document, ref, reason },
  ...(confidence !== undefined ? { confidence } : {}),
});

/** The policy every app starts with; its rules cite the seed acceptable use policies. */
export const DEFAULT_POLICY: Policy = {
  version: '2026-11-29.1',
  name: 'Parley default',
  rules: [
    rule(
      'financial.card',
      'card',
      'redact',
      'financial',
      KUSTOMER,
      '§1, content that "includes sensitive financial information"',
      'Card numbers are never sent through chat; only the last four digits are kept.',
    ),
    rule(
      'financial.bank',
      'bank_account',
      'redact',
      'financial',
      KUSTOMER,
      '§1, content that "includes sensitive financial information"',
      'Bank account numbers are never sent through chat; only the last four digits are kept.',
      0.85,
    ),
    rule(
      'financial.bank_possible',
      'bank_account',
      'flag',
      'financial',
      KUSTOMER,
      '§1, content that "includes sensitive financial information"',
      'A nine-digit number that passes the routing checksum, written without saying what it is, is kept for review.',
      0.5,
    ),
    rule(
      'national_id.ssn',
      'national_id',
      'redact',
      'national_id',
      KUSTOMER,
      '§1, content "invasive of another\'s privacy"',
      'Social Security numbers are never sent through chat.',
      0.85,
    ),
    rule(
      'national_id.possible',
      'national_id',
      'flag',
      'national_id',
      KUSTOMER,
      '§1, content "invasive of another\'s privacy"',
      'A number shaped like a Social Security number, without the words that say so, is kept for review.',
      0.5,
    ),
    rule(
      'health.identifier',
      'health_identifier',
      'redact',
      'health',
      KUSTOMER,
      '§1, protected health information under HIPAA without a Business Associate Agreement',
      'Medical record, insurance and prescriber numbers are removed unless the company has a BAA.',
    ),
    rule(
      'health.condition',
      'health_condition',
      'flag',
      'health',
      KUSTOMER,
      '§1, protected health information under HIPAA without a Business Associate Agreement',
      "A person's diagnosis or medication is health information; it is kept for review.",
    ),
    rule(
      'credentials.secret',
      'secret',
      'redact',
      'credentials',
      HOSTING,
      '§1.8, conduct that "may expose … to a security vulnerability"',
      'Passwords, keys and tokens are removed: support never needs them.',
    ),
    rule(
      'malware.code',
      'malicious_code',
      'block',
      'malware',
      CRM,
      '§2.3, "Introduce or distribute viruses, malware … or any other malicious software"',
      'Commands that download and run code, or wipe a system, cannot be sent.',
    ),
    rule(
      'malware.eicar',
      'eicar',
      'block',
      'malware',
      HOSTING,
      '§1.3, "introducing any malicious code into the Services"',
      'The anti-virus test signature is treated as malware.',
    ),
    rule(
      'malware.executable',
      'executable',
      'block',
      'malware',
      HOSTING,
      '§1.3, "introducing any malicious code into the Services"',
      'Programs cannot be attached.',
    ),
    rule(
      'malware.script',
      'script_file',
      'block',
      'malware',
      HOSTING,
      '§1.3, "introducing any malicious code into the Services"',
      'Scripts cannot be attached.',
    ),
    rule(
      'malware.macro',
      'macro_document',
      'block',
      'malware',
      HOSTING,
      '§1.3, "introducing any malicious code into the Services"',
      'Documents with macros cannot be attached.',
    ),
    rule(
      'malware.archive',
      'archive_unsafe',
      'block',
      'malware',
      CRM,
      '§2.3, "Introduce or distribute … malicious software"',
      'Archives that cannot be inspected (encrypted, too deep or too large) cannot be attached.',
    ),
    rule(
      'phishing.link',
      'phishing_link',
      'block',
      'phishing',
      KUSTOMER,
      '§1, content that is "deceptive, fraudulent"',
      'Links that are almost surely phishing (imitating this site or a known brand, or judged so by the phishing model) cannot be sent.',
      0.98,
    ),
    rule(
      'phishing.suspicious',
      'phishing_link',
      'flag',
      'phishing',
      HOSTING,
      '§1.5, "deceitfully collecting … information"',
      'A link that may be phishing (a raw IP or disguised host, a brand on free hosting, credential wording) is kept for review.',
      0.85,
    ),
    rule(
      'spam.wording',
      'spam_wording',
      'flag',
      'spam',
      KUSTOMER,
      '§1, "unauthorized or unsolicited advertising, junk or bulk e-mail"',
      'Text that reads like advertising or spam (by its wording and the spam model) is kept for review.',
      0.9,
    ),
    rule(
      'spam.certain',
      'spam_wording',
      'block',
      'spam',
      CRM,
      '§2.6, "Send spam, bulk emails, or unsolicited advertising"',
      'Text that is almost surely spam (premium-rate prize texts, and the like) is not delivered.',
      0.99,
    ),
    rule(
      'spam.links',
      'link_density',
      'flag',
      'spam',
      CRM,
      '§2.6, "Send spam, bulk emails, or unsolicited advertising"',
      'A message that is mostly links is kept for review.',
    ),
    rule(
      'spam.repeated',
      'repeated_text',
      'block',
      'spam',
      CRM,
      '§2.6, "Send spam, bulk emails, or unsolicited advertising"',
      'The same text sent to many conversations is not delivered again.',
    ),
    rule(
      'flooding.burst',
      'flooding',
      'block',
      'flooding',
      CRM,
      '§2.4, "Overload, flood, or disrupt our Services"',
      'Too many messages in a short time.',
    ),
    rule(
      'harassment.insult',
      'harassment',
      'flag',
      'harassment',
      CRM,
      '§2.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Insults aimed at a person are kept for review.',
    ),
    rule(
      'threat.violence',
      'threat',
      'block',
      'threat',
      CRM,
      '§2.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Threats of violence cannot be sent.',
      0.9,
    ),
    rule(
      'threat.possible',
      'threat',
      'flag',
      'threat',
      CRM,
      '§2.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Wishing someone harm is kept for review.',
      0.5,
    ),
    rule(
      'hate.slur',
      'hate_slur',
      'block',
      'hate',
      CRM,
      '§2.2, "Promote hate speech or discriminatory content"',
      'Slurs against a group of people cannot be sent.',
    ),
    rule(
      'hate.mention',
      'hate_mention',
      'flag',
      'hate',
      KUSTOMER,
      '§1, content "discriminatory based on race, sex, religion, nationality …"',
      'A slur quoted or reported is kept for a person to review.',
    ),
    rule(
      'hate.dehumanising',
      'hate_dehumanising',
      'flag',
      'hate',
      CRM,
      '§2.2, "Promote hate speech or discriminatory content"',
      'Calling a group of people vermin or worse is kept for review.',
    ),
    rule(
      'hate.model',
      'hate_model',
      'flag',
      'hate',
      CRM,
      '§2.2, "Promote hate speech or discriminatory content"',
      'Text about a group of people that the abuse model finds hateful is kept for review.',
      0.75,
    ),
    rule(
      'hate.model_certain',
      'hate_model',
      'block',
      'hate',
      CRM,
      '§2.2, "Promote hate speech or discriminatory content"',
      'Text about a group of people that the abuse model is almost sure is hateful cannot be sent.',
      0.995,
    ),
    rule(
      'harassment.model',
      'abuse_model',
      'flag',
      'harassment',
      CRM,
      '§2.2, "Harass, threaten, abuse, defame, or intimidate any person"',
      'Text the abuse model finds abusive is kept for review.',
      0.75,
    ),
    rule(
      'sexual.content',
      'sexual',
      'flag',
      'sexual',
      KUSTOMER,
      '§1, content that is "obscene, vulgar, pornographic"',
      'Sexual content is kept for review.',
    ),
    rule(
      'profanity.word',
      'profanity',
      'flag',
      'profanity',
      KUSTOMER,
      '§1, content that is "vulgar … offensive, profane"',
      'Profanity is delivered and marked for the agent.',
    ),
    rule(
      'impersonation.staff',
      'staff_claim',
      'flag',
      'impersonation',
      KUSTOMER,
      '§1, content that "impersonates any person or entity, including any of our employees or representatives"',
      'Visitors claiming to be staff are marked for review.',
    ),
    rule(
      'harvesting.request',
      'data_request',
      'flag',
      'harvesting',
      KUSTOMER,
      '§1, "Harvesting or otherwise collecting information about others"',
      'Asking for passwords, card or bank details is kept for review.',
    ),
    rule(
      'harvesting.list',
      'contact_list',
      'flag',
      'harvesting',
      CRM,
      '§2.6, "Harvest or collect email addresses or other personal data without consent"',
      "Lists of other people's addresses or numbers are kept for review.",
    ),
    rule(
      'probing.injection',
      'injection',
      'flag',
      'probing',
      HOSTING,
      '§5, "attempt to test the vulnerability of a … system"',
      'Injection payloads are stored as plain text and marked as probing.',
    ),
    rule(
      'illegal.offer',
      'illegal_offer',
      'block',
      'illegal',
      CRM,
      '§2.1, "Violate any local, national, or international law"',
      'Offers to trade illegal goods cannot be sent.',
    ),
  ],
};

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_.-]{1,64}$/, 'lower-case letters, digits, dot, dash or underscore; at most 64'),
  detector: z.string().refine((d) => DETECTOR_IDS.includes(d), {
    message: `unknown detector; known: ${DETECTOR_IDS.join(', ')}`,
  }),
  action: z.enum(SCREENING_ACTIONS),
  category: z.enum(SCREENING_CATEGORIES),
  clause: z.strictObject({
    document: z.string().min(1).max(200),
    ref: z.string().min(1).max(300),
    reason: z.string().min(1).max(300),
  }),
  confidence: z.number().min(0).max(1).optional(),
});

export const policySchema = z.strictObject({
  version: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  extends: z.literal('default').optional(),
  rules: z.array(ruleSchema).max(200),
});

/** Why a policy document was refused: one line per problem. */
export class PolicyError extends Error {
  constructor(readonly reasons: string[]) {
    super(`the policy is not valid: ${reasons.join('; ')}`);
    this.name = 'PolicyError';
  }
}

/**
 * Detectors that were merged into others, and what a rule naming one means now: the weak-link
 * detector became the lower band of `phishing_link` (issue 13), so a stored policy that names it
 * keeps working instead of falling back to the default.
 */
const MERGED_DETECTORS: Record<string, { detector: string; confidence: number }> = {
  suspicious_link: { detector: 'phishing_link', confidence: 0.75 },
};

function upgraded(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || !Array.isArray((document as Policy).rules)) return document;
  const rules = (document as Policy).rules.map((r) => {
    const merged = typeof r === 'object' && r !== null ? MERGED_DETECTORS[r.detector] : undefined;
    return merged ? { ...r, detector: merged.detector, confidence: r.confidence ?? merged.confidence } : r;
  });
  return { ...document, rules };
}

/** Checks a policy document; throws PolicyError with every reason it is refused. */
export function validatePolicy(document: unknown): Policy {
  const parsed = policySchema.safeParse(upgraded(document));
  if (!parsed.success) {
    throw new PolicyError(parsed.error.issues.map((i) => `${i.path.join('.') || '(policy)'}: ${i.message}`));
  }
  const seen = new Set<string>();
  const reasons: string[] = [];
  for (const r of parsed.data.rules) {
    if (seen.has(r.id)) reasons.push(`rules: rule id "${r.id}" is used twice`);
    seen.add(r.id);
  }
  if (!parsed.data.extends && parsed.data.rules.length === 0) reasons.push('rules: a policy needs at least one rule');
  if (reasons.length) throw new PolicyError(reasons);
  return parsed.data as Policy;
}

/** The rules in force: an adjusting policy replaces default rules by id and adds its own. */
export function effectiveRules(policy: Policy): PolicyRule[] {
  if (policy.extends !== 'default') return policy.rules;
  const own = new Map(policy.rules.map((r) => [r.id, r]));
  const merged = DEFAULT_POLICY.rules.map((r) => own.get(r.id) ?? r);
  const defaults = new Set(DEFAULT_POLICY.rules.map((r) => r.id));
  return [...merged, ...policy.rules.filter((r) => !defaults.has(r.id))];
}
