/** The panel's CSS (see styles.ts for why it is a constructable stylesheet). */
export const PANEL_CSS = `
.panel{--bg:#fff;--fg:#111827;--fg2:#374151;--muted:#4b5563;--line:#e5e7eb;--edge:#9ca3af;--sunk:#f3f4f6;--link:#1d4ed8;--bad:#b91c1c;--bad-bg:#fee2e2;--bad-fg:#7f1d1d;--warn-bg:#fef3c7;--warn-fg:#78350f;--ok:#0e7a47;--page:#f3f4f6;--accent-text:var(--parley-accent)}
.dark .panel{--bg:#151a22;--fg:#e7eaf0;--fg2:#c4cad4;--muted:#9aa3b2;--line:#2a313c;--edge:#6f7a8b;--sunk:#1c222c;--link:#8f95ff;--bad:#ff8f85;--bad-bg:#3a1a1a;--bad-fg:#ff8f85;--warn-bg:#33270f;--warn-fg:#f2b552;--ok:#5fd49d;--page:#0d1117;--accent-text:var(--fg);color-scheme:dark}
.panel{position:fixed;bottom:88px;right:20px;z-index:var(--parley-z);width:380px;max-width:calc(100vw - 40px);height:min(640px,calc(100% - 108px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-radius:16px;box-shadow:0 12px 40px rgba(17,24,39,.24);overflow:hidden;overflow:clip}
.root[data-position=left] .panel{right:auto;left:20px}
.header{display:flex;align-items:center;gap:8px;min-height:60px;padding:8px 8px 8px 16px;background:var(--parley-accent);color:#fff}
.title{flex:1;margin:0;font-weight:600;font-size:17px;line-height:1.3;font-family:inherit;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.icon-button{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;padding:0;border:0;border-radius:20px;background:transparent;color:inherit;cursor:pointer}
.icon-button:hover{background:rgba(255,255,255,.16)}
.icon-button svg,.send svg{width:22px;height:22px;fill:currentColor}
button:focus-visible,a:focus-visible,select:focus-visible,input[type=checkbox]:focus-visible,input[type=radio]:focus-visible{outline:2px solid var(--fg);outline-offset:2px}
textarea:focus,input:focus{outline:none;border-color:var(--parley-accent);box-shadow:0 0 0 1px var(--parley-accent)}
.header button:focus-visible{outline-color:#fff}
.banner{display:block;margin:0;padding:8px 16px;background:var(--warn-bg);color:var(--warn-fg);font-size:13px}
.unavailable{flex:1;display:flex;flex-direction:column;justify-content:center;gap:8px;padding:24px;text-align:center;color:var(--muted);font-size:14px}
.unavailable p{margin:0}.unavailable-title{color:var(--fg);font-weight:600;font-size:16px}
.list{flex:1;overflow-y:auto;padding:16px}
.primary{display:block;width:100%;min-height:44px;padding:10px 16px;border:0;border-radius:10px;background:var(--parley-accent);color:#fff;font-weight:600;font-size:15px;line-height:1.2;font-family:inherit;cursor:pointer}
.empty{color:var(--muted);text-align:center;margin:24px 8px}
.conversations{list-style:none;margin:16px 0 0;padding:0}
.conversation{display:grid;grid-template-columns:1fr auto;gap:2px 8px;width:100%;padding:12px;margin:0 0 8px;border:1px solid var(--line);border-radius:10px;background:var(--bg);color:inherit;font:inherit;text-align:left;cursor:pointer}
.conversation:hover{background:var(--sunk)}
.conversation .who{font-weight:600;min-width:0;overflow-wrap:anywhere}
bdi{unicode-bidi:isolate}
.conversation .when{color:var(--muted);font-size:12px;text-align:right}
.conversation .preview{display:block;min-width:0;grid-column:1;color:var(--fg2);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.conversation.unread .preview{color:var(--fg);font-weight:600}
.conversation .count{grid-column:2;justify-self:end;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;line-height:20px;text-align:center}
.thread{flex:1;display:flex;flex-direction:column;min-height:0}
.scroller{flex:1;overflow-y:auto;padding:12px 16px}
.messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.message{display:flex;flex-direction:column;max-width:82%}
.message.mine{align-self:flex-end;align-items:flex-end}
.message.theirs{align-self:flex-start;align-items:flex-start}
.author{display:block;font-size:12px;color:var(--muted);margin:4px 4px 2px;overflow-wrap:anywhere}
.bubble{margin:0;padding:8px 12px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.mine .bubble{background:var(--parley-accent);color:#fff;border-bottom-right-radius:4px}
.mine .bubble a{color:#fff}
.theirs .bubble,.greeting .bubble{background:var(--sunk);color:var(--fg);border-bottom-left-radius:4px}
.bubble a{color:inherit;text-decoration:underline}
.bubble.sending{opacity:.75}
.bubble.failed{background:var(--bad-bg);color:var(--bad-fg)}
.meta{font-size:12px;color:var(--muted);margin:2px 4px 4px}
.meta .error{color:var(--bad)}
.link-button{padding:0;border:0;background:none;color:var(--link);font:inherit;text-decoration:underline;cursor:pointer}
.older{display:block;margin:0 auto 8px}
.day{align-self:center;margin:8px 0;padding:2px 10px;border-radius:10px;background:var(--sunk);color:var(--muted);font-size:12px}
.greeting{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;margin-bottom:8px}
.typing{margin:6px 4px;color:var(--muted);font-size:13px;font-style:italic}
.file{display:block;margin-top:4px}
.thumb{display:block;max-width:220px;max-height:180px;border-radius:12px;border:1px solid var(--line)}
.chips{flex-basis:100%;list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.chip{display:flex;gap:6px;align-items:center;max-width:100%;padding:4px 10px;border-radius:14px;background:var(--sunk);font-size:13px}
.chip span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chip.uploading{opacity:.7}
.chip.failed{background:var(--bad-bg);color:var(--bad-fg)}
.attach{display:inline-flex;align-items:center;justify-content:center;width:44px;height:44px;flex:none;padding:0;border:0;border-radius:22px;background:transparent;color:var(--fg2);cursor:pointer}
.attach svg{width:22px;height:22px;fill:currentColor}
.send:disabled{opacity:.5;cursor:default}
.composer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--line);background:var(--bg)}
.composer textarea{flex:1;min-width:0;min-height:44px;max-height:140px;padding:10px 12px;border:1px solid var(--edge);border-radius:10px;background:var(--bg);color:var(--fg);font-size:16px;line-height:1.4;font-family:inherit;resize:none}
.send{display:inline-flex;align-items:center;justify-content:center;width:44px;height:44px;flex:none;padding:0;border:0;border-radius:22px;background:var(--parley-accent);color:#fff;cursor:pointer}
.secondary{display:block;width:100%;min-height:44px;margin-top:8px;padding:10px 16px;border:1px solid var(--parley-accent);border-radius:10px;background:var(--bg);color:var(--accent-text);font-weight:600;font-size:15px;font-family:inherit;cursor:pointer}
.report{flex:1;min-height:0;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:14px}
.report .intro,.hint{margin:0;color:var(--muted);font-size:13px}
.field{display:flex;flex-direction:column;gap:6px;margin:0;padding:0;border:0;min-width:0}
.field label,.field legend,.label{font-weight:600;font-size:14px;padding:0;margin:0}
.field input[type=text],.field input[type=datetime-local],.field select,.field textarea{width:100%;box-sizing:border-box;min-height:44px;padding:10px 12px;border:1px solid var(--edge);border-radius:10px;background:var(--bg);color:var(--fg);font-size:16px;font-family:inherit}
.field textarea{resize:vertical}
.field [aria-invalid=true]{border-color:var(--bad)}
.choice label{display:flex;align-items:center;gap:8px;font-weight:400;min-height:32px}
.choice input{width:18px;height:18px;margin:0;accent-color:var(--parley-accent)}
.choice legend{margin-bottom:4px}
.field-error{margin:0;color:var(--bad);font-size:13px}
.steps{margin:0;padding-left:22px;display:flex;flex-direction:column;gap:6px}
.steps li{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.steps input{flex:1}
.field .secondary{margin:0}
.toggle{display:flex!important;align-items:center;gap:8px}
.items ul{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-direction:column;gap:4px}
.item{display:flex;align-items:flex-start;gap:8px;padding:6px 8px;border-radius:8px;background:var(--sunk);font-size:13px}
.item>bdi,.item details{flex:1;min-width:0;overflow-wrap:anywhere}
.item summary{cursor:pointer}
.item pre{margin:6px 0 0;white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;color:var(--fg2)}
.progress p{margin:0 0 6px;font-size:13px;color:var(--muted);font-weight:600}
.progress ol{display:flex;gap:4px;list-style:none;margin:0;padding:0}
.progress li{flex:1;height:4px;border-radius:2px;background:var(--line)}
.progress li.done{background:var(--parley-accent)}
.outcome{display:block;padding:10px 12px;border-radius:10px;background:var(--sunk);font-size:14px}
.form-nav{display:flex;gap:8px;position:sticky;bottom:-16px;margin:0 -16px -16px;padding:12px 16px 16px;background:var(--bg);border-top:1px solid var(--line)}
.form-nav .secondary{margin:0}
.discard{align-self:center;font-size:13px}
.answers{padding:10px 12px;border-radius:10px;border:1px solid var(--line);font-size:14px}
.answers h4{margin:0 0 4px;font-size:13px;color:var(--muted)}
.answers p{margin:0 0 2px;overflow-wrap:anywhere}
.report.sent{align-items:center;text-align:center;justify-content:center}
.sent-title{margin:0;font-weight:600;font-size:22px;line-height:28px}
.report.sent p{margin:0}.report.sent .secondary{margin:0}
.sent-icon{width:48px;height:48px;padding:10px;border-radius:24px;background:var(--ok);fill:var(--bg)}
.reference{font-weight:600;font-variant-numeric:tabular-nums}
.home{flex:1;overflow-y:auto;background:var(--page)}
.band{padding:8px 20px 44px;background:var(--parley-accent);color:#fff}
.band p{margin:0}
.hello{font-size:26px;line-height:32px;font-weight:600;overflow-wrap:anywhere}
.greeting-text{margin-top:4px!important;opacity:.92}
.team{display:flex;align-items:center;gap:10px;margin-top:14px!important;font-size:14px}
.faces{display:flex}
.faces .avatar{margin-left:-8px;box-shadow:0 0 0 2px var(--parley-accent)}.faces .avatar:first-child{margin-left:0}
.avatar{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:16px;background:var(--bg);color:var(--fg);font-size:12px;font-weight:600;object-fit:cover;flex:none}
.cards{display:flex;flex-direction:column;gap:12px;margin-top:-28px;padding:0 12px 16px}
.card{padding:16px;border-radius:12px;background:var(--bg);box-shadow:0 1px 2px rgb(16 24 40/.06),0 4px 12px rgb(16 24 40/.08)}
.card-title{margin:0 0 4px;font-size:15px;font-weight:600}
.replies{margin:0 0 12px;color:var(--fg2);font-size:14px}
.card .conversations{margin:8px 0 0}.card .hint{margin-bottom:8px}
.reports{list-style:none;margin:0;padding:0;font-size:14px}.reports li{margin:4px 0}
.conversation .tag{grid-column:1/-1;color:var(--muted);font-size:12px;font-weight:600}
.list .primary{margin-top:8px}
.incident-card{position:sticky;top:-12px;z-index:1;margin:-12px -16px 12px;padding:10px 16px;background:var(--bg);border-bottom:1px solid var(--line);font-size:14px}
.incident-card p{margin:0}
.incident-title{display:flex;align-items:center;gap:6px;font-weight:600}
.ref{font-variant-numeric:tabular-nums;color:var(--muted)}
.prio{margin-left:auto;padding:0 6px;border-radius:4px;border:1px solid currentColor;font-size:12px;line-height:18px}
.prio.p1{color:var(--bad)}
.incident-area{color:var(--fg2);overflow-wrap:anywhere}.incident-where{color:var(--muted);font-size:13px}
.note{max-width:100%;margin:2px 4px 0;color:var(--muted);font-size:12px;text-align:right}
.refused{flex-basis:100%;margin:0;padding:8px 10px;border-radius:8px;background:var(--bad-bg);color:var(--bad-fg);font-size:13px}
.refused small{display:block;color:var(--bad-fg);opacity:.85}
@media (max-width:480px){
.panel{top:0;right:0;bottom:0;left:0;width:100%;max-width:none;height:auto;border-radius:0}
.root[data-position=left] .panel{left:0}
.root.open .launcher{display:none}
}
@media (prefers-reduced-motion:no-preference){.panel{animation:parley-in .18s ease-out}@keyframes parley-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}}
`;
