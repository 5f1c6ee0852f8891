import { LIMITS } from '@parley/sdk/protocol';
import { z } from 'zod';
import { SESSION_COOKIE, sessionCookieOptions } from '../../auth/session-cookie.js';
import type { ServerContext } from '../../context.js';
import { ParleyError } from '../../errors.js';
import { text } from '../../platform/validation.js';
import type { AgentRecord } from '../../store/index.js';
import { agentOf, createAgent, profileOf } from '../../tenancy/index.js';
import { type Api, errors } from '../api.js';
import { principalOf } from '../auth.js';
import { agentSchema, cursorQuery, decodeCursor, encodeCursor, idParams, limitQuery } from '../schemas.js';

const agentView = (a: AgentRecord) => ({ ...profileOf(a), disabled: a.disabledAt !== null });
const role = z.enum(['admin', 'agent']);

/** Refuses with rate_limited when this address is over its budget (counted across the cluster). */
export async function limitByAddress(
  limiter: ReturnType<ServerContext['shared']['limiter']>,
  address: string,
): Promise<void> {
  const wait = await limiter.take(address);
  if (wait > 0) {
    throw new ParleyError('rate_limited', `too many attempts; retry in ${Math.ceil(wait / 1000)} s`, {
      retryAfterMs: wait,
    });
  }
}

/** Sign-in and sessions, and the team: agents are invited, change role, are disabled. */
/** A photo visitors' browsers load from the messenger: https only, and no credentials in it. */
const avatarUrl = text(500).refine((v) => {
  const url = URL.canParse(v) ? new URL(v) : null;
  return url !== null && url.protocol === 'https:' && !url.username && !url.password;
}, 'an https URL without credentials');

export function agentRoutes(api: Api, ctx: ServerContext): void {
  const logins = ctx.shared.limiter('login', ctx.limits.loginRate);
  const failures = ctx.shared.limiter('login-failures', ctx.limits.loginFailures);

  api.post(
    '/v1/agents/login',
    {
      schema: {
        tags: ['agents'],
        summary: 'Sign in: a session',
        description:
          'The session ends after 12 hours without use or 7 days after sign-in. With `session: "cookie"` (the console) the session is an httpOnly, SameSite=Strict cookie instead of a token in the answer, and every change made with it must carry `X-CSRF-Token: <csrfToken>`. At most 10 attempts per address per 100 s; after 5 wrong passwords for one email, that account is locked for the rest of 15 minutes. An agent created with a one-time password gets `passwordChangeRequired: true`, and the session may only change it (`POST /v1/me/password`) or sign out.',
        security: [],
        body: z.strictObject({
          email: text(LIMITS.userEmailMaxChars).min(1),
          password: text(200).min(1),
          session: z.enum(['token', 'cookie']).default('token'),
        }),
        response: {
          200: z.object({
            agent: agentSchema,
            token: z.string().optional().describe('ses_…, shown once (not with session "cookie")'),
            csrfToken: z.string().optional().describe('With session "cookie": send as X-CSRF-Token on changes'),
            expiresAt: z.string(),
            passwordChangeRequired: z.boolean(),
          }),
          ...errors,
        },
      },
      config: { access: 'public' },
    },
    async (request, reply) => {
      await limitByAddress(logins, request.ip);
      const email = request.body.email.trim().toLowerCase();
      const locked = await failures.peek(email);
      if (locked > 0) {
        throw new ParleyError(
          'rate_limited',
          `too many wrong passwords for this account; retry in ${Math.ceil(locked / 60_000)} min`,
          { retryAfterMs: locked },
        );
      }
      let signedIn: Awaited<ReturnType<typeof ctx.access.login>>;
      try {
        signedIn = await ctx.access.login(email, request.body.password);
      } catch (err) {
        if (err instanceof ParleyError && err.code === 'unauthorized') await failures.consume(email);
        throw err;
      }
      const { agent, token, expiresAt, passwordChangeRequired, sessionId } = signedIn;
      if (request.body.session === 'token') return { agent, token, expiresAt, passwordChangeRequired };
      reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(request.protocol === 'https'));
      return { agent, csrfToken: ctx.csrf.forSession(sessionId), expiresAt, passwordChangeRequired };
    },
  );

  api.post(
    '/v1/agents/logout',
    {
      schema: {
        tags: ['agents'],
        summary: 'Sign out: end the session this request was made with',
        response: { 204: z.undefined(), ...errors },
      },
      config: { access: 'read' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'agent' || !principal.sessionId) {
        throw new ParleyError('invalid_payload', 'only a session signs out; revoke a token or key instead');
      }
      await ctx.access.logout(principal.sessionId);
      ctx.events.emit('agent.access_revoked', {
        appId: principal.appId,
        agentId: principal.agent.id,
        sessionId: principal.sessionId,
      });
      if (request.viaCookie) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  api.post(
    '/v1/me/password',
    {
      schema: {
        tags: ['agents'],
        summary: 'Change my password',
        description:
          'Proves the current password and sets a new one (at least 12 characters, not the email or name). Every other session of the agent ends; this one goes on.',
        body: z.strictObject({ currentPassword: text(200).min(1), newPassword: text(200).min(1) }),
        response: { 200: z.object({ agent: agentSchema }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const principal = principalOf(request);
      const agent = agentOf(principal);
      await limitByAddress(logins, request.ip);
      const sessionId = principal.kind === 'agent' ? principal.sessionId : undefined;
      const { currentPassword, newPassword } = request.body;
      return { agent: await ctx.access.changePassword(agent.id, currentPassword, newPassword, sessionId) };
    },
  );

  api.get(
    '/v1/me',
    {
      schema: {
        tags: ['agents'],
        summary: 'Who this token speaks for',
        description:
          "With the console's session cookie, also the CSRF token its changes carry; for a session, whether the one-time password must be changed first.",
        response: {
          200: z.object({
            agent: agentSchema.optional(),
            apiKey: z.object({ id: z.string(), name: z.string(), scope: z.enum(['read', 'write']) }).optional(),
            passwordChangeRequired: z.boolean().optional(),
            csrfToken: z.string().optional(),
          }),
          ...errors,
        },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind === 'key') return { apiKey: principal.key };
      return {
        agent: principal.agent,
        ...(principal.sessionId ? { passwordChangeRequired: principal.passwordChangeRequired === true } : {}),
        ...(request.viaCookie && principal.sessionId ? { csrfToken: ctx.csrf.forSession(principal.sessionId) } : {}),
      };
    },
  );

  api.get(
    '/v1/agents',
    {
      schema: {
        tags: ['agents'],
        summary: "The app's agents",
        querystring: z.object({ limit: limitQuery(200, 100), cursor: cursorQuery }),
        response: { 200: z.object({ agents: z.array(agentSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, 1)?.[0] : undefined;
      if (cursor && !after) throw badCursor();
      const list = await ctx.store.agents.list(principalOf(request).appId, { ...(after ? { after } : {}), limit });
      const last = list.at(-1);
      return {
        agents: list.map(agentView),
        nextCursor: list.length === limit && last ? encodeCursor([last.id]) : null,
      };
    },
  );

  api.post(
    '/v1/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'Invite an agent (admin)',
        description: 'Answers a one-time password, shown once, to hand to the new agent.',
        body: z.strictObject({ email: text(LIMITS.userEmailMaxChars).min(1), name: text(200).min(1), role }),
        response: { 201: z.object({ agent: agentSchema, password: z.string() }), ...errors },
      },
      config: {
        access: 'admin',
        idempotent: true,
        audit: { action: 'agent.invited', object: 'agent', id: (a) => (a.agent as { id?: string })?.id },
      },
    },
    async (request, reply) => {
      const { agent, password } = await createAgent(
        ctx.store,
        { appId: principalOf(request).appId, ...request.body },
        ctx.clock,
      );
      return reply.status(201).send({ agent: { ...agent, disabled: false }, password });
    },
  );

  api.get(
    '/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'One agent',
        params: idParams,
        response: { 200: z.object({ agent: agentSchema }), ...errors },
      },
      config: { access: 'read' },
    },
    async (request) => ({ agent: agentView(await agentIn(ctx, principalOf(request).appId, request.params.id)) }),
  );

  api.patch(
    '/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: "Change an agent's name, role or photo, or disable them (admin)",
        description:
          "Disabling ends the agent's sessions and closes their connections; their tokens stop working. An admin cannot disable or demote themselves.",
        params: idParams,
        body: z
          .strictObject({
            name: text(200).min(1).optional(),
            role: role.optional(),
            avatarUrl: avatarUrl.nullable().optional(),
            disabled: z.boolean().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'give name, role, avatarUrl or disabled'),
        response: { 200: z.object({ agent: agentSchema }), ...errors },
      },
      config: { access: 'admin', audit: { action: 'agent.changed', object: 'agent', id: 'params' } },
    },
    async (request) => {
      const me = agentOf(principalOf(request));
      const target = await agentIn(ctx, me.appId, request.params.id);
      const { name, role: newRole, avatarUrl: photo, disabled } = request.body;
      if (target.id === me.id && (disabled === true || newRole === 'agent')) {
        throw new ParleyError('forbidden', 'an admin cannot disable or demote themselves: ask another admin');
      }
      const now = ctx.clock().toISOString();
      const updated = await ctx.store.agents.update(me.appId, target.id, {
        ...(name !== undefined ? { name: name.trim() } : {}),
        ...(newRole !== undefined ? { role: newRole } : {}),
        ...(photo !== undefined ? { avatarUrl: photo } : {}),
        ...(disabled !== undefined ? { disabledAt: disabled ? (target.disabledAt ?? now) : null } : {}),
      });
      if (!updated) throw new ParleyError('not_found', `agent ${target.id} not found`);
      if (disabled === true) {
        await ctx.access.revokeSessions(target.id);
        ctx.events.emit('agent.access_revoked', { appId: me.appId, agentId: target.id });
      }
      return { agent: agentView(updated) };
    },
  );

  api.delete(
    '/v1/agents/:id/sessions',
    {
      schema: {
        tags: ['agents'],
        summary: "End every session of an agent (your own, or an admin's for anyone)",
        params: idParams,
        response: { 200: z.object({ revoked: z.number().int() }), ...errors },
      },
      config: { access: 'read', audit: { action: 'agent.sessions_revoked', object: 'agent', id: 'params' } },
    },
    async (request) => {
      const me = agentOf(principalOf(request));
      if (request.params.id !== me.id && me.role !== 'admin') {
        throw new ParleyError('forbidden', "only admins end another agent's sessions");
      }
      const target = await agentIn(ctx, me.appId, request.params.id);
      const revoked = await ctx.access.revokeSessions(target.id);
      ctx.events.emit('agent.access_revoked', { appId: me.appId, agentId: target.id });
      return { revoked };
    },
  );
}

async function agentIn(ctx: ServerContext, appId: string, id: string): Promise<AgentRecord> {
  const agent = await ctx.store.agents.get(appId, id);
  if (!agent) throw new ParleyError('not_found', `agent ${id} not found`);
  return agent;
}

export const badCursor = () =>
  new ParleyError('invalid_payload', 'cursor: not a cursor this server returned', { fields: { cursor: 'invalid' } });
