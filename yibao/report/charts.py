"""The report's charts (plotly), with Chinese labels. Each function returns a Figure; the page
inlines plotly.js once and renders every figure in the browser as SVG."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

#: CJK fonts first: whichever the reader's machine has
FONT = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
ALERT = "#d62728"
NORMAL = "#7f7f7f"


def _styled(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.01},
        font={"family": FONT, "size": 13},
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": 60},
        legend={"title": {"text": ""}},
    )
    return figure


def _target_line(figure: go.Figure, target: float) -> None:
    figure.add_hline(
        y=target,
        line_dash="dash",
        line_color=ALERT,
        annotation_text=f"目标 {target:g}%",
        annotation_position="top left",
    )


def sorted_bars_with_target(
    frame: pd.DataFrame, x: str, y: str, color: str, title: str, target: float = 100.0
) -> go.Figure:
    """Bars sorted from the lowest value up, with a dashed line at the target."""
    ordered = frame.sort_values(y, kind="stable")
    figure = px.bar(ordered, x=x, y=y, color=color, category_orders={x: list(ordered[x])})
    _target_line(figure, target)
    figure.update_yaxes(range=[max(0.0, min(ordered[y].min() - 5, target - 20)), target + 3])
    return _styled(figure, title, height=460)


def trend_with_target(
    frame: pd.DataFrame, x: str, y: str, color: str, title: str, target: float = 100.0
) -> go.Figure:
    figure = px.line(frame, x=x, y=y, color=color, markers=True)
    _target_line(figure, target)
    # months in order on a category axis (by first appearance, a province whose early months
    # are hidden would put them last)
    figure.update_xaxes(type="category", categoryorder="category ascending")
    return _styled(figure, title)


def stacked_bars(frame: pd.DataFrame, category: str, value: str, stack: str, title: str):
    """Horizontal bars, one per `category`, stacked by `stack`; the largest total on top."""
    order = frame.groupby(category)[value].sum().sort_values(ascending=False).index.tolist()
    figure = px.bar(frame, y=category, x=value, color=stack, orientation="h",
                    category_orders={category: order})  # fmt: skip
    return _styled(figure, title, height=max(420, 24 * len(order) + 140))


def bars(frame: pd.DataFrame, category: str, value: str, title: str, color: str | None = None):
    """Horizontal bars, the largest on top."""
    ordered = frame.sort_values(value, ascending=False, kind="stable")
    figure = px.bar(ordered, y=category, x=value, color=color, orientation="h",
                    category_orders={category: list(dict.fromkeys(ordered[category]))})  # fmt: skip
    return _styled(figure, title, height=max(360, 28 * ordered[category].nunique() + 140))


def changes_with_alerts(frame: pd.DataFrame, title: str) -> go.Figure:
    """Each indicator's change on the previous month (%), one point per region; points past
    their alert threshold in red, with the region and values on hover."""
    figure = go.Figure()
    for is_alert, name, colour in ((False, "正常波动", NORMAL), (True, "预警", ALERT)):
        part = frame[frame["is_alert"] == is_alert]
        figure.add_trace(
            go.Scatter(
                x=part["change_percent"], y=part["indicator_zh"], mode="markers", name=name,
                marker={"color": colour, "size": 11 if is_alert else 8,
                        "symbol": "diamond" if is_alert else "circle"},
                text=part["region_name"],
                hovertemplate="%{text}<br>%{y}: %{x:.1f}%<extra></extra>",
            )
        )  # fmt: skip
    figure.add_vline(x=0, line_color=NORMAL)
    figure.update_xaxes(title="较上月变化（金额和人次：%；比率：百分点）")
    figure.update_yaxes(categoryorder="array", categoryarray=sorted(set(frame["indicator_zh"])))
    return _styled(figure, title, height=max(420, 22 * frame["indicator_zh"].nunique() + 140))
