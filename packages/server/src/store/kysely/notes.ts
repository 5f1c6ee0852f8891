import type { MessageScreening, Note } from '@parley/sdk/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { Database, NotesTable } from '../schema/index.js';
import type { NewNote, NoteStore } from '../types.js';

function toNote(row: Selectable<NotesTable>): Note {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    author: { type: row.author_type, id: row.author_id, name: row.author_name },
    text: row.text,
    createdAt: row.created_at,
    ...(row.screening ? { screening: JSON.parse(row.screening) as MessageScreening } : {}),
  };
}

export class NoteQueries implements NoteStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ring?: KeyRing,
  ) {}

  async create(note: NewNote): Promise<Note> {
    const row: Selectable<NotesTable> = {
      id: note.id,
      app_id: note.appId,
      conversation_id: note.conversationId,
      author_type: note.author.type === 'bot' ? 'bot' : 'agent',
      author_id: note.author.id,
      author_name: note.author.name,
      text: note.text,
      screening: note.screening ? JSON.stringify(note.screening) : null,
      created_at: note.now,
    };
    await this.db
      .insertInto('notes')
      .values({ ...row, text: await this.sealed(note, row.text) })
      .execute();
    return toNote(row);
  }

  /** The note's text sealed with the key of the conversation's contact. */
  private async sealed(note: NewNote, text: string): Promise<string> {
    if (!this.ring) return text;
    const owner = await this.db
      .selectFrom('conversations')
      .select('visitor_id')
      .where('app_id', '=', note.appId)
      .where('id', '=', note.conversationId)
      .executeTakeFirst();
    return owner ? this.ring.sealText(owner.visitor_id, text) : text;
  }

  async list(appId: string, conversationId: string, query: { after?: string; limit: number }): Promise<Note[]> {
    let q = this.db
      .selectFrom('notes')
      .selectAll()
      .where('app_id', '=', appId)
      .where('conversation_id', '=', conversationId);
    if (query.after) q = q.where('id', '>', query.after);
    const rows = await q.orderBy('created_at').orderBy('id').limit(query.limit).execute();
    return rows.map(toNote);
  }
}
