"""The report as one self-contained HTML page: plotly.js inlined once (no CDN, it opens
offline), every figure rendered by the browser, tables below their charts."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
from plotly.offline import get_plotlyjs

from .model import HIDDEN, Section

STYLE = """
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
       sans-serif; margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; color: #222; }
h1 { border-bottom: 3px solid #c00000; padding-bottom: 8px; }
h2 { margin-top: 40px; border-left: 6px solid #c00000; padding-left: 10px; }
.policy { color: #555; font-size: 14px; background: #f6f6f6; padding: 8px 12px; }
.note { color: #8a6d3b; font-size: 14px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #eee; }
td.text { text-align: left; }
td.hidden { color: #999; text-align: center; }
tr.alert td { background: #fde2e2; color: #a00; }
details summary { cursor: pointer; color: #1f4e79; margin: 6px 0; }
footer { margin-top: 48px; font-size: 13px; color: #555; border-top: 1px solid #ccc; }
"""


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "<td></td>"
    if isinstance(value, str):
        css = "hidden" if value == HIDDEN else "text"
        return f'<td class="{css}">{html.escape(value)}</td>'
    if isinstance(value, float):
        return f"<td>{value:,.2f}</td>"
    return f"<td>{value:,}</td>"


def table_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    alert_column = "预警" if "预警" in frame.columns else None
    for record in frame.itertuples(index=False):
        values = list(record)
        alert = alert_column and values[list(frame.columns).index(alert_column)] == "是"
        css = ' class="alert"' if alert else ""
        rows.append(f"<tr{css}>{''.join(_cell(v) for v in values)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _section_html(section: Section) -> str:
    parts = [
        f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>',
        f'<p class="policy">政策依据：{html.escape(section.policy)}</p>',
        f"<p>{html.escape(section.summary)}</p>",
    ]
    for i, figure in enumerate(section.figures):
        parts.append(figure.to_html(full_html=False, include_plotlyjs=False,
                                    div_id=f"{section.key}-chart-{i}",
                                    config={"displaylogo": False, "responsive": True}))  # fmt: skip
    parts += [f'<p class="note">{html.escape(note)}</p>' for note in section.notes]
    for table in section.tables:
        open_ = " open" if len(table.frame) <= 25 else ""
        summary = f"{html.escape(table.title)}（{len(table.frame)} 行）"
        parts.append(
            f"<details{open_}><summary>{summary}</summary>{table_html(table.frame)}</details>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def render(month: str, sections: Sequence[Section], footer: Sequence[str],
           links: Sequence[tuple[str, str]]) -> str:  # fmt: skip
    """The whole page. `links` are (text, relative href) pairs shown in the footer."""
    contents = "".join(f'<li><a href="#{s.key}">{html.escape(s.title)}</a></li>' for s in sections)
    link_items = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for text, href in links
    )
    notes = "".join(f"<p>{html.escape(line)}</p>" for line in footer)
    body = "\n".join(_section_html(s) for s in sections)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>医保扶贫月度报告 {html.escape(month)}</title>
<style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<h1>医保扶贫月度报告（{html.escape(month)}）</h1>
<nav><ol>{contents}</ol></nav>
{body}
<footer>{notes}<ul>{link_items}</ul></footer>
</body>
</html>
"""
