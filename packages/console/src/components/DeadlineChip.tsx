import { Icon, type IconName } from '@parley/ui';
import type { Deadline, DeadlineState } from '../deadline.js';

const LOOK: Record<DeadlineState, { tone: string; icon: IconName }> = {
  on_track: { tone: 'neutral', icon: 'clock' },
  due_soon: { tone: 'warning', icon: 'clock' },
  overdue: { tone: 'danger filled', icon: 'alert' },
  met: { tone: 'success', icon: 'check' },
  missed: { tone: 'danger', icon: 'alert' },
  stopped: { tone: 'neutral', icon: 'check' },
};

/** The deadline in words and an icon (never colour alone); the due time on hover and focus. */
export function DeadlineChip({ deadline }: { deadline: Deadline }) {
  const look = LOOK[deadline.state];
  return (
    <span class={`chip ${look.tone} deadline`} title={deadline.due}>
      <Icon name={look.icon} />
      <span class="tabular">{deadline.label}</span>
      <span class="visually-hidden">, {deadline.due}</span>
    </span>
  );
}
