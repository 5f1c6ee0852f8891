import { type Compilable, CompiledQuery } from 'kysely';

const SLOT = '\u0000parley-slot:';

/**
 * Builds a Kysely query once and reuses its SQL with new values. Building and compiling a
 * query costs more than SQLite takes to run it, and the message path runs the same few shapes
 * thousands of times a second. `build` receives `arg(name)`, which stands for a value supplied
 * at run time; every other value in the query is fixed at first use.
 *
 * @example
 * const byId = compileOnce<{ id: string }, Row>((arg) => db.selectFrom('apps').selectAll().where('id', '=', arg('id')));
 * const rows = (await db.executeQuery(byId({ id: 'app_1' }))).rows;
 */
/** A compiled query's SQL with, per parameter, its fixed value or the name of its argument. */
export function templateOf(query: (args: never) => CompiledQuery<unknown>): {
  sql: string;
  slots: ({ name: string } | { value: unknown })[];
} {
  const named = new Proxy({}, { get: (_, name) => `${SLOT}${String(name)}` }) as never;
  const compiled = query(named);
  return {
    sql: compiled.sql,
    slots: compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SLOT) ? { name: p.slice(SLOT.length) } : { value: p },
    ),
  };
}

export function compileOnce<Args extends Record<string, unknown>, Row>(
  build: (arg: <K extends keyof Args & string>(name: K) => Args[K]) => Compilable<Row>,
): (args: Args) => CompiledQuery<Row> {
  let template: { sql: string; slots: ({ name: string } | { value: unknown })[] } | undefined;
  return (args) => {
    if (!template) {
      const compiled = build((name) => `${SLOT}${name}` as never).compile();
      template = {
        sql: compiled.sql,
        slots: compiled.parameters.map((p) =>
          typeof p === 'string' && p.startsWith(SLOT) ? { name: p.slice(SLOT.length) } : { value: p },
        ),
      };
    }
    const parameters = template.slots.map((slot) => ('name' in slot ? args[slot.name] : slot.value));
    return CompiledQuery.raw(template.sql, parameters) as CompiledQuery<Row>;
  };
}
