import type { Detector, Finding, ScreenInput } from '../types.js';

/**
 * Injection payloads sent to see what breaks. They are stored as the inert text they are (the
 * store binds parameters, the widget never renders HTML) and flagged as probing.
 */
const PAYLOADS: RegExp[] = [
  // SQL
  /'\s*(?:or|and)\s+(?:'[^']{0,20}'|\d+|true)\s*(?:=|like)\s*(?:'[^']{0,20}'?|\d+|true)/i,
  /\bunion\s+(?:all\s+)?select\b/i,
  /;\s*(?:drop|truncate|delete\s+from|insert\s+into|update\s+\w+\s+set|shutdown)\b/i,
  /'\s*\)?\s*;?\s*--/,
  /\b(?:sleep|pg_sleep|benchmark)\s*\(\s*\d+/i,
  /\bwaitfor\s+delay\s+'/i,
  /\bxp_cmdshell\b|\binformation_schema\b/i,
  // Script and markup
  /<\s*script\b/i,
  /\bjavascript\s*:/i,
  /<[^>]{0,100}\bon(?:error|load|click|mouseover|focus|toggle|animationstart)\s*=/i,
  /<\s*(?:iframe|object|embed|svg|math)\b/i,
  // Templates and expressions
  /\{\{[^}]{0,100}(?:\d\s*[*+]\s*\d|__class__|constructor|config|self)[^}]{0,100}\}\}/,
  /\$\{\s*(?:\d+\s*[*+]\s*\d+|jndi:|env:|java:)/i,
  /<%=?[^%]{0,200}%>/,
  /#\{\s*\d+\s*[*+]\s*\d+\s*\}/,
  // Paths and commands
  /(?:\.\.[/\\]){2,}|(?:%2e%2e(?:%2f|%5c|\/)){2,}|\.\.%c0%af/i,
  /\/etc\/(?:passwd|shadow|hosts)\b|\bc:\\windows\\(?:win\.ini|system32)/i,
  /(?:;|\|\||&&|\|)\s*(?:cat|ls|id|whoami|uname|wget|curl|nc|ping)\b[^\n]{0,40}(?:\/|-[a-z])/i,
  /\$\(\s*(?:id|whoami|cat|uname|curl|wget)\b/i,
];
const HINT = /['<>{}$%;|&`\\]|\.\.\/|union|select|javascript|sleep|waitfor|xp_|information_schema/i;

export const probingDetector: Detector = {
  ids: ['injection'],
  detect(input: ScreenInput): Finding[] {
    if (!HINT.test(input.text)) return [];
    const spans = PAYLOADS.flatMap((pattern) => {
      const m = pattern.exec(input.text);
      return m ? [{ start: m.index, end: m.index + m[0].length }] : [];
    });
    return spans.length ? [{ detector: 'injection', category: 'probing', spans }] : [];
  },
};
