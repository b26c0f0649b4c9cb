import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, openPglite } from './client';
import { startEmbeddedDatabase } from './embedded';
import { migrate } from './migrate';
import { rowsOf } from './rows';
import { seedDemoData } from './seed';

describe('migrations on an empty PGlite database', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const h of opened.reverse()) await h.close();
  });

  it('create every table, the vector extension and the indexes, and can run twice', async () => {
    const handle = await openPglite('memory');
    opened.push(handle);
    await migrate(handle);
    await migrate(handle); // second run is a no-op, as on every `npm run dev`
    const tables = rowsOf<{ table_name: string }>(await handle.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    ));
    expect(tables.map((r) => r.table_name)).toEqual([
      'assignments', 'audit_log', 'compliance_flags', 'dealerships', 'document_chunks', 'document_files', 'documents',
      'invitations', 'password_resets', 'phone_calls', 'phone_lines', 'phone_pins', 'practice_sessions', 'scenarios',
      'score_items', 'scorecards', 'session_recordings', 'session_turns', 'turn_metrics', 'users',
    ]);
    const ext = rowsOf(await handle.db.execute(sql`select extname from pg_extension where extname = 'vector'`));
    expect(ext).toHaveLength(1);
    const idx = rowsOf<{ indexdef: string }>(await handle.db.execute(
      sql`select indexdef from pg_indexes where indexname = 'document_chunks_embedding_idx'`,
    ));
    expect(idx[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
  });

  it('seed is idempotent and its knowledge base is searchable by full text', async () => {
    const handle = await openPglite('memory');
    opened.push(handle);
    await migrate(handle);
    const first = await seedDemoData({ db: handle.db });
    const second = await seedDemoData({ db: handle.db });
    expect(first.scenariosCreated).toBeGreaterThanOrEqual(6);
    expect(first.documentsCreated).toBe(5);
    expect(second).toMatchObject({ scenariosCreated: 0, documentsCreated: 0, dealershipId: first.dealershipId });
    const counts = rowsOf<{ users: number; scenarios: number }>(await handle.db.execute(
      sql`select (select count(*)::int from users) as users, (select count(*)::int from scenarios) as scenarios`,
    ));
    expect(counts[0]).toEqual({ users: 3, scenarios: first.scenariosCreated });
    const hits = rowsOf<{ heading: string }>(await handle.db.execute(sql`
      select heading from document_chunks
      where search_vector @@ websearch_to_tsquery('english', 'payment packing')
      order by ts_rank(search_vector, websearch_to_tsquery('english', 'payment packing')) desc limit 1`));
    expect(hits[0]?.heading).toBe('Payment packing');
  });

  it('the embedded server shares one database between several clients', async () => {
    const server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
    opened.push(server);
    const a = await createDb({ url: server.url });
    const b = await createDb({ url: server.url });
    opened.push(a, b);
    await seedDemoData({ db: a.db });
    const rows = rowsOf<{ n: number }>(await b.db.execute(sql`select count(*)::int as n from dealerships`));
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('keeps concurrent clients apart: parameterised queries and transactions never interleave', async () => {
    const server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
    opened.push(server);
    const clients = await Promise.all([1, 2, 3].map(() => createDb({ url: server.url })));
    opened.push(...clients);
    await clients[0]!.db.execute(sql`create table counter (id int primary key, n int not null)`);
    await clients[0]!.db.execute(sql`insert into counter values (1, 0)`);
    // Different parameter counts per client: an interleaved Bind would hit another client's Parse.
    const work = clients.flatMap((c, i) =>
      Array.from({ length: 40 }, async (_, j) => {
        const params = Array.from({ length: i + 1 }, (_, k) => sql`${j + k}::int`);
        const [row] = rowsOf<{ total: number }>(await c.db.execute(sql`select (${sql.join(params, sql` + `)})::int as total`));
        expect(row!.total).toBe(Array.from({ length: i + 1 }, (_, k) => j + k).reduce((a, b) => a + b, 0));
        await c.db.transaction(async (tx) => {
          const [cur] = rowsOf<{ n: number }>(await tx.execute(sql`select n from counter where id = 1`));
          await tx.execute(sql`update counter set n = ${cur!.n + 1} where id = ${1}`);
        });
      }),
    );
    await Promise.all(work);
    const [final] = rowsOf<{ n: number }>(await clients[1]!.db.execute(sql`select n from counter where id = 1`));
    // Read-modify-write inside transactions: any interleaving would lose increments.
    expect(final!.n).toBe(120);
  });

  it('moves scenarios saved with a retuned patience preset to its new values, and keeps every other setting', async () => {
    const handle = await openPglite('memory');
    opened.push(handle);
    await migrate(handle);
    const { dealershipId } = await seedDemoData({ db: handle.db });
    const saved = {
      normal: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 6000 },
      brisk: { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 4000 },
      custom: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 7000 },
      patient: { minEndpointingDelayMs: 900, maxEndpointingDelayMs: 8000 },
    };
    for (const [title, patience] of Object.entries(saved)) {
      await handle.db.execute(sql`
        insert into scenarios (dealership_id, title, mode, persona, patience)
        values (${dealershipId}, ${`saved ${title}`}, 'coach', '{"name":"X","personality":"x","background":""}'::jsonb, ${JSON.stringify(patience)}::jsonb)`);
    }
    // What the migration ran on the databases that had these rows before it.
    const file = new URL('../migrations/0008_retune_patience_presets.sql', import.meta.url);
    for (const statement of readFileSync(file, 'utf8').split('--> statement-breakpoint')) await handle.db.execute(sql.raw(statement));
    const rows = rowsOf<{ title: string; patience: unknown }>(
      await handle.db.execute(sql`select title, patience from scenarios where title like 'saved %' order by title`),
    );
    expect(Object.fromEntries(rows.map((r) => [r.title, r.patience]))).toEqual({
      'saved brisk': { minEndpointingDelayMs: 200, maxEndpointingDelayMs: 2500 },
      'saved custom': saved.custom,
      'saved normal': { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 3000 },
      'saved patient': saved.patient,
    });
  });

  it('refuses a port that is already taken, with a message saying so', async () => {
    const server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
    opened.push(server);
    await expect(startEmbeddedDatabase({ dataDir: 'memory', port: server.port })).rejects.toThrow(
      new RegExp(`Port ${server.port} is already in use`),
    );
  });
});
