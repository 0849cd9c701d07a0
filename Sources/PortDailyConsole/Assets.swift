import Crypto

/// The console's static files, compiled into the binary: an intranet without internet gets the
/// same page (no font, script or style from another host). Served with a content hash as ETag.
enum ConsoleAssets {
    struct Asset: Sendable {
        let contentType: String
        let body: [UInt8]
        let etag: String
    }

    static let all: [String: Asset] = [
        "console.css": asset("text/css; charset=utf-8", css),
        "icon.svg": asset("image/svg+xml", icon),
    ]

    private static func asset(_ type: String, _ text: String) -> Asset {
        let body = Array(text.utf8)
        let digest = SHA256.hash(data: body).prefix(12).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return Asset(contentType: type, body: body, etag: "\"\(digest)\"")
    }

    /// A tug's bow wave in a circle: the page's icon (also the favicon, so no /favicon.ico is asked).
    static let icon = #"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32"><circle cx="16" cy="16" r="15" fill="#0b4f6c"/><path d="M6 19h20l-3 5H9z" fill="#ffffff"/><path d="M11 13h8v6h-8z" fill="#f2b134"/><path d="M14 8h3v5h-3z" fill="#ffffff"/><path d="M4 26c3 0 3-1.5 6-1.5s3 1.5 6 1.5 3-1.5 6-1.5 3 1.5 6 1.5" stroke="#9ad1e8" stroke-width="1.5" fill="none"/></svg>
"""#

    /// System fonts only; the CJK families come first for Chinese (Debian's WenQuanYi Micro Hei in tests).
    static let css = #"""
:root { --ink: #17212b; --muted: #5b6b79; --line: #d6dde3; --bar: #0b4f6c; --accent: #f2b134; --ok: #1d7a46; --warn: #b3261e; --paper: #ffffff; --tint: #f4f7f9; }
* { box-sizing: border-box; }
html { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; color: var(--ink); background: var(--tint); line-height: 1.45; }
body { margin: 0; }
a { color: #0a5f8a; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: var(--paper); padding: 4px 8px; z-index: 2; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; padding: 10px 20px; background: var(--bar); color: #fff; }
.bar a { color: #fff; text-decoration: none; }
.bar a[aria-current="page"] { border-bottom: 3px solid var(--accent); }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 700; font-size: 1.1rem; }
.bar nav { display: flex; gap: 18px; }
.who { margin-left: auto; display: flex; gap: 10px; align-items: center; font-size: 0.9rem; }
.who form { margin: 0; }
button.link { background: none; border: 1px solid #ffffff88; color: #fff; padding: 2px 10px; border-radius: 4px; cursor: pointer; }
.lang { border: 1px solid #ffffff88; padding: 2px 8px; border-radius: 4px; font-size: 0.9rem; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 20px 40px; }
footer { text-align: center; color: var(--muted); font-size: 0.8rem; padding: 12px; }
h1 { font-size: 1.5rem; margin: 8px 0 16px; }
h2 { font-size: 1.15rem; margin: 28px 0 10px; }
.date { color: var(--muted); font-weight: 400; }
table { border-collapse: collapse; width: 100%; background: var(--paper); font-size: 0.92rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #e9eef2; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.cross td { background: #fff8e6; }
.badge { display: inline-block; font-size: 0.75rem; padding: 0 6px; border-radius: 8px; background: #e3e8ec; color: var(--ink); white-space: nowrap; }
.badge.late { background: #fde3c8; color: #8a4b00; }
.badge.withdrawn { background: #f3d6d4; color: var(--warn); }
.badge.unshared { background: #e4defa; color: #4b3a8f; }
.badge.ok { background: #d6f0df; color: var(--ok); }
.badge.ais { background: #fde7c7; color: #7a3e00; }
tr.ais-flagged td:first-child { box-shadow: inset 4px 0 0 #c2410c; }
section.ais .note { color: #555; font-size: 0.9rem; }
.badge.todo { background: #fbe9e7; color: var(--warn); }
.badge.added { background: #d6f0df; color: var(--ok); }
.badge.corrected { background: #fde3c8; color: #8a4b00; }
.counts { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 16px; padding: 0; }
.counts div { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 140px; }
.counts dt { color: var(--muted); font-size: 0.8rem; }
.counts dd { margin: 0; font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 8px; }
.facts div { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
.facts dt { color: var(--muted); font-size: 0.8rem; }
.facts dd { margin: 0; }
form.filters, form.acknowledge, form.upload { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
form.acknowledge textarea { flex: 1 1 320px; }
form.cancel { display: flex; gap: 6px; margin: 0; }
input, select, textarea, button { font: inherit; }
input, select, textarea { border: 1px solid #9aa8b4; border-radius: 4px; padding: 4px 6px; }
button { background: var(--bar); color: #fff; border: 0; border-radius: 4px; padding: 5px 14px; cursor: pointer; }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
.pager { display: flex; gap: 16px; }
.pager .download { margin-left: auto; }
.notice { background: #d6f0df; border: 1px solid #9fd3b2; padding: 8px 12px; border-radius: 6px; }
.problem { background: #fbe9e7; border: 1px solid #f0b7b0; padding: 8px 12px; border-radius: 6px; color: var(--warn); }
.empty { color: var(--muted); }
.signin { max-width: 360px; margin: 40px auto; background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; }
.signin form { display: grid; gap: 8px; }
.chart { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; margin: 16px 0; padding: 8px; }
.chart svg { width: 100%; height: auto; max-width: 960px; display: block; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
ol.revisions li { margin-bottom: 6px; }
ul.changes { margin: 4px 0; padding-left: 18px; font-size: 0.9rem; }
@media print {
  .bar nav, .who, .lang, form, .skip, .pager { display: none; }
  .bar { background: none; color: var(--ink); border-bottom: 2px solid var(--ink); }
  .bar a { color: var(--ink); }
  html, body, main { background: #fff; }
  .chart { break-inside: avoid; border: 0; }
  table { font-size: 9pt; }
}
"""#
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
