'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Room } from 'livekit-client';
import { useState } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { userMessageOf, useTRPC } from '@/trpc/react';
import { LiveSessionList, type TLiveSessionRow } from './live-session-list';
import styles from './observe.module.css';
import { ObserverRoom } from './observer-room';

type TListening = { session: TLiveSessionRow; joined: RouterOutputs['observe']['join']; room: Room };

/** The list of sessions going on now, replaced by the session being listened to. */
export function ObserveHome({ initialSessions }: { initialSessions: TLiveSessionRow[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const join = useMutation(trpc.observe.join.mutationOptions());
  const [listening, setListening] = useState<TListening | null>(null);

  function listen(session: TLiveSessionRow) {
    // Created and unlocked inside the click: browsers only play audio that starts from a user
    // gesture. If it is refused anyway, the room shows LiveKit's "start audio" button.
    const room = new Room();
    room.startAudio().catch(() => undefined);
    join.mutate(
      { sessionId: session.id },
      {
        onSuccess: (joined) => setListening({ session, joined, room }),
        // Most often the session ended meanwhile: show the list as it is now.
        onError: () => void queryClient.invalidateQueries({ queryKey: trpc.observe.live.queryKey() }),
      },
    );
  }

  if (listening) {
    return (
      <ObserverRoom
        key={listening.joined.token}
        room={listening.room}
        session={listening.session}
        joined={listening.joined}
        onBack={() => {
          setListening(null);
          join.reset();
          void queryClient.invalidateQueries({ queryKey: trpc.observe.live.queryKey() });
        }}
      />
    );
  }

  return (
    <>
      {join.error ? (
        <p className={`alert ${styles.joinError}`} role="alert">
          {userMessageOf(join.error)}
        </p>
      ) : null}
      <LiveSessionList
        initialSessions={initialSessions}
        joiningId={join.isPending ? (join.variables?.sessionId ?? null) : null}
        onListen={listen}
      />
    </>
  );
}
