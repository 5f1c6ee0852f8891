import type { Attachment } from '@parley/sdk/protocol';
import { fileSize, Icon } from '@parley/ui';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

/**
 * Images at full size over the page (UX.md §1.4): arrows move between them, Esc or Close ends
 * it and focus returns to the thumbnail that opened it. Zoom switches between fitting the
 * window and the image's own size.
 */
export function Lightbox({
  images,
  start,
  onClose,
}: {
  images: Attachment[];
  start: number;
  onClose: (index: number) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const index = useSignal(start);
  const zoomed = useSignal(false);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    d.showModal();
    return () => d.close();
  }, []);
  const move = (by: number) => {
    index.value = (index.value + by + images.length) % images.length;
    zoomed.value = false;
  };
  const image = images[index.value]!;
  return (
    <dialog
      ref={dialog}
      class="lightbox"
      aria-label={`Image ${index.value + 1} of ${images.length}: ${image.name}`}
      onClose={() => onClose(index.value)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight') move(1);
        else if (e.key === 'ArrowLeft') move(-1);
      }}
    >
      <header class="lightbox-bar">
        <span class="file-name">{image.name}</span>
        <span class="muted">
          {fileSize(image.size)}
          {images.length > 1 ? ` · ${index.value + 1} of ${images.length}` : ''}
        </span>
        <span class="lightbox-actions">
          {images.length > 1 ? (
            <>
              <button type="button" class="button ghost small" aria-label="Previous image" onClick={() => move(-1)}>
                ←
              </button>
              <button type="button" class="button ghost small" aria-label="Next image" onClick={() => move(1)}>
                →
              </button>
            </>
          ) : null}
          <button
            type="button"
            class="button ghost small"
            aria-pressed={zoomed.value}
            onClick={() => {
              zoomed.value = !zoomed.value;
            }}
          >
            {zoomed.value ? 'Fit' : 'Actual size'}
          </button>
          <a class="button ghost small" href={image.path} download={image.name}>
            Download
          </a>
          <button type="button" class="button ghost small" aria-label="Close" onClick={() => dialog.current?.close()}>
            <Icon name="x" />
          </button>
        </span>
      </header>
      <div class={`lightbox-stage${zoomed.value ? ' zoomed' : ''}`}>
        <img src={image.path} alt={image.name} />
      </div>
    </dialog>
  );
}
