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
  ],
  poweredByHeader: false,
};

export default nextConfig;
