/** When a live session began, as a manager scanning the list reads it: "Started 4 min ago". */
export function describeStartedAgo(startedAt: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - startedAt.getTime()) / 60_000);
  if (minutes < 1) return 'Started just now';
  if (minutes < 60) return `Started ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `Started ${hours} h ago` : `Started ${hours} h ${rest} min ago`;
}
