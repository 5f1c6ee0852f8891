export interface AgentsTable {
  id: string;
  app_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  password_hash: string;
  created_at: string;
}
