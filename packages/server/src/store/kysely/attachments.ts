import type { Attachment } from '@parley/sdk/protocol';
import type { Kysely } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database } from '../schema/index.js';
import type { AttachmentStore, NewAttachment } from '../types.js';
import { attachmentPath } from './rows.js';

export class AttachmentQueries implements AttachmentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ring?: KeyRing,
  ) {}

  async create(a: NewAttachment): Promise<Attachment> {
    await this.db
      .insertInto('attachments')
      .values({
        id: a.id,
        app_id: a.appId,
        uploader_type: a.uploader.type,
        uploader_id: a.uploader.id,
        message_id: null,
        name: a.name,
        content_type: a.contentType,
        size: a.data.length,
        // A visitor's file is sealed with their key; the team's with the app's until it is sent
        // (then with the key of the contact it goes to).
        data: !this.ring
          ? a.data
          : a.uploader.type === 'visitor'
            ? await this.ring.sealBytes(a.uploader.id, a.data)
            : await this.ring.sealBytesForApp(a.appId, a.data),
        created_at: a.now,
      })
      .execute();
    return {
      id: a.id,
      name: a.name,
      contentType: a.contentType,
      size: a.data.length,
      path: attachmentPath(a.id, a.name),
    };
  }

  async getData(id: string): Promise<{ attachment: Attachment; data: Buffer } | undefined> {
    const r = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      attachment: {
        id: r.id,
        name: r.name,
        contentType: r.content_type,
        size: Number(r.size),
        path: attachmentPath(r.id, r.name),
      },
      data: Buffer.from(r.data),
    };
  }
}
