'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Room } from 'livekit-client';
import { useState } from 'react';
import { MyAssignments } from '@/components/assignments/my-assignments';
import type { RouterOutputs } from '@/server/api/root';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './scenario-list.module.css';
import { PracticeRoom } from './practice-room';
import { ScenarioList, type TScenarioCard } from './scenario-list';

type TActiveSession = {
  started: RouterOutputs['session']['start'];
  room: Room;
  personaName: string;
};

/** The scenario picker, replaced by the live room once a session has started. */
export function PracticeHome({ scenarios }: { scenarios: TScenarioCard[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const start = useMutation(trpc.session.start.mutationOptions());
  const [active, setActive] = useState<TActiveSession | null>(null);

  /** From a scenario card, or (with `assignmentId`) from one of the trainee's assignments. */
  function startPractice(scenario: Pick<TScenarioCard, 'id' | 'personaName'>, assignmentId?: string) {
    // Created and unlocked inside the click: browsers only allow audio playback that starts from
    // a user gesture, and by the time the room connects the gesture would be over. If it is
    // refused anyway, the room shows LiveKit's "start audio" button.
    const room = new Room();
    room.startAudio().catch(() => undefined);
    start.mutate(
      { scenarioId: scenario.id, assignmentId },
      { onSuccess: (started) => setActive({ started, room, personaName: scenario.personaName }) },
    );
  }

  if (active) {
    return (
      <PracticeRoom
        room={active.room}
        session={active.started}
        personaName={active.personaName}
        onLeave={() => {
          setActive(null);
          start.reset();
          // The session just practised may have moved an assignment on (attempts, score).
          void queryClient.invalidateQueries({ queryKey: trpc.assignment.mine.queryKey() });
        }}
      />
    );
  }

  return (
    <>
      {start.error ? (
        <p className={`alert ${styles.startError}`} role="alert">
          {userMessageOf(start.error)}
        </p>
      ) : null}
      <MyAssignments
        startingId={start.isPending ? (start.variables?.assignmentId ?? null) : null}
        busy={start.isPending}
        onStart={(a) => startPractice({ id: a.scenarioId, personaName: a.personaName }, a.id)}
      />
      <ScenarioList
        scenarios={scenarios}
        startingId={start.isPending ? (start.variables?.scenarioId ?? null) : null}
        onStart={startPractice}
      />
    </>
  );
}
