import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { chunkMarkdown } from '../chunking';
import type { Db } from '../client';
import { ZDealJacket } from '../domain/deal-jacket';
import { enqueueKeepGreeting } from '../job-queue';
import { hashPassword } from '../passwords';
import { dealerships, documentChunks, documents, scenarios, users } from '../schema';
import { SEED_SCENARIOS } from './scenarios';

/** Demo credentials, printed in the README and by `npm run dev`. Change them outside a demo. */
export const DEMO_PASSWORD = 'practice-makes-perfect';
export const DEMO_DEALERSHIP = { name: 'Lakeside Motors', slug: 'lakeside-motors' };
export const DEMO_USERS = [
  { email: 'admin@avatar-adam.example', name: 'Platform Admin', role: 'super_admin', demo: false },
  { email: 'manager@lakeside.example', name: 'Maria Delgado', role: 'dealership_admin', demo: true },
  { email: 'trainee@lakeside.example', name: 'Tom Becker', role: 'trainee', demo: true },
] as const;

const KNOWLEDGE = [
  { file: 'fi-process.md', title: 'The F&I process, step by step' },
  { file: 'products.md', title: 'Protection products guide' },
  { file: 'objections.md', title: 'Objection handling playbook' },
  { file: 'compliance.md', title: 'Compliance essentials' },
  { file: 'lakeside-policies.md', title: 'Lakeside Motors F&I policies and menu' },
];

/**
 * Creates the demo dealership, its users, the starter scenarios and knowledge base. Idempotent:
 * anything that already exists (matched by slug, email, title or file hash) is left untouched.
 */
export async function seedDemoData(opts: { db: Db }) {
  const { db } = opts;
  return db.transaction(async (tx) => {
    await tx.insert(dealerships).values(DEMO_DEALERSHIP).onConflictDoNothing({ target: dealerships.slug });
    const [dealership] = await tx.select().from(dealerships).where(eq(dealerships.slug, DEMO_DEALERSHIP.slug));
    if (!dealership) throw new Error('demo dealership missing after insert');

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const userIds: Record<string, string> = {};
    for (const u of DEMO_USERS) {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, u.email));
      if (existing) {
        userIds[u.role] = existing.id;
        continue;
      }
      const [created] = await tx
        .insert(users)
        .values({ email: u.email, name: u.name, role: u.role, passwordHash, dealershipId: u.demo ? dealership.id : null })
        .returning({ id: users.id });
      userIds[u.role] = created!.id;
    }

    let scenariosCreated = 0;
    for (const s of SEED_SCENARIOS) {
      const ownerId = s.owner === 'demo' ? dealership.id : null;
      const [existing] = await tx
        .select({ id: scenarios.id })
        .from(scenarios)
        .where(and(eq(scenarios.title, s.title), ownerId ? eq(scenarios.dealershipId, ownerId) : isNull(scenarios.dealershipId)));
      // Every run: the job is a no-op when the greeting is kept, and makes up for a cleared folder.
      if (existing) {
        await enqueueKeepGreeting({ db: tx, scenario: { id: existing.id, dealershipId: ownerId, mode: s.mode } });
        continue;
      }
      const [created] = await tx.insert(scenarios).values({
        dealershipId: ownerId,
        title: s.title,
        summary: s.summary,
        mode: s.mode,
        persona: s.persona,
        // Parsed so a seed with inconsistent maths fails loudly instead of confusing the customer persona.
        dealJacket: s.dealJacket ? ZDealJacket.parse(s.dealJacket) : null,
        objections: s.objections,
        difficulty: s.difficulty,
        patience: s.patience,
        createdById: userIds.super_admin,
      }).returning();
      // The job worker synthesises role-play greetings ahead of their first session.
      await enqueueKeepGreeting({ db: tx, scenario: created! });
      scenariosCreated++;
    }

    let documentsCreated = 0;
    for (const doc of KNOWLEDGE) {
      const markdown = readFileSync(new URL(`./knowledge/${doc.file}`, import.meta.url), 'utf8');
      const sha256 = createHash('sha256').update(markdown).digest('hex');
      const [existing] = await tx
        .select({ id: documents.id })
        .from(documents)
        .where(and(eq(documents.dealershipId, dealership.id), eq(documents.sha256, sha256)));
      if (existing) continue;
      const [created] = await tx
        .insert(documents)
        .values({
          dealershipId: dealership.id,
          title: doc.title,
          filename: doc.file,
          mime: 'text/markdown',
          sizeBytes: Buffer.byteLength(markdown),
          sha256,
          status: 'ready',
          uploadedById: userIds.dealership_admin,
        })
        .returning({ id: documents.id });
      const chunks = chunkMarkdown(markdown);
      await tx.insert(documentChunks).values(
        chunks.map((c) => ({ ...c, documentId: created!.id, dealershipId: dealership.id })),
      );
      documentsCreated++;
    }

    return { dealershipId: dealership.id, userIds, scenariosCreated, documentsCreated };
  });
}
