export interface ScreeningVerdictsTable {
  id: string;
  app_id: string;
  /** `message`, `incident`, `attachment`, `name` or `rate`. */
  surface: string;
  sender_type: 'visitor' | 'agent' | 'bot';
  sender_id: string;
  action: 'redact' | 'flag' | 'block';
  /** JSON arrays of the categories and rule ids that applied. */
  categories: string;
  rules: string;
  /** SHA-256 of the screened content, hex: lets an auditor match a copy without storing it. */
  content_hash: string;
  created_at: string;
}
