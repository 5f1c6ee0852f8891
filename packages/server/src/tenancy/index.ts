export { AccessService, hashToken, SESSION_IDLE_MS, SESSION_MAX_MS, type SignedIn } from './access.js';
export { createAgent, issueAgentToken, type NewAgent, profileOf } from './agents.js';
export { type AppChange, createApp, type NewApp, rotateIdentitySecret, updateApp } from './apps.js';
export { type Access, actorOf, agentOf, authorize, type Principal, principalId } from './principal.js';
