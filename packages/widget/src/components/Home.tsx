import { Avatar, formatTime } from '@parley/ui';
import type { WidgetContext } from '../context.js';
import { ConversationRow } from './ConversationList.js';

/**
 * What opening the messenger shows (UX.md §2.1): the greeting and the team in the accent band,
 * how soon they usually reply, the conversation to continue or "Send us a message", the recent
 * conversations, and "Report a problem" with the reports still open.
 */
export function Home({ ctx }: { ctx: WidgetContext }) {
  const { strings, conversations, bridge } = ctx;
  const { settings, options } = bridge;
  const list = conversations.list.value;
  const first = options.user?.name?.trim().split(/\s+/)[0];
  const team = settings.team ?? [];
  const reports = list.filter((c) => c.incident && c.incident.status === 'open');
  return (
    <div class="home">
      <div class="band">
        <p class="hello">{first ? strings.helloName(first) : strings.hello}</p>
        {settings.greeting ? <p class="greeting-text">{settings.greeting}</p> : null}
        {team.length ? (
          <p class="team">
            <span class="faces">
              {team.map((m) => (
                <Avatar key={m.name} name={m.name} url={m.avatarUrl} />
              ))}
            </span>
            <bdi>{strings.teamOf(settings.name)}</bdi>
          </p>
        ) : null}
      </div>
      <div class="cards">
        <section class="card">
          <p class="replies">{strings.replies[settings.replyTime ?? 'hours']}</p>
          <button type="button" class="primary" onClick={() => ctx.newConversation()}>
            {strings.sendUsMessage}
          </button>
        </section>
        {list.length ? (
          <section class="card" aria-labelledby="parley-recent">
            <h3 class="card-title" id="parley-recent">
              {strings.recent}
            </h3>
            <ul class="conversations">
              {list.slice(0, 3).map((c) => (
                <ConversationRow key={c.id} ctx={ctx} conversation={c} />
              ))}
            </ul>
            {list.length > 3 ? (
              <button type="button" class="link-button" onClick={() => ctx.showList()}>
                {strings.seeAll}
              </button>
            ) : null}
          </section>
        ) : null}
        <section class="card">
          <p class="hint">{strings.reportHint}</p>
          <ul class="reports">
            {reports.map((c) => (
              <li key={c.id}>
                <button type="button" class="link-button" onClick={() => ctx.openThread(c.id)}>
                  #{c.incident!.number} · <bdi>{c.incident!.area}</bdi> · {c.incident!.priority} ·{' '}
                  {formatTime(c.incident!.createdAt, strings)}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="secondary report-problem" onClick={() => ctx.openReport()}>
            {strings.report}
          </button>
        </section>
      </div>
    </div>
  );
}
