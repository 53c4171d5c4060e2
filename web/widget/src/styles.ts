// The widget's styles, inside its shadow root: the host page's CSS does not reach in, and ours
// does not leak out. Colours come from the channel's settings as custom properties.
export const styles = `
:host { all: initial; }
* { box-sizing: border-box; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer;
  background: var(--primary); color: var(--on-primary); box-shadow: 0 4px 16px rgba(0,0,0,.2); font-size: 26px; z-index: 2147483000; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
  background: #f5222d; color: #fff; font-size: 12px; line-height: 20px; text-align: center; }
.badge[hidden] { display: none; }
.panel { position: fixed; right: 20px; bottom: 88px; width: 360px; max-width: calc(100vw - 40px); height: 520px; max-height: calc(100vh - 120px);
  display: flex; flex-direction: column; background: #fff; border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.2); overflow: hidden; z-index: 2147483000; font-size: 14px; color: #1f1f1f; }
.panel[hidden] { display: none; }
.head { background: var(--primary); color: var(--on-primary); padding: 14px 16px; display: flex; align-items: center; justify-content: space-between; }
.head strong { font-size: 16px; }
.head button { background: none; border: 0; color: inherit; font-size: 20px; cursor: pointer; }
.greeting { padding: 10px 16px; background: #fafafa; border-bottom: 1px solid #f0f0f0; white-space: pre-wrap; }
.notice { padding: 10px 16px; background: #fffbe6; border-bottom: 1px solid #ffe58f; }
.notice form, .prechat form { display: flex; gap: 6px; margin-top: 8px; }
.prechat { padding: 16px; overflow-y: auto; flex: 1; }
.prechat form { flex-direction: column; }
.prechat label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; }
.err { color: #cf1322; font-size: 12px; }
input, textarea { font: inherit; padding: 8px; border: 1px solid #d9d9d9; border-radius: 6px; flex: 1; }
button.primary { background: var(--primary); color: var(--on-primary); border: 0; border-radius: 6px; padding: 8px 12px; cursor: pointer; font: inherit; }
.list { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.msg { max-width: 80%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; }
.msg.in { align-self: flex-end; background: var(--primary); color: var(--on-primary); border-bottom-right-radius: 4px; }
.msg.out { align-self: flex-start; background: #f0f0f0; border-bottom-left-radius: 4px; }
.msg.pending { opacity: .6; }
.msg.failed { outline: 1px solid #cf1322; cursor: pointer; }
.msg img { max-width: 100%; border-radius: 6px; display: block; }
.msg .file { color: inherit; text-decoration: underline; cursor: pointer; background: none; border: 0; font: inherit; padding: 0; }
.meta { font-size: 11px; opacity: .7; }
.typing { padding: 0 16px 6px; font-size: 12px; color: #8c8c8c; min-height: 18px; }
.composer { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #f0f0f0; align-items: flex-end; }
.composer textarea { resize: none; height: 40px; }
.composer .attach { background: none; border: 0; font-size: 20px; cursor: pointer; }
`;
