'use client';

import { useRef, useState, type DragEvent } from 'react';
import styles from './documents.module.css';
import { ACCEPT_ATTRIBUTE, checkFileBeforeUpload, formatBytes, MAX_UPLOAD_BYTES } from './file-rules';
import { uploadDocumentFile } from './upload-request';

type TUploadItem = {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'waiting' | 'uploading' | 'done' | 'error';
  message?: string;
};

let nextKey = 0;

/**
 * Drop files here or pick them: each is checked in the browser first (type, size, empty), then
 * uploaded one at a time with a progress bar. `onUploaded` refreshes the document list.
 */
export function UploadZone({ onUploaded }: { onUploaded: () => void }) {
  const [items, setItems] = useState<TUploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const queue = useRef(Promise.resolve());

  const update = (key: string, change: Partial<TUploadItem>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  function addFiles(files: FileList | null) {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = String(nextKey++);
      const problem = checkFileBeforeUpload(file);
      setItems((current) => [
        ...current,
        { key, name: file.name, size: file.size, progress: 0, state: problem ? 'error' : 'waiting', message: problem ?? undefined },
      ]);
      if (problem) continue;
      // One upload at a time: several large files in parallel would each crawl.
      queue.current = queue.current.then(async () => {
        update(key, { state: 'uploading' });
        const outcome = await uploadDocumentFile(file, { onProgress: (progress) => update(key, { progress }) });
        if (outcome.ok) {
          update(key, { state: 'done', progress: 1, message: 'Uploaded. Indexing starts in a moment.' });
          onUploaded();
        } else update(key, { state: 'error', message: outcome.userMessage });
      });
    }
    if (input.current) input.current.value = '';
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  }

  return (
    <section aria-labelledby="upload-title" className={styles.upload}>
      <h2 id="upload-title" className={styles.sectionTitle}>
        Add documents
      </h2>
      <div
        className={styles.dropZone}
        data-dragging={dragging}
        data-testid="document-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className={styles.dropText}>Drop PDF, Word (.docx), text or Markdown files here, up to {formatBytes(MAX_UPLOAD_BYTES)} each.</p>
        <label className="button">
          Choose files
          <input
            ref={input}
            className={styles.fileInput}
            type="file"
            name="file"
            multiple
            accept={ACCEPT_ATTRIBUTE}
            aria-label="Choose files to upload"
            onChange={(event) => addFiles(event.currentTarget.files)}
          />
        </label>
      </div>
      {items.length > 0 ? (
        <ul className={styles.uploads} aria-label="Uploads">
          {items.map((item) => (
            <li key={item.key} className={styles.uploadItem} data-state={item.state}>
              <div className={styles.uploadHead}>
                <strong>{item.name}</strong>
                <span className={styles.muted}>{formatBytes(item.size)}</span>
              </div>
              {item.state === 'uploading' || item.state === 'waiting' ? (
                <progress className={styles.progress} max={1} value={item.progress} aria-label={`Uploading ${item.name}`} />
              ) : null}
              {item.message ? (
                <p className={item.state === 'error' ? styles.uploadError : styles.uploadDone} role={item.state === 'error' ? 'alert' : 'status'}>
                  {item.message}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {items.some((item) => item.state === 'done' || item.state === 'error') ? (
        <button type="button" className={`button button-secondary ${styles.clearButton}`} onClick={() => setItems((current) => current.filter((i) => i.state === 'uploading' || i.state === 'waiting'))}>
          Clear finished uploads
        </button>
      ) : null}
    </section>
  );
}
