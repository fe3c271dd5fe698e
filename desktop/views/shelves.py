"""Home's shelves: a heading over one line of cards with no scroll bar and no box.

A shelf scrolls sideways with a horizontal wheel or trackpad swipe (Shift+wheel too), with the
arrow buttons that appear while the pointer is over it, and with the keys. Home stacks them;
the detail page's More like this is one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QPointF,
    QPropertyAnimation,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from desktop.art import ArtProvider
from desktop.models.rows import CardInfo, RowItemsModel
from desktop.tasks import Tasks
from desktop.theme import SPACE, TYPE, art_shape
from desktop.views.cards import CardActions, CardDelegate, card_art_size, card_size, theme_colors
from engine.library import Library

if TYPE_CHECKING:
    from engine.library import RowItem

log = logging.getLogger(__name__)

__all__ = ["RowShelf", "ShelfView", "heading_font"]

_ARROW = 40  # the shelf's scroll buttons


def heading_font(base: QFont, role: str = "title") -> QFont:
    scale, weight = TYPE[role]
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setWeight(QFont.Weight(weight))
    return font


class ShelfView(QListView):
    """One line of cards: no scroll bars, no frame; the wheel scrolls it only sideways.

    A vertical wheel is left to the page (so the page scrolls under the pointer as everywhere);
    a horizontal wheel, a sideways swipe or Shift+wheel scrolls the shelf.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)  # IconMode would let cards be dragged
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(SPACE["s"])
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)  # hover states and tooltips
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QListView { background: transparent; border: none; }")
        self._animation = QPropertyAnimation(self.horizontalScrollBar(), b"value", self)
        self._animation.setDuration(280)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        # The hover buttons light up under the pointer, and it becomes a hand over them.
        index = self.indexAt(event.position().toPoint())
        delegate = self.itemDelegate()
        over = False
        if index.isValid() and isinstance(delegate, CardDelegate):
            over = delegate.over_button(self.visualRect(index), index, event.position().toPoint())
            self.viewport().update(self.visualRect(index))
        shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixels, angle = event.pixelDelta(), event.angleDelta()
        dx = pixels.x() or angle.x()
        if not dx and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            dx = pixels.y() or angle.y()
        if not dx:
            event.ignore()  # the page scrolls
            return
        bar = self.horizontalScrollBar()
        self._animation.stop()
        bar.setValue(bar.value() - dx)
        event.accept()

    def page(self, direction: int) -> None:
        """Scroll about one screenful of cards left (-1) or right (1), smoothly."""
        bar = self.horizontalScrollBar()
        running = self._animation.state() == QAbstractAnimation.State.Running
        start = self._animation.endValue() if running else bar.value()
        step = max(1, round(self.viewport().width() * 0.8))
        target = max(bar.minimum(), min(bar.maximum(), int(start) + direction * step))
        self._animation.stop()
        self._animation.setStartValue(bar.value())
        self._animation.setEndValue(target)
        self._animation.start()

    def can_scroll(self, direction: int) -> bool:
        bar = self.horizontalScrollBar()
        return bar.value() > bar.minimum() if direction < 0 else bar.value() < bar.maximum()


class _ArrowButton(QAbstractButton):
    """A round button with a chevron, floating over a shelf's edge."""

    def __init__(self, direction: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.direction = direction
        self.setFixedSize(_ARROW, _ARROW)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys already scroll a shelf
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    def paintEvent(self, _event: QPaintEvent) -> None:
        colors = theme_colors(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 50))
        painter.drawEllipse(rect.translated(0, 1.5))
        fill = QColor(colors.surface_raised if self.underMouse() else colors.surface)
        painter.setBrush(fill)
        painter.setPen(QPen(QColor(colors.border), 1))
        painter.drawEllipse(rect)
        pen = QPen(QColor(colors.text), 2.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        c = rect.center()
        d = 4.5 * self.direction
        chevron = QPainterPath(c + QPointF(-d / 1.5, -9))
        chevron.lineTo(c + QPointF(d, 0))
        chevron.lineTo(c + QPointF(-d / 1.5, 9))
        painter.drawPath(chevron)
        painter.end()


class RowShelf(QWidget):
    """One titled shelf: a heading over a single line of cards (see the module docstring)."""

    def __init__(self, library: Library, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.label = QLabel(self)
        self.label.setFont(heading_font(self.label.font()))

        self.view = ShelfView(self)
        self.view.setAccessibleDescription(
            self.tr("Enter plays the selected card; the Menu key or Shift+F10 shows more actions.")
        )
        self.label.setBuddy(self.view)

        self.model = RowItemsModel(library, tasks, self)
        self.view.setModel(self.model)
        self.art = ArtProvider.shared(library, tasks)
        self.delegate = CardDelegate(self.view, self.art)
        self.view.setItemDelegate(self.delegate)
        self.card_actions = CardActions(self.view)

        self.left = _ArrowButton(-1, self)
        self.right = _ArrowButton(1, self)
        self.left.setToolTip(self.tr("Scroll left"))
        self.right.setToolTip(self.tr("Scroll right"))
        self.left.clicked.connect(lambda: self.view.page(-1))
        self.right.clicked.connect(lambda: self.view.page(1))
        self.left.hide()
        self.right.hide()
        bar = self.view.horizontalScrollBar()
        bar.valueChanged.connect(self._update_arrows)
        bar.rangeChanged.connect(self._update_arrows)
        self.model.dataChanged.connect(self._fit_height)
        self.model.modelReset.connect(self._fit_height)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACE["xs"])
        heading = QHBoxLayout()
        heading.setContentsMargins(SPACE["xs"] + SPACE["s"], 0, 0, 0)  # flush with the art
        heading.addWidget(self.label)
        heading.addStretch(1)
        layout.addLayout(heading)
        layout.addWidget(self.view)
        self.title = ""
        self._hovered = False
        self._laid_out_kinds: list[str | None] = []
        self._fit_height()

    # --- size and arrows -----------------------------------------------------------------------

    def _kinds(self) -> list[str | None]:
        return [
            self.model.index(row, 0).data(RowItemsModel.KindRole)
            for row in range(self.model.rowCount())
        ]

    def _fit_height(self, *_args: Any) -> None:
        kinds = self._kinds()
        shapes = {art_shape(kind) for kind in kinds if kind}
        # One shape: the theme's size for it. Mixed: all as tall as a square card, each at
        # its own shape, so the row stays one clean line.
        height = None if len(shapes) <= 1 else card_art_size("podcast").height()
        # Card widths follow each kind and the row's height: lay out again when either changes.
        relayout = self.delegate.art_height != height or kinds != self._laid_out_kinds
        self._laid_out_kinds = kinds
        self.delegate.art_height = height
        kind = next(iter(shapes)) if len(shapes) == 1 else None
        sample = {"square": "podcast", "poster": "movie", "landscape": "episode"}.get(kind or "")
        art = card_art_size(sample if sample else "podcast", height)
        card = card_size(art, self.view.font()).height()
        wanted = card + 2 * self.view.spacing()
        if self.view.height() != wanted:
            self.view.setFixedHeight(wanted)
            relayout = True
        if relayout:
            self.view.doItemsLayout()

    def _update_arrows(self, *_args: int) -> None:
        self.left.setVisible(self._hovered and self.view.can_scroll(-1))
        self.right.setVisible(self._hovered and self.view.can_scroll(1))
        self._place_arrows()

    def _place_arrows(self) -> None:
        geometry = self.view.geometry()
        y = geometry.top() + (geometry.height() - _ARROW) // 2 - SPACE["l"]
        self.left.move(geometry.left() + SPACE["xs"], y)
        self.right.move(geometry.right() - _ARROW - SPACE["xs"], y)
        self.left.raise_()
        self.right.raise_()

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hovered = True
        self._update_arrows()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = False
        self._update_arrows()
        super().leaveEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_arrows()

    # --- contents ------------------------------------------------------------------------------

    def set_row(
        self,
        title: str,
        items: Sequence[RowItem],
        profile_id: int | None,
        cards: dict[int, CardInfo],
    ) -> None:
        self.title = title
        self.label.setText(title)
        self.view.setAccessibleName(title)
        current = self.view.currentIndex()
        previous_id = self.model.item_id(current.row()) if current.isValid() else None
        self.model.set_items(items, profile_id, cards)
        if previous_id is not None:
            # Keep the keyboard user's place: the same card, or its neighbour if it left.
            row = self.model.row_of(previous_id)
            self._select(row if row >= 0 else current.row())
        self._fit_height()

    def remove_item(self, item_id: int) -> bool:
        current = self.view.currentIndex()
        row = self.model.row_of(item_id)
        if not self.model.remove_item(item_id):
            return False
        if current.isValid() and current.row() == row:
            self._select(row)
        return True

    def set_playing(self, item_id: int | None) -> None:
        if self.delegate.playing_id != item_id:
            self.delegate.playing_id = item_id
            self.view.viewport().update()

    def _select(self, row: int) -> None:
        count = self.model.rowCount()
        if count:
            self.view.setCurrentIndex(self.model.index(min(max(row, 0), count - 1), 0))
