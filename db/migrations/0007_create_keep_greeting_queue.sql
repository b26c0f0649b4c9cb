-- The keep-greeting queue of db/src/job-queue.ts (role-play greetings synthesised ahead of their
-- first session); its retry settings are applied by startJobQueue. A queue must exist before a
-- job is sent to it, and the seed sends some before any job worker has started.
SELECT pgboss.create_queue('keep-greeting__dead', '{"policy":"standard"}');
--> statement-breakpoint
SELECT pgboss.create_queue('keep-greeting', '{"policy":"short","deadLetter":"keep-greeting__dead"}');
