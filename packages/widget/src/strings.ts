import type { Locale } from './launcher-strings.js';

/** Every string a person reads in the widget, in each language it speaks. */
const en = {
  closeChat: 'Close chat',
  unread: (n: number) => (n === 1 ? '1 unread message' : `${n} unread messages`),
  title: 'Messages',
  newConversation: 'New conversation',
  back: 'Back to conversations',
  noConversations: 'No conversations yet. Start one and we will get back to you.',
  you: 'You',
  support: 'Support',
  composerLabel: 'Write a message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  attachLimits: (mb: number) => `Images, PDF, text, logs or ZIP, up to ${mb} MB`,
  sending: 'Sending…',
  sent: 'Sent',
  seen: 'Seen',
  failed: 'Not sent.',
  retry: 'Retry',
  typing: (name: string) => `${name} is typing…`,
  offline: 'You are offline. Your messages will be sent when the connection is back.',
  connecting: 'Connecting…',
  today: 'Today',
  yesterday: 'Yesterday',
  newMessageFrom: (name: string, text: string) => `New message from ${name}: ${text}`,
  loadOlder: 'Load earlier messages',
  uploadFailed: (name: string, reason: string) => `Could not attach ${name}: ${reason}`,
  removeAttachment: (name: string) => `Remove ${name}`,
  attachment: 'Attachment',
};

export type Strings = typeof en;

const es: Strings = {
  closeChat: 'Cerrar chat',
  unread: (n) => (n === 1 ? '1 mensaje sin leer' : `${n} mensajes sin leer`),
  title: 'Mensajes',
  newConversation: 'Nueva conversación',
  back: 'Volver a las conversaciones',
  noConversations: 'Aún no hay conversaciones. Empieza una y te responderemos.',
  you: 'Tú',
  support: 'Soporte',
  composerLabel: 'Escribe un mensaje',
  composerPlaceholder: 'Escribe un mensaje…',
  send: 'Enviar',
  attach: 'Adjuntar un archivo',
  attachLimits: (mb) => `Imágenes, PDF, texto, registros o ZIP, hasta ${mb} MB`,
  sending: 'Enviando…',
  sent: 'Enviado',
  seen: 'Visto',
  failed: 'No enviado.',
  retry: 'Reintentar',
  typing: (name) => `${name} está escribiendo…`,
  offline: 'Sin conexión. Tus mensajes se enviarán cuando vuelva la conexión.',
  connecting: 'Conectando…',
  today: 'Hoy',
  yesterday: 'Ayer',
  newMessageFrom: (name, text) => `Nuevo mensaje de ${name}: ${text}`,
  loadOlder: 'Cargar mensajes anteriores',
  uploadFailed: (name, reason) => `No se pudo adjuntar ${name}: ${reason}`,
  removeAttachment: (name) => `Quitar ${name}`,
  attachment: 'Adjunto',
};

const LOCALES: Record<Locale, Strings> = { en, es };

export function stringsFor(locale: Locale): Strings {
  return LOCALES[locale];
}
