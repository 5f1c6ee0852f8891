import { matchesOf } from '@parley/sdk/screening';
import { type Detector, type Finding, keywords, type ScreenInput } from '../types.js';

const ASKS =
  / (?:(?:send|give|tell|share|dm|text|email|forward|provide) (?:me|us) (?:your |their |his |her |all )?|(?:what is|what s|whats|type in|enter|need|want) your |dame tu |envia(?:me)? tu )(?:full |real |bank |card |credit card |login |account |online banking )?(?:password|passwords|passcode|pin|pin code|ssn|social security number|social security|credit card|card number|cvv|cvc|security code|bank details|bank account|login details|credentials|2fa code|verification code|one time code|otp|mother s maiden name|contrasena|clave|numero de tarjeta) |(?:list|export|dump|scrape|harvest) (?:of |all |the )?(?:your |their )?(?:customers|users|members|subscribers) (?:emails|email addresses|phone numbers|contacts|personal data|data) /;
const ASKED_FOR = keywords([
  'password passwords passcode pin ssn social credit card cvv cvc security bank login credentials 2fa verification otp maiden contrasena clave tarjeta customers users members subscribers',
]);
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
const PHONE = /(?<![\w+])\+?\d[\d ().-]{7,18}\d(?!\w)/g;
// Timestamps in logs look like phone numbers to PHONE: 2026-11-22, 10:00:01.
const DATE_OR_TIME = /\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}/;

/**
 * Harvesting others' data: asking for passwords, card or bank details and other credentials,
 * asking for other people's contact lists, or carrying a list of five or more email addresses
 * or phone numbers.
 */
export const harvestingDetector: Detector = {
  ids: ['data_request', 'contact_list'],
  detect(input: ScreenInput): Finding[] {
    const findings: Finding[] = [];
    if (input.hasAny(ASKED_FOR) && input.matches(ASKS))
      findings.push({ detector: 'data_request', category: 'harvesting', spans: [] });
    if (input.text.includes('@') || input.digits >= 40) {
      const emails = new Set(
        input.text.includes('@') ? matchesOf(EMAIL, input.text).map((m) => m[0].toLowerCase()) : [],
      );
      const phones = new Set(
        input.digits >= 40
          ? matchesOf(PHONE, input.text)
              .filter((m) => !DATE_OR_TIME.test(m[0]))
              .map((m) => m[0].replace(/\D/g, ''))
              .filter((d) => d.length >= 8)
          : [],
      );
      if (emails.size >= 5 || phones.size >= 5) {
        findings.push({ detector: 'contact_list', category: 'harvesting', spans: [] });
      }
    }
    return findings;
  },
};
