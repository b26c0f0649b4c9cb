import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { MyPhonePin } from '@/components/phone/my-pin';
import { PhoneLineForm } from '@/components/phone/line-form';
import { PhonePinTable } from '@/components/phone/pin-table';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Phone practice' };

/**
 * Managers set their dealership's practice number and hand out PINs; everyone sees the number
 * to call and can make their own PIN.
 */
export default async function PhonePage() {
  const { user } = await requireSession('/phone');
  if (!user.dealershipId) {
    return (
      <>
        <AppHeader user={user} />
        <main className="page">
          <h1>Phone practice</h1>
          <p className="alert alert-warn">Phone practice belongs to a dealership; platform accounts have none.</p>
        </main>
      </>
    );
  }
  const caller = await getServerCaller();
  const isManager = user.role === 'dealership_admin';
  const [mine, overview, scenarios] = await Promise.all([
    caller.phone.mine(),
    isManager ? caller.phone.overview() : null,
    isManager ? caller.scenario.list() : null,
  ]);

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Phone practice</h1>
        <p className="page-lead">
          Practise from any phone: call the practice number, enter your PIN on the keypad (or say it), and the
          role-play starts. Sessions by phone are scored and appear in your history like any other.
        </p>
        {!mine.enabled ? (
          <p className="alert alert-warn" role="status">
            Phone practice is not enabled on this server. An operator turns it on (PHONE_PIN_SECRET and the SIP
            bridge; see the README).
          </p>
        ) : null}
        <MyPhonePin line={mine.line} hasPin={mine.hasPin} enabled={mine.enabled} />
        {overview && scenarios ? (
          <>
            <h2>Practice number</h2>
            <PhoneLineForm
              enabled={overview.enabled}
              line={overview.line}
              scenarios={scenarios.map((s) => ({ id: s.id, title: s.title, mode: s.mode }))}
            />
            <h2>Trainees</h2>
            <PhonePinTable enabled={overview.enabled} trainees={overview.trainees} />
          </>
        ) : null}
      </main>
    </>
  );
}
