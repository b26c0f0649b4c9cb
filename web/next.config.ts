import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The db package ships TypeScript sources, so Next compiles it with the app.
  transpilePackages: ['@avatar-adam/db'],
  // Native addons, WASM payloads and Node-only clients: loaded from node_modules at run time
  // instead of being bundled (bundling breaks PGlite's WASM/data files and argon2's binary).
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@electric-sql/pglite-pgvector',
    '@electric-sql/pglite-socket',
    '@node-rs/argon2',
    'postgres',
    'livekit-server-sdk',
    'nodemailer',
    // The job queue (pg-boss loads the `pg` driver even when handed our connection).
    'pg-boss',
    'pg',
    'ioredis',
  ],
  poweredByHeader: false,
  // Tests run their own `next dev` (test/harness/web.ts). `next dev` locks its build folder, so
  // theirs gets a folder of its own and a developer's `npm run dev` can stay up meanwhile.
  distDir: process.env.AVATAR_ADAM_TEST_NEXT_DIST_DIR || '.next',
};

export default nextConfig;
