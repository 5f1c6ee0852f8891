export interface AttachmentsTable {
  id: string;
  app_id: string;
  uploader_type: 'visitor' | 'agent' | 'bot';
  uploader_id: string;
  /** Null until a message carries it. */
  message_id: string | null;
  name: string;
  content_type: string;
  size: number;
  data: Buffer;
  created_at: string;
}
