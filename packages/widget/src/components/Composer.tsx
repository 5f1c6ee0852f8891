import { ATTACHMENT_LIMITS } from '@parley/sdk/protocol';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetContext } from '../context.js';
import type { ThreadModel } from '../models/ThreadModel.js';
import { coarsePointer } from '../pointer.js';
import { FilePicker, UploadChips } from './Uploads.js';

/** Enter sends, Shift+Enter breaks the line, paste keeps plain text. The draft survives closing. */
export function Composer({ ctx, thread }: { ctx: WidgetContext; thread: ThreadModel }) {
  const { strings, drafts } = ctx;
  const input = useRef<HTMLTextAreaElement>(null);
  const draftKey = thread.key;

  useEffect(() => {
    const el = input.current;
    if (!el) return;
    const prefill = ctx.prefill.value;
    if (prefill !== null) {
      el.value = prefill;
      ctx.prefill.value = null;
    } else {
      el.value = drafts.get(draftKey) ?? '';
    }
    // Not on a touch screen: focusing the composer raises the keyboard over the thread.
    if (ctx.open.value && !coarsePointer()) el.focus();
  }, [draftKey]);

  const { uploads } = ctx;
  const refused = thread.refused.value;

  // A refused message comes back to the composer so it can be edited and sent again.
  useEffect(() => {
    const el = input.current;
    if (!el || !refused) return;
    el.value = refused.text;
    drafts.set(draftKey, refused.text);
    el.focus();
  }, [refused]);

  const submit = () => {
    const el = input.current;
    if (!el || uploads.busy.value) return;
    const text = el.value;
    const hasFiles = uploads.items.value.some((u) => u.state === 'ready');
    if (text.trim() === '' && !hasFiles) return;
    thread.send(text, uploads.take());
    el.value = '';
    drafts.delete(draftKey);
    thread.setTyping(false);
    el.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {refused ? (
        <p class="refused" role="alert">
          {strings.notSent(refused.reason)} <small>{refused.clause}</small>
        </p>
      ) : null}
      <UploadChips uploads={uploads} strings={strings} />
      <FilePicker uploads={uploads}>
        {(open) => (
          <button
            type="button"
            class="attach"
            aria-label={strings.attach}
            title={strings.attachLimits(ATTACHMENT_LIMITS.maxBytes / 1048576)}
            onClick={open}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z" />
            </svg>
          </button>
        )}
      </FilePicker>
      <label class="sr-only" for="parley-composer">
        {strings.composerLabel}
      </label>
      <textarea
        id="parley-composer"
        ref={input}
        rows={1}
        maxLength={5000}
        placeholder={strings.composerPlaceholder}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        onInput={(e) => {
          const value = (e.currentTarget as HTMLTextAreaElement).value;
          drafts.set(draftKey, value);
          thread.setTyping(value.trim() !== '');
        }}
        onPaste={(e) => {
          // Rich text pasted from a page or a document arrives as plain text only.
          const text = e.clipboardData?.getData('text/plain');
          if (text === undefined) return;
          e.preventDefault();
          const el = e.currentTarget as HTMLTextAreaElement;
          el.setRangeText(text, el.selectionStart, el.selectionEnd, 'end');
          drafts.set(draftKey, el.value);
        }}
      />
      <button type="submit" class="send" aria-label={strings.send} disabled={uploads.busy.value}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5 3 10l12 2-12 2z" />
        </svg>
      </button>
    </form>
  );
}
