import { skeleton } from '../normalize.js';
import { type Detector, type Finding, keywords, type ScreenInput } from '../types.js';

const STAFF_WORDS = [
  'support',
  'admin',
  'administrator',
  'staff',
  'official',
  'moderator',
  'helpdesk',
  'security team',
  'billing team',
  'soporte',
];
const STAFF_SKELETONS = STAFF_WORDS.map((w) => skeleton(w));
const CLAIM =
  / (?:this is|it s|its|i am|i m|im|we are|we re|soy|somos) (?:[a-z]+ ){0,3}?(?:from|with|at|of|de) (?:the )?(?:support|customer support|customer service|technical support|tech support|security|billing|the team|help desk|helpdesk|soporte|atencion al cliente)(?: team)? | (?:i am|i m|im|this is|soy) (?:an? |the |el |la )?(?:admin|administrator|moderator|staff member|support agent|employee|owner|official representative|administrador) (?:(?:of|at|from|de) (?:this|the|este|esta) (?:site|app|platform|service|company|website|sitio|empresa)|here) | official (?:support|customer service|account|team) /;

const CLAIM_WORDS = keywords([
  'support service security billing team desk helpdesk admin administrator moderator staff employee owner official representative soporte administrador cliente',
]);

/**
 * A visitor claiming to be staff or the operator: in the message ("this is Sam from support"),
 * or in a display name whose skeleton holds a staff word or the app's name ("Ѕuррort",
 * "Acme Admin"), however it is spelled. Agents are staff and are not checked.
 */
export const impersonationDetector: Detector = {
  ids: ['staff_claim'],
  detect(input: ScreenInput): Finding[] {
    if (input.context.role !== 'visitor') return [];
    const name = input.context.senderName;
    let claims = input.hasAny(CLAIM_WORDS) && input.matches(CLAIM);
    if (!claims && name) {
      const s = skeleton(name);
      const app = input.context.appName ? skeleton(input.context.appName) : '';
      claims = STAFF_SKELETONS.some((w) => s.includes(w)) || (app.length >= 4 && s.includes(app));
    }
    return claims ? [{ detector: 'staff_claim', category: 'impersonation', spans: [] }] : [];
  },
};
