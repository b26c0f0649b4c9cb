import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and committed; they run unchanged on Postgres and on
// the embedded PGlite database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
  migrations: { prefix: 'index' },
});
