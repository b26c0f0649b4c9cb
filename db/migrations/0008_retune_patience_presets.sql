-- The agent now reads the transcript to tell a finished sentence from a trailing-off one
-- (agent/src/session/turn-detector.ts): the shortest wait applies only when the trainee sounds
-- finished, the longest when they trail off. The scenario builder's "Quick to answer" and
-- "Normal" presets were retuned for that: a finished sentence is answered sooner (shortest wait
-- 300 → 200 ms and 500 → 300 ms), and the longest wait, which only applies now, is what a listener
-- gives someone who trailed off before asking "go on?" (4 → 2.5 s and 6 → 3 s; agents-js's own
-- defaults). Scenarios saved with exactly an old preset move to the new one; any other setting is
-- kept as it is.
UPDATE "scenarios" SET "patience" = '{"minEndpointingDelayMs": 300, "maxEndpointingDelayMs": 3000}'::jsonb
WHERE "patience" = '{"minEndpointingDelayMs": 500, "maxEndpointingDelayMs": 6000}'::jsonb;
--> statement-breakpoint
UPDATE "scenarios" SET "patience" = '{"minEndpointingDelayMs": 200, "maxEndpointingDelayMs": 2500}'::jsonb
WHERE "patience" = '{"minEndpointingDelayMs": 300, "maxEndpointingDelayMs": 4000}'::jsonb;
