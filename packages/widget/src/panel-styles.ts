/** The panel's CSS (see styles.ts for why it is a constructable stylesheet). */
export const PANEL_CSS = `
.panel{position:fixed;bottom:88px;right:20px;z-index:var(--parley-z);width:380px;max-width:calc(100vw - 40px);height:min(640px,calc(100% - 108px));display:flex;flex-direction:column;background:#fff;color:#111827;border-radius:16px;box-shadow:0 12px 40px rgba(17,24,39,.24);overflow:hidden;overflow:clip}
.root[data-position=left] .panel{right:auto;left:20px}
.header{display:flex;align-items:center;gap:8px;min-height:60px;padding:8px 8px 8px 16px;background:var(--parley-accent);color:#fff}
.title{flex:1;margin:0;font-weight:600;font-size:17px;line-height:1.3;font-family:inherit;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.icon-button{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;padding:0;border:0;border-radius:20px;background:transparent;color:inherit;cursor:pointer}
.icon-button:hover{background:rgba(255,255,255,.16)}
.icon-button svg,.send svg{width:22px;height:22px;fill:currentColor}
button:focus-visible,a:focus-visible,select:focus-visible,input[type=checkbox]:focus-visible,input[type=radio]:focus-visible{outline:3px solid #111827;outline-offset:2px}
textarea:focus,input:focus{outline:none;border-color:var(--parley-accent);box-shadow:0 0 0 1px var(--parley-accent)}
.header button:focus-visible{outline-color:#fff}
.banner{display:block;margin:0;padding:8px 16px;background:#fef3c7;color:#78350f;font-size:13px}
.unavailable{flex:1;display:flex;flex-direction:column;justify-content:center;gap:8px;padding:24px;text-align:center;color:#4b5563;font-size:14px}
.unavailable p{margin:0}.unavailable-title{color:#111827;font-weight:600;font-size:16px}
.list{flex:1;overflow-y:auto;padding:16px}
.primary{display:block;width:100%;min-height:44px;padding:10px 16px;border:0;border-radius:10px;background:var(--parley-accent);color:#fff;font-weight:600;font-size:15px;line-height:1.2;font-family:inherit;cursor:pointer}
.empty{color:#4b5563;text-align:center;margin:24px 8px}
.conversations{list-style:none;margin:16px 0 0;padding:0}
.conversation{display:grid;grid-template-columns:1fr auto;gap:2px 8px;width:100%;padding:12px;margin:0 0 8px;border:1px solid #e5e7eb;border-radius:10px;background:#fff;color:inherit;font:inherit;text-align:left;cursor:pointer}
.conversation:hover{background:#f9fafb}
.conversation .who{font-weight:600;min-width:0;overflow-wrap:anywhere}
bdi{unicode-bidi:isolate}
.conversation .when{color:#4b5563;font-size:12px;text-align:right}
.conversation .preview{display:block;min-width:0;grid-column:1;color:#374151;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.conversation.unread .preview{color:#111827;font-weight:600}
.conversation .count{grid-column:2;justify-self:end;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;line-height:20px;text-align:center}
.thread{flex:1;display:flex;flex-direction:column;min-height:0}
.scroller{flex:1;overflow-y:auto;padding:12px 16px}
.messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.message{display:flex;flex-direction:column;max-width:82%}
.message.mine{align-self:flex-end;align-items:flex-end}
.message.theirs{align-self:flex-start;align-items:flex-start}
.author{display:block;font-size:12px;color:#4b5563;margin:4px 4px 2px;overflow-wrap:anywhere}
.bubble{margin:0;padding:8px 12px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.mine .bubble{background:var(--parley-accent);color:#fff;border-bottom-right-radius:4px}
.mine .bubble a{color:#fff}
.theirs .bubble,.greeting .bubble{background:#f3f4f6;color:#111827;border-bottom-left-radius:4px}
.bubble a{color:inherit;text-decoration:underline}
.bubble.sending{opacity:.75}
.bubble.failed{background:#fee2e2;color:#7f1d1d}
.meta{font-size:12px;color:#4b5563;margin:2px 4px 4px}
.meta .error{color:#b91c1c}
.link-button{padding:0;border:0;background:none;color:#1d4ed8;font:inherit;text-decoration:underline;cursor:pointer}
.older{display:block;margin:0 auto 8px}
.day{align-self:center;margin:8px 0;padding:2px 10px;border-radius:10px;background:#f3f4f6;color:#4b5563;font-size:12px}
.greeting{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;margin-bottom:8px}
.typing{margin:6px 4px;color:#4b5563;font-size:13px;font-style:italic}
.file{display:block;margin-top:4px}
.thumb{display:block;max-width:220px;max-height:180px;border-radius:12px;border:1px solid #e5e7eb}
.chips{flex-basis:100%;list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.chip{display:flex;gap:6px;align-items:center;max-width:100%;padding:4px 10px;border-radius:14px;background:#f3f4f6;font-size:13px}
.chip span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chip.uploading{opacity:.7}
.chip.failed{background:#fee2e2;color:#7f1d1d}
.attach{display:inline-flex;align-items:center;justify-content:center;width:44px;height:44px;flex:none;padding:0;border:0;border-radius:22px;background:transparent;color:#374151;cursor:pointer}
.attach svg{width:22px;height:22px;fill:currentColor}
.send:disabled{opacity:.5;cursor:default}
.composer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e5e7eb;background:#fff}
.composer textarea{flex:1;min-width:0;min-height:44px;max-height:140px;padding:10px 12px;border:1px solid #9ca3af;border-radius:10px;background:#fff;color:#111827;font-size:16px;line-height:1.4;font-family:inherit;resize:none}
.send{display:inline-flex;align-items:center;justify-content:center;width:44px;height:44px;flex:none;padding:0;border:0;border-radius:22px;background:var(--parley-accent);color:#fff;cursor:pointer}
.secondary{display:block;width:100%;min-height:44px;margin-top:8px;padding:10px 16px;border:1px solid var(--parley-accent);border-radius:10px;background:#fff;color:var(--parley-accent);font-weight:600;font-size:15px;font-family:inherit;cursor:pointer}
.report{flex:1;min-height:0;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:14px}
.report .intro,.hint{margin:0;color:#4b5563;font-size:13px}
.field{display:flex;flex-direction:column;gap:6px;margin:0;padding:0;border:0;min-width:0}
.field label,.field legend,.label{font-weight:600;font-size:14px;padding:0;margin:0}
.field input[type=text],.field input[type=datetime-local],.field select,.field textarea{width:100%;box-sizing:border-box;min-height:44px;padding:10px 12px;border:1px solid #9ca3af;border-radius:10px;background:#fff;color:#111827;font-size:16px;font-family:inherit}
.field textarea{resize:vertical}
.field [aria-invalid=true]{border-color:#b91c1c}
.choice label{display:flex;align-items:center;gap:8px;font-weight:400;min-height:32px}
.choice input{width:18px;height:18px;margin:0;accent-color:var(--parley-accent)}
.choice legend{margin-bottom:4px}
.field-error{margin:0;color:#b91c1c;font-size:13px}
.steps{margin:0;padding-left:22px;display:flex;flex-direction:column;gap:6px}
.steps li{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.steps input{flex:1}
.field .secondary{margin:0}
.toggle{display:flex!important;align-items:center;gap:8px}
.items ul{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-direction:column;gap:4px;max-height:160px;overflow-y:auto}
.item{display:flex;align-items:flex-start;gap:8px;padding:6px 8px;border-radius:8px;background:#f3f4f6;font-size:12px}
.item span{flex:1;min-width:0;overflow-wrap:anywhere;font-family:ui-monospace,Menlo,Consolas,monospace}
.sent{align-items:flex-start}
.sent-title{margin:0;font-weight:600;font-size:16px}
.sent p{margin:0}
.note{max-width:100%;margin:2px 4px 0;color:#4b5563;font-size:12px;text-align:right}
.refused{flex-basis:100%;margin:0;padding:8px 10px;border-radius:8px;background:#fee2e2;color:#7f1d1d;font-size:13px}
.refused small{display:block;color:#7f1d1d;opacity:.85}
@media (max-width:480px){
.panel{top:0;right:0;bottom:0;left:0;width:100%;max-width:none;height:auto;border-radius:0}
.root[data-position=left] .panel{left:0}
.root.open .launcher{display:none}
}
@media (prefers-reduced-motion:no-preference){.panel{animation:parley-in .18s ease-out}@keyframes parley-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}}
`;
