import { redirect } from 'next/navigation';
import { getSession } from '@/server/auth/session';

export default async function HomePage() {
  const session = await getSession();
  redirect(session ? '/practice' : '/sign-in');
}
