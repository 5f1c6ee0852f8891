import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import type { UploadsModel } from '../models/UploadsModel.js';
import type { Strings } from '../strings.js';

export const ATTACHMENT_ACCEPT =
  'image/png,image/jpeg,image/gif,image/webp,application/pdf,application/zip,text/plain,.log,.txt,.csv,.json';

/** The files picked so far, each removable; failed ones say why. */
export function UploadChips({ uploads, strings }: { uploads: UploadsModel; strings: Strings }) {
  if (uploads.items.value.length === 0) return null;
  return (
    <ul class="chips">
      {uploads.items.value.map((u) => (
        <li key={u.key} class={`chip ${u.state}`}>
          <span>
            {u.state === 'failed' ? strings.uploadFailed(`\u2068${u.name}\u2069`, u.error ?? '') : <bdi>{u.name}</bdi>}
          </span>
          <button
            type="button"
            class="link-button"
            aria-label={strings.removeAttachment(u.name)}
            onClick={() => uploads.remove(u.key)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A hidden file input that uploads what is picked; `children` gets the function that opens it. */
export function FilePicker({
  uploads,
  children,
}: {
  uploads: UploadsModel;
  children: (open: () => void) => ComponentChildren;
}) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        accept={ATTACHMENT_ACCEPT}
        onChange={(e) => {
          const files = (e.currentTarget as HTMLInputElement).files;
          if (files) uploads.add(files);
          (e.currentTarget as HTMLInputElement).value = '';
        }}
      />
      {children(() => picker.current?.click())}
    </>
  );
}
