import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { DocumentsHome } from '@/components/documents/documents-home';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Documents' };

/** Managers build the dealership's knowledge base, which Adam the coach answers from. */
export default async function DocumentsPage() {
  const { user } = await requireSession('/documents');
  // The procedures refuse everyone else anyway; this only spares them a page of errors.
  const isManager = user.role === 'dealership_admin' && user.dealershipId !== null;
  const documents = isManager ? await (await getServerCaller()).document.list() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Documents</h1>
        <p className="page-lead">
          Adam the coach answers trainees from these documents and says which one each answer comes from. Uploads are
          indexed in the background; the status updates by itself.
        </p>
        {documents ? (
          <DocumentsHome initialDocuments={documents} />
        ) : (
          <p className="alert alert-warn">The knowledge base is managed by dealership managers.</p>
        )}
      </main>
    </>
  );
}
