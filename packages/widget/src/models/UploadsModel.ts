import { ATTACHMENT_LIMITS, type Attachment, type ParleyClient, ParleyClientError } from '@parley/sdk';
import { computed, signal } from '@preact/signals';

export interface Upload {
  key: string;
  name: string;
  state: 'uploading' | 'ready' | 'failed';
  attachment?: Attachment;
  error?: string;
}

/** Files the visitor attached in the composer, uploaded as soon as they are picked. */
export function createUploadsModel(client: ParleyClient) {
  const items = signal<Upload[]>([]);
  let n = 0;
  const patch = (key: string, change: Partial<Upload>) => {
    items.value = items.value.map((u) => (u.key === key ? { ...u, ...change } : u));
  };

  return {
    items,
    busy: computed(() => items.value.some((u) => u.state === 'uploading')),
    add(files: Iterable<File>) {
      for (const file of files) {
        const key = `u${++n}`;
        if (items.value.length >= ATTACHMENT_LIMITS.perMessage) break;
        items.value = [...items.value, { key, name: file.name, state: 'uploading' }];
        client.upload(file, file.name).then(
          (attachment) => patch(key, { state: 'ready', attachment }),
          (err: unknown) =>
            patch(key, { state: 'failed', error: err instanceof ParleyClientError ? err.message : String(err) }),
        );
      }
    },
    remove(key: string) {
      items.value = items.value.filter((u) => u.key !== key);
    },
    /** The uploaded files, handed to the message being sent; the composer starts empty again. */
    take(): Attachment[] {
      const ready = items.value.flatMap((u) => (u.attachment ? [u.attachment] : []));
      items.value = [];
      return ready;
    },
  };
}

export type UploadsModel = ReturnType<typeof createUploadsModel>;
