import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { AssignForm } from '@/components/assignments/assign-form';
import { AssignmentsTable } from '@/components/assignments/assignments-table';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Assignments' };

/** Managers assign role-plays with a due date and pass mark, and follow each trainee's progress. */
export default async function AssignmentsPage() {
  const { user } = await requireSession('/assignments');
  // The procedures refuse everyone else anyway; this only spares them a page of errors.
  const isManager = user.role === 'dealership_admin' && user.dealershipId !== null;
  const caller = isManager ? await getServerCaller() : null;
  const [options, rows] = caller ? await Promise.all([caller.assignment.options(), caller.assignment.list()]) : [null, null];

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Assignments</h1>
        {options && rows ? (
          <>
            <p className="page-lead">
              A trainee passes when a scored session of the scenario reaches the pass mark with no compliance auto-fail.
              Sessions started from the assignment count, and so does practising the same scenario after it was assigned.
            </p>
            <AssignForm options={options} />
            <h2>Progress</h2>
            <AssignmentsTable rows={rows} />
          </>
        ) : (
          <p className="alert alert-warn">Assignments are for dealership managers.</p>
        )}
      </main>
    </>
  );
}
