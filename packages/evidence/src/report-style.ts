// SPDX-License-Identifier: Apache-2.0
// The report page's style: fixed-layout tables whose cells wrap (nothing wider than the window at
// 1280 px), and below 700 px each table row becomes a card of labelled fields (a phone at 390 px).
export const REPORT_STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:1.5rem;max-width:1240px;color:#1d1d1f;background:#fff}
h1{font-size:1.45rem;margin:0 0 .4rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
p{margin:.4rem 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.6rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem}.card b{display:block;font-size:1.4rem}
.bad{color:#b00020}.ok{color:#0a7a2f}.muted{color:#666}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border-bottom:1px solid #eee;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f5f5f7;font-weight:600}
.num{text-align:right}th.num{width:6.2rem}
th.w-seq{width:4.4rem}th.w-time{width:12.6rem}th.w-short{width:5.8rem}th.w-code{width:11rem}th.w-file{width:9rem}th.w-agent{width:24%}
td.w-time{font-size:.86em;font-variant-numeric:tabular-nums}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.86em}
tr.failed td{background:#fff3f3}
.id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.86em;cursor:copy;border-bottom:1px dotted #888;white-space:nowrap}
.id:focus{outline:2px solid #4a78c2}.id.copied{background:#e7f3e9}
.name{font-weight:600;white-space:nowrap}
.via{font-size:.86em;margin-top:.15rem}
tr.empty td{color:#555;font-style:italic}
.controls{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
input,select,button{font:inherit;padding:.25rem .55rem;max-width:100%}
#filter{flex:1 1 16rem;min-width:0}
dl.entry{display:grid;grid-template-columns:10rem minmax(0,1fr);gap:.25rem .9rem;border:1px solid #ddd;border-radius:6px;padding:.7rem 1rem;margin:.5rem 0}
dl.entry dt{color:#555}dl.entry dd{margin:0;overflow-wrap:anywhere}
ul.warnings{padding-left:1.2rem}
@media (max-width:700px){
body{padding:.8rem;font-size:14px}
table,tbody,tr,td{display:block;width:auto}
tr.head{display:none}
tr{border:1px solid #e3e3e3;border-radius:6px;margin:.5rem 0;padding:.3rem .55rem}
td{border:0;padding:.12rem 0;display:grid;grid-template-columns:7rem minmax(0,1fr);gap:.5rem;text-align:left}
td::before{content:attr(data-label);color:#666}
tr.empty td{display:block}tr.empty td::before{content:none}td.blank{display:none}
.num{text-align:left}
dl.entry{grid-template-columns:minmax(0,1fr)}dl.entry dd{margin-bottom:.3rem}
}
`;
