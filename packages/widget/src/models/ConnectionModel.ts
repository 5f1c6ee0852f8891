import type { ConnectionState, ParleyClient } from '@parley/sdk';
import { computed, signal } from '@preact/signals';

/** The socket's state and the outbox: what the offline banner needs. */
export function createConnectionModel(client: ParleyClient) {
  const state = signal<ConnectionState>(client.state);
  const pendingCount = signal(client.pending().length);
  const refreshPending = () => {
    pendingCount.value = client.pending().length;
  };
  /** The server refused this page or user for good (origin, app, identity): no chat here. */
  const refused = signal<string | null>(null);
  const offs = [
    client.on('error', (e) => {
      refused.value = e.code;
    }),
    client.on('connection', (s) => {
      state.value = s;
      refreshPending();
    }),
    client.on('message', refreshPending),
    client.on('failed', refreshPending),
  ];
  return {
    state,
    refused,
    pendingCount,
    refreshPending,
    /** Offline with messages waiting: the banner shows. */
    offlineWithOutbox: computed(() => state.value !== 'connected' && pendingCount.value > 0),
    dispose: () => {
      for (const off of offs) off();
    },
  };
}

export type ConnectionModel = ReturnType<typeof createConnectionModel>;
