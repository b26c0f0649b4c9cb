'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** Runs the server component's checks again without reloading the page. */
export function RefreshButton({ label }: { label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button type="button" className="button button-secondary" disabled={pending} onClick={() => startTransition(() => router.refresh())}>
      {pending ? 'Checking…' : label}
    </button>
  );
}
