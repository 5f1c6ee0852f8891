import { runMessaging } from './suites/messaging.js';

const r = await runMessaging({ visitors: 500, warmupMs: 2000, measureMs: 6000 });
console.log(
  JSON.stringify({
    echo: r.echo.msgsPerS,
    parley: r.msgs_per_s,
    ratio: r.throughput_ratio_vs_echo,
    p99: r.ack_p99_ratio_vs_echo,
    unscreened: r.unscreened.msgsPerS,
  }),
);
