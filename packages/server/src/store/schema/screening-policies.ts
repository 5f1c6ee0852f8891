export interface ScreeningPoliciesTable {
  app_id: string;
  /** The policy document, as JSON. */
  document: string;
  updated_at: string;
}
