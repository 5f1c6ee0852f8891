import type { MessageScreening, Note } from '@parley/sdk/protocol';
import type { Kysely, Selectable } from 'kysely';
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
  constructor(private readonly db: Kysely<Database>) {}

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
    await this.db.insertInto('notes').values(row).execute();
    return toNote(row);
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
