import { type Detector, type Finding, keywords, type ScreenInput } from '../types.js';

const GOODS =
  '(?:cocaine|heroin|meth|methamphetamine|fentanyl|mdma|ecstasy|lsd|ketamine|counterfeit (?:money|bills|notes|goods|bags)|fake (?:passports?|ids?|id cards|driver s licen[cs]es?|diplomas?|banknotes)|stolen (?:credit cards?|cards|accounts|identities|data|goods)|cvv|cvvs|fullz|dumps|credit card dumps|guns? without (?:a )?licen[cs]e|untraceable guns?|ghost guns?|hacked accounts|ransomware as a service|cocaina|heroina|pasaportes falsos)';
const OFFER = new RegExp(
  ` (?:sell|selling|sells|buy|buying|for sale|cheap|order|ship|shipping|supply|supplying|vendo|compro|vendemos) (?:[a-z]+ ){0,3}?${GOODS} | ${GOODS} (?:for sale|available|in stock|shipped|delivered|a la venta) `,
);

const GOODS_WORDS = keywords([
  'cocaine heroin meth methamphetamine fentanyl mdma ecstasy lsd ketamine counterfeit fake stolen cvv cvvs fullz dumps guns gun untraceable ghost hacked ransomware cocaina heroina pasaportes',
]);

/** Offers to sell or buy what is illegal to trade: drugs, forged documents, stolen cards, weapons. */
export const illegalDetector: Detector = {
  ids: ['illegal_offer'],
  detect(input: ScreenInput): Finding[] {
    return input.hasAny(GOODS_WORDS) && input.matches(OFFER)
      ? [{ detector: 'illegal_offer', category: 'illegal', spans: [] }]
      : [];
  },
};
