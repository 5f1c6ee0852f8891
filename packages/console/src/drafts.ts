/**
 * Drafts per conversation and mode (reply or note), kept in this browser while the agent types
 * and restored when they come back (UX.md §1.5); cleared on send. Text never follows the agent
 * into another conversation: the key names the conversation.
 */
const key = (agentId: string, conversationId: string, mode: 'reply' | 'note') =>
  `parley.draft.${agentId}.${conversationId}.${mode}`;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage blocked: drafts live only as long as the page
  }
}

export function loadDraft(agentId: string, conversationId: string, mode: 'reply' | 'note'): string {
  return storage()?.getItem(key(agentId, conversationId, mode)) ?? '';
}

export function saveDraft(agentId: string, conversationId: string, mode: 'reply' | 'note', text: string): void {
  const s = storage();
  if (!s) return;
  try {
    if (text.trim()) s.setItem(key(agentId, conversationId, mode), text);
    else s.removeItem(key(agentId, conversationId, mode));
  } catch {
    // Full: the draft stays in the box, unsaved.
  }
}

/** Whether a reply draft waits in this conversation (the list marks it). */
export function hasDraft(agentId: string, conversationId: string): boolean {
  return loadDraft(agentId, conversationId, 'reply').trim() !== '';
}
