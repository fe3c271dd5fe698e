"""Recommendation cards: the delegate that paints one, and the actions a card offers.

`CardDelegate` paints from `RowItemsModel` roles only (no engine calls, no disk reads: artwork
arrives decoded in the model). `CardActions` puts Play, Mark watched, Not interested and
More like this on a view, as a context menu and as keyboard shortcuts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
)

from desktop.models.rows import ART_SIZE, RowItemsModel

__all__ = ["CardActions", "CardDelegate"]

PADDING = 8
GAP = 6  # between the artwork and the text
RADIUS = 6.0
BAR_HEIGHT = 4
_AUDIO_KINDS = frozenset({"podcast", "audio"})
_VIDEO_KINDS = frozenset({"movie", "episode", "video"})


class CardDelegate(QStyledItemDelegate):
    """Paints a card: artwork (or a placeholder), progress, title, show and duration."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        lines = self._bold(option.font).height() + 2 * QFontMetrics(option.font).height()
        return QSize(ART_SIZE.width() + 2 * PADDING, 2 * PADDING + ART_SIZE.height() + GAP + lines)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        # Selection and hover backgrounds the way the platform style draws them.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)

        rect = opt.rect
        art = QRect(
            rect.left() + PADDING, rect.top() + PADDING, ART_SIZE.width(), ART_SIZE.height()
        )
        self._paint_art(painter, opt, index, art, style)
        progress = index.data(RowItemsModel.ProgressRole)
        if isinstance(progress, float) and 0.0 < progress < 1.0:
            self._paint_progress(painter, opt, art, progress)
        self._paint_text(painter, opt, index, art)

        if opt.state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionFocusRect()
            if widget is not None:
                focus.initFrom(widget)
            focus.rect = rect.adjusted(1, 1, -1, -1)
            focus.state = opt.state | QStyle.StateFlag.State_KeyboardFocusChange
            focus.backgroundColor = opt.palette.color(QPalette.ColorRole.Base)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, widget)
        painter.restore()

    # --- parts ---------------------------------------------------------------------------------

    def _paint_art(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        art: QRect,
        style: QStyle,
    ) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(art, RADIUS, RADIUS)
        painter.save()
        painter.setClipPath(clip)
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        pixmap = self._artwork(index, art.size(), dpr)
        if pixmap is not None:
            painter.drawPixmap(art.topLeft(), pixmap)
        else:
            # A neutral tile with the kind's icon: the card keeps its shape without artwork.
            painter.fillRect(art, opt.palette.color(QPalette.ColorRole.Mid))
            icon = style.standardIcon(_kind_icon(index.data(RowItemsModel.KindRole)), None, None)
            side = min(art.height() // 2, 40)
            icon_rect = QRect(0, 0, side, side)
            icon_rect.moveCenter(art.center())
            icon.paint(painter, icon_rect)
        painter.restore()

    def _artwork(
        self, index: QModelIndex | QPersistentModelIndex, size: QSize, dpr: float
    ) -> QPixmap | None:
        path = index.data(RowItemsModel.ArtworkRole)
        image = index.data(Qt.ItemDataRole.DecorationRole)
        if not path or not isinstance(image, QImage) or image.isNull():
            return None
        key = f"reelcast-card:{path}:{size.width()}x{size.height()}@{dpr:g}"
        cached = QPixmap()
        if QPixmapCache.find(key, cached) and not cached.isNull():
            return cached
        target = QSize(round(size.width() * dpr), round(size.height() * dpr))
        # Fill the tile and crop the overflow, like a poster; letterboxing looks broken in a row.
        scaled = image.scaled(
            target,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        crop = QRect(QPoint(0, 0), target)
        crop.moveCenter(scaled.rect().center())
        pixmap = QPixmap.fromImage(scaled.copy(crop))
        pixmap.setDevicePixelRatio(dpr)
        QPixmapCache.insert(key, pixmap)
        return pixmap

    def _paint_progress(
        self, painter: QPainter, opt: QStyleOptionViewItem, art: QRect, fraction: float
    ) -> None:
        track = QRect(art.left(), art.bottom() - BAR_HEIGHT + 1, art.width(), BAR_HEIGHT)
        painter.fillRect(track, QColor(0, 0, 0, 140))
        done = QRect(track)
        done.setWidth(max(1, round(track.width() * fraction)))
        painter.fillRect(done, opt.palette.color(QPalette.ColorRole.Highlight))

    def _paint_text(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        art: QRect,
    ) -> None:
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Disabled
            if not opt.state & QStyle.StateFlag.State_Enabled
            else QPalette.ColorGroup.Active
            if opt.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = opt.palette.color(group, role)
        secondary = QColor(color)
        secondary.setAlphaF(0.7)  # show and duration recede behind the title

        width = art.width()
        top = art.bottom() + 1 + GAP
        bold = QFont(opt.font)
        bold.setBold(True)
        lines: list[tuple[QFont, QColor, str]] = [
            (bold, color, str(index.data(RowItemsModel.TitleRole) or "")),
            (opt.font, secondary, str(index.data(RowItemsModel.ShowRole) or "")),
            (opt.font, secondary, str(index.data(RowItemsModel.DurationTextRole) or "")),
        ]
        for font, pen, text in lines:
            metrics = QFontMetrics(font)
            if text:
                painter.setFont(font)
                painter.setPen(pen)
                line = QRect(art.left(), top, width, metrics.height())
                elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
                painter.drawText(
                    line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
                )
            top += metrics.height()

    @staticmethod
    def _bold(font: QFont) -> QFontMetrics:
        bold = QFont(font)
        bold.setBold(True)
        return QFontMetrics(bold)


def _kind_icon(kind: Any) -> QStyle.StandardPixmap:
    if kind in _AUDIO_KINDS:
        return QStyle.StandardPixmap.SP_MediaVolume
    if kind in _VIDEO_KINDS:
        return QStyle.StandardPixmap.SP_MediaPlay
    return QStyle.StandardPixmap.SP_FileIcon


class CardActions(QObject):
    """Play, Mark watched, Not interested and More like this for the current card of `view`.

    Keyboard: Enter plays, W marks watched, Delete dismisses, M finds similar, and the Menu key
    or Shift+F10 opens the menu. The actions only say what was asked (signals); the owner acts.
    """

    playRequested = Signal(int)
    markWatchedRequested = Signal(int)
    notInterestedRequested = Signal(int)
    moreLikeThisRequested = Signal(int)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        self.play_action = self._action(
            self.tr("&Play"),
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
            self.playRequested,
        )
        self.mark_watched_action = self._action(
            self.tr("Mark &watched"), [QKeySequence(Qt.Key.Key_W)], self.markWatchedRequested
        )
        self.not_interested_action = self._action(
            self.tr("&Not interested"),
            QKeySequence.keyBindings(QKeySequence.StandardKey.Delete),
            self.notInterestedRequested,
        )
        self.more_like_this_action = self._action(
            self.tr("&More like this"), [QKeySequence(Qt.Key.Key_M)], self.moreLikeThisRequested
        )
        self.card_actions = (
            self.play_action,
            self.mark_watched_action,
            self.not_interested_action,
            self.more_like_this_action,
        )

        self.menu = QMenu(view)
        self.menu.setAccessibleName(self.tr("Card actions"))
        self.menu.addAction(self.play_action)
        self.menu.addSeparator()
        for action in self.card_actions[1:]:
            self.menu.addAction(action)

        self.menu_action = QAction(self.tr("Show card actions"), view)
        self.menu_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Menu), QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F10)]
        )
        self.menu_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.menu_action.triggered.connect(self.show_menu)
        view.addAction(self.menu_action)

        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu_at)
        # Double-click plays; Enter is the Play shortcut, so `activated` is not used (no double).
        view.doubleClicked.connect(lambda _index: self._request(self.playRequested))

    def _action(self, text: str, keys: list[QKeySequence], signal: SignalInstance) -> QAction:
        action = QAction(text, self.view)
        action.setShortcuts(keys)
        # Each row's view has its own actions: they apply to the focused row only.
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: self._request(signal))
        self.view.addAction(action)
        return action

    def current_item_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        item_id = index.data(RowItemsModel.ItemIdRole)
        return int(item_id) if item_id is not None else None

    def _request(self, signal: SignalInstance) -> None:
        item_id = self.current_item_id()
        if item_id is not None:
            signal.emit(item_id)

    def show_menu(self) -> None:
        """Open the menu at the current card (the keyboard way in)."""
        index = self.view.currentIndex()
        model = self.view.model()
        if not index.isValid() and model is not None and model.rowCount() > 0:
            index = model.index(0, 0)
            self.view.setCurrentIndex(index)
        if index.isValid():
            self.view.scrollTo(index)
            self._popup(self.view.visualRect(index).center())

    def _menu_at(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self._popup(pos)

    def _popup(self, viewport_pos: QPoint) -> None:
        # popup, not exec: no nested event loop while background results keep arriving.
        self.menu.popup(self.view.viewport().mapToGlobal(viewport_pos))
