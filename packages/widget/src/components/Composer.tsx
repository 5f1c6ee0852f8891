import { useEffect, useRef } from 'preact/hooks';
import type { WidgetContext } from '../context.js';
import type { ThreadModel } from '../models/ThreadModel.js';

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
    if (ctx.open.value) el.focus();
  }, [draftKey]);

  const submit = () => {
    const el = input.current;
    if (!el) return;
    const text = el.value;
    if (text.trim() === '') return;
    thread.send(text);
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
      <button type="submit" class="send" aria-label={strings.send}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5 3 10l12 2-12 2z" />
        </svg>
      </button>
    </form>
  );
}
