-- The agent now reads the transcript to tell a finished sentence from a trailing-off one
-- (agent/src/session/turn-detector.ts): the shortest wait applies only when the trainee sounds
-- finished, the longest when they trail off. The scenario builder's "Quick to answer" and
-- "Normal" presets were retuned for that (300 → 200 ms and 500 → 300 ms shortest wait); scenarios
-- saved with exactly an old preset move to the new one, any other setting is kept as it is.
UPDATE "scenarios" SET "patience" = '{"minEndpointingDelayMs": 300, "maxEndpointingDelayMs": 6000}'::jsonb
WHERE "patience" = '{"minEndpointingDelayMs": 500, "maxEndpointingDelayMs": 6000}'::jsonb;
--> statement-breakpoint
UPDATE "scenarios" SET "patience" = '{"minEndpointingDelayMs": 200, "maxEndpointingDelayMs": 4000}'::jsonb
WHERE "patience" = '{"minEndpointingDelayMs": 300, "maxEndpointingDelayMs": 4000}'::jsonb;
