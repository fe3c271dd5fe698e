"""How one search result is drawn: art in a fixed slot, the title, a details line (show · kind ·
year · duration · why it matched) and a line of the description with the matched words marked;
and the "Closest matches" header that separates the results below the engine's cut-off."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.art import Art, ArtProvider, art_size
from desktop.models.search_results import SearchResultsModel
from desktop.theme import RADIUS, SPACE, colors_for, font_for

ART_HEIGHT = 64  # the slot's height; its width fits a square, posters and frames fit inside
_PAD = SPACE["s"]


class ResultDelegate(QStyledItemDelegate):
    """One row per result; the header row is a small label with a rule above it."""

    def __init__(self, view: QListView, art: ArtProvider | None) -> None:
        super().__init__(view)
        self.view = view
        self.provider = art
        if art is not None:
            art.changed.connect(view.viewport().update)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = option.rect.width() or 300
        if index.data(SearchResultsModel.HeaderRole):
            caption = font_for(option.font, "overline")
            return QSize(width, QFontMetrics(caption).height() + SPACE["xl"] + SPACE["s"])
        lines = (
            QFontMetrics(font_for(option.font, "subtitle")).height()
            + 2 * QFontMetrics(option.font).height()
        )
        return QSize(width, max(ART_HEIGHT, lines) + 2 * _PAD)

    def art_rect(self, rect: QRect, index: QModelIndex | QPersistentModelIndex) -> QRect:
        """The art of the row at `rect`: its kind's shape, centred in a square slot."""
        shape = art_size(str(index.data(SearchResultsModel.KindRole) or "") or None)
        if shape.width() >= shape.height():
            size = QSize(ART_HEIGHT, round(ART_HEIGHT * shape.height() / shape.width()))
        else:
            size = QSize(round(ART_HEIGHT * shape.width() / shape.height()), ART_HEIGHT)
        slot = QRect(rect.left() + _PAD, rect.top() + _PAD, ART_HEIGHT, rect.height() - 2 * _PAD)
        art = QRect(0, 0, size.width(), size.height())
        art.moveCenter(slot.center())
        return art

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        window = option.palette.color(option.palette.ColorRole.Window)
        colors = colors_for(window.lightness() < 128)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if index.data(SearchResultsModel.HeaderRole):
                self._paint_header(painter, option, index, QColor(colors.text_muted), colors.border)
                return
            state = option.state
            row = option.rect.adjusted(SPACE["xs"], 1, -SPACE["xs"], -1)
            radius = float(RADIUS["control"])
            selected = bool(state & QStyle.StateFlag.State_Selected)
            if selected or state & QStyle.StateFlag.State_MouseOver:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(colors.selected if selected else colors.hover))
                painter.drawRoundedRect(row, radius, radius)
            if state & QStyle.StateFlag.State_HasFocus and self.view.hasFocus():
                painter.setPen(QPen(QColor(colors.focus_ring), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(row.adjusted(1, 1, -1, -1), radius, radius)
            self._paint_art(painter, option.rect, index)
            left = option.rect.left() + _PAD + ART_HEIGHT + SPACE["m"]
            text = QRect(left, option.rect.top() + _PAD, option.rect.right() - _PAD - left, 0)
            self._paint_text(painter, option, index, text, colors.text, colors.text_muted)
        finally:
            painter.restore()

    def _paint_header(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        muted: QColor,
        rule: str,
    ) -> None:
        rect = option.rect.adjusted(_PAD, 0, -_PAD, 0)
        painter.setPen(QPen(QColor(rule), 1))
        top = rect.top() + SPACE["s"]
        painter.drawLine(rect.left(), top, rect.right(), top)
        painter.setFont(font_for(option.font, "overline"))
        painter.setPen(muted)
        painter.drawText(
            rect.adjusted(0, SPACE["m"], 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            str(index.data(Qt.ItemDataRole.DisplayRole) or "").upper(),
        )

    def _paint_art(
        self, painter: QPainter, rect: QRect, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if self.provider is None:
            return
        item_id = index.data(SearchResultsModel.ItemIdRole)
        path = index.data(SearchResultsModel.ArtRole)
        art = Art(
            path=str(path) if path else None,
            title=str(index.data(SearchResultsModel.TitleRole) or ""),
            show=str(index.data(SearchResultsModel.ShowRole) or ""),
            kind=str(index.data(SearchResultsModel.KindRole) or "") or None,
            # Without stored art the provider asks the library (a video's frame) in the
            # background; the row shows a quiet tile until then.
            item_id=None if path or item_id is None else int(item_id),
        )
        self.provider.paint(painter, self.art_rect(rect, index), art, RADIUS["art"] / 2)

    def _paint_text(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        rect: QRect,
        text: str,
        muted: str,
    ) -> None:
        title_font = font_for(option.font, "subtitle")
        details = [
            str(index.data(role) or "")
            for role in (
                SearchResultsModel.ShowRole,
                SearchResultsModel.KindTextRole,
                SearchResultsModel.YearRole,
                SearchResultsModel.DurationTextRole,
                SearchResultsModel.MatchRole,
            )
        ]
        top = rect.top()
        for font, color, line in (
            (title_font, text, str(index.data(SearchResultsModel.TitleRole) or "")),
            (option.font, muted, " · ".join(d for d in details if d)),
        ):
            metrics = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(QColor(color))
            painter.drawText(
                QRect(rect.left(), top, rect.width(), metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width()),
            )
            top += metrics.height()
        pieces = index.data(SearchResultsModel.SnippetRole) or []
        paint_snippet(
            painter, option.font, pieces, QRect(rect.left(), top, rect.width(), 0), muted, text
        )


def paint_snippet(
    painter: QPainter,
    font: QFont,
    pieces: list[tuple[str, bool]],
    rect: QRect,
    color: str,
    highlight: str,
) -> None:
    """One line of (text, highlighted) pieces from rect's top left, the matched words bold in
    the text colour, the rest muted; cut with "…" at the right edge."""
    bold = QFont(font)
    bold.setBold(True)
    x, right = rect.left(), rect.left() + rect.width()
    height = QFontMetrics(font).height()
    for piece, marked in pieces:
        chosen = bold if marked else font
        metrics = QFontMetrics(chosen)
        painter.setFont(chosen)
        painter.setPen(QColor(highlight if marked else color))
        width = metrics.horizontalAdvance(piece)
        if x + width > right:
            piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, right - x)
            width = right - x
        if width <= 0:
            break
        painter.drawText(
            QRect(x, rect.top(), width, height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            piece,
        )
        x += width
        if x >= right:
            break
