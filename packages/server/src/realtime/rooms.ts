import type {
  AgentClientToServerEvents,
  AgentProfile,
  AgentServerToClientEvents,
  VisitorClientToServerEvents,
  VisitorServerToClientEvents,
} from '@parley/sdk/protocol';
import type { Namespace, Server, Socket } from 'socket.io';
import type { HandledSocketData } from './handler.js';

export interface VisitorSocketData extends HandledSocketData {
  appId: string;
  visitorId: string;
  name: string | null;
  /** Sent in the `session` event, then dropped. */
  visitorToken: string;
  identified: boolean;
  verified: boolean;
}

export interface AgentSocketData extends HandledSocketData {
  agent: AgentProfile;
  /** When it signed in with a session (not a personal token). */
  sessionId?: string;
}

export type VisitorNamespace = Namespace<
  VisitorClientToServerEvents,
  VisitorServerToClientEvents,
  object,
  VisitorSocketData
>;
export type AgentNamespace = Namespace<AgentClientToServerEvents, AgentServerToClientEvents, object, AgentSocketData>;
export type VisitorSocket = Socket<VisitorClientToServerEvents, VisitorServerToClientEvents, object, VisitorSocketData>;
export type AgentSocket = Socket<AgentClientToServerEvents, AgentServerToClientEvents, object, AgentSocketData>;
export type ParleyIo = Server;

/** Every socket of one visitor (all their tabs) in the /visitor namespace. */
export const visitorRoom = (visitorId: string) => `visitor:${visitorId}`;
/** Every agent of one app in the /agent namespace. */
export const agentsRoom = (appId: string) => `app:${appId}`;
/** Every connection of one agent. */
export const agentRoom = (agentId: string) => `agent:${agentId}`;
/** Every connection opened with one session. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
