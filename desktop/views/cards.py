"""Cards: how one item looks in a shelf or a grid, and the actions a card offers.

`paint_card` draws the one card look used by Home's shelves, More like this and the browse grid:
art at its own shape (square podcasts and audio, 2:3 films and shows, 16:9 episodes and videos)
from `desktop.art`, a watched badge, a "playing" badge, a progress bar, and under the art the
title and one quiet line. States: hover (the art dims a little and shows Play and More buttons),
selected (an accent ring), focused (a stronger, wider ring). `CardDelegate` paints `RowItemsModel`
rows with it and turns clicks on the hover buttons into signals. `CardActions` puts Play, Mark
played (podcasts and audio) or Mark watched (video), Not interested and More like this on a view,
as a menu and as keyboard shortcuts.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.art import Art, ArtProvider
from desktop.models.rows import RowItemsModel
from desktop.theme import CARD_ART, RADIUS, SPACE, Colors, art_shape, colors_for, font_for

__all__ = [
    "CardActions",
    "CardDelegate",
    "CardLook",
    "card_art_size",
    "card_size",
    "hover_buttons",
    "mark_finished_text",
    "paint_card",
    "theme_colors",
]

RING = 4  # room around the art for the selection and focus rings
GAP = SPACE["s"]  # between the art and the title
BAR_HEIGHT = 4
PLAY_DIAMETER = 44
MORE_DIAMETER = 28
BADGE = 22


@dataclass(frozen=True)
class CardLook:
    """Everything one card shows."""

    art: Art
    title: str
    subtitle: str
    progress: float | None = None  # fraction played while partly played
    finished: bool = False
    playing: bool = False


def theme_colors(_palette: QPalette | None = None) -> Colors:
    """The theme's colour roles: dark when the application's window colour is dark.

    The application's palette, not a widget's: a view with a transparent background reports a
    transparent (black) window colour."""
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    return colors_for(window.lightness() < 128)


def card_art_size(kind: str | None, height: int | None = None) -> QSize:
    """The art of a card for `kind`: the theme's size, or `height` tall at the kind's shape."""
    base = CARD_ART[art_shape(kind)]
    if height is None:
        return QSize(base)
    return QSize(round(height * base.width() / base.height()), height)


def card_size(art: QSize, font: QFont) -> QSize:
    """The whole card around art of `art` size: rings, the art, the title and one more line."""
    lines = (
        QFontMetrics(font_for(font, "subtitle")).height()
        + QFontMetrics(font_for(font, "caption")).height()
    )
    return QSize(art.width() + 2 * RING, 2 * RING + art.height() + GAP + lines + SPACE["xs"])


def art_rect(card: QRect, art: QSize) -> QRect:
    return QRect(card.left() + RING, card.top() + RING, art.width(), art.height())


def hover_buttons(art: QRect) -> tuple[QRect, QRect]:
    """Where the Play (centre) and More (bottom right) buttons sit on hovered art."""
    play = QRect(0, 0, PLAY_DIAMETER, PLAY_DIAMETER)
    play.moveCenter(art.center())
    inset = SPACE["s"]
    more = QRect(
        art.right() - inset - MORE_DIAMETER + 1,
        art.bottom() - inset - MORE_DIAMETER + 1 - (BAR_HEIGHT + SPACE["xs"]),
        MORE_DIAMETER,
        MORE_DIAMETER,
    )
    return play, more


def paint_card(
    painter: QPainter,
    option: QStyleOptionViewItem,
    look: CardLook,
    art_size: QSize,
    provider: ArtProvider | None,
) -> None:
    """Paint one card into `option.rect` (see the module docstring)."""
    state = option.state
    colors = theme_colors(option.palette)
    hovered = bool(state & QStyle.StateFlag.State_MouseOver)
    selected = bool(state & QStyle.StateFlag.State_Selected)
    focused = bool(state & QStyle.StateFlag.State_HasFocus)
    art = art_rect(option.rect, art_size)
    radius = float(RADIUS["art"])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)

    if provider is not None:
        provider.paint(painter, art, look.art, radius)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colors.surface_raised))
        painter.drawRoundedRect(QRectF(art), radius, radius)

    # A hairline keeps dark art from melting into a dark page (and pale art into a light one).
    painter.setPen(QPen(QColor(255, 255, 255, 22) if colors.dark else QColor(0, 0, 0, 22), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(art).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)

    clip = QPainterPath()
    clip.addRoundedRect(QRectF(art), radius, radius)
    painter.save()
    painter.setClipPath(clip)
    if hovered:
        painter.fillRect(art, QColor(0, 0, 0, 90))
    if look.progress is not None and 0.0 < look.progress < 1.0:
        _paint_progress(painter, art, look.progress, colors)
    painter.restore()

    if look.finished:
        _paint_watched(painter, art, colors)
    if look.playing:
        _paint_playing(painter, art, colors, option.font)
    if hovered:
        _paint_hover_buttons(painter, art, colors, option.widget)

    if focused or selected:
        width = 3.0 if focused else 2.0
        color = QColor(colors.focus_ring if focused else colors.accent)
        if not focused:
            color.setAlphaF(0.85)
        ring = QRectF(art).adjusted(-width / 2 - 1, -width / 2 - 1, width / 2 + 1, width / 2 + 1)
        painter.setPen(QPen(color, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(ring, radius + 2, radius + 2)

    _paint_text(painter, option, look, art, colors, selected)
    painter.restore()


def _paint_progress(painter: QPainter, art: QRect, fraction: float, colors: Colors) -> None:
    inset = SPACE["s"]
    track = QRectF(
        art.left() + inset,
        art.bottom() + 1 - inset - BAR_HEIGHT,
        art.width() - 2 * inset,
        BAR_HEIGHT,
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 120))
    painter.drawRoundedRect(track.adjusted(-1, -1, 1, 1), 3, 3)
    painter.setBrush(QColor(255, 255, 255, 90))
    painter.drawRoundedRect(track, 2, 2)
    done = QRectF(track)
    done.setWidth(max(BAR_HEIGHT, track.width() * fraction))
    painter.setBrush(QColor(colors.accent if not colors.dark else colors.focus_ring))
    painter.drawRoundedRect(done, 2, 2)


def _paint_watched(painter: QPainter, art: QRect, colors: Colors) -> None:
    inset = SPACE["s"]
    badge = QRectF(art.right() + 1 - inset - BADGE, art.top() + inset, BADGE, BADGE)
    painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
    painter.setBrush(QColor(colors.watched))
    painter.drawEllipse(badge)
    check = QPainterPath()
    c = badge.center()
    check.moveTo(c + QPointF(-5, 0.5))
    check.lineTo(c + QPointF(-1.5, 4))
    check.lineTo(c + QPointF(5, -3.5))
    pen = QPen(QColor("#ffffff"), 2.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(check)


def _paint_playing(painter: QPainter, art: QRect, colors: Colors, base: QFont) -> None:
    font = font_for(base, "overline")
    metrics = QFontMetrics(font)
    text = QApplication.translate("CardDelegate", "Playing")
    inset = SPACE["s"]
    height = max(BADGE, metrics.height() + 4)
    pill = QRectF(art.left() + inset, art.top() + inset, 0, height)
    pill.setWidth(SPACE["s"] + 12 + SPACE["xs"] + metrics.horizontalAdvance(text) + SPACE["s"])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colors.accent))
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setBrush(QColor(colors.accent_text))
    # Three bars of an equaliser: the universal "this one is playing" mark.
    x = pill.left() + SPACE["s"]
    for n, bar in enumerate((0.55, 1.0, 0.75)):
        h = (height - 10) * bar
        painter.drawRect(QRectF(x + n * 4.5, pill.bottom() - 5 - h, 3, h))
    painter.setPen(QColor(colors.accent_text))
    painter.setFont(font)
    text_rect = pill.adjusted(SPACE["s"] + 12 + SPACE["xs"], 0, 0, 0)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


def _paint_hover_buttons(
    painter: QPainter, art: QRect, colors: Colors, widget: QWidget | None
) -> None:
    play, more = hover_buttons(art)
    cursor = widget.mapFromGlobal(QCursor.pos()) if widget is not None else QPoint(-1, -1)
    over_play, over_more = play.contains(cursor), more.contains(cursor)
    painter.setPen(Qt.PenStyle.NoPen)
    fill = QColor(colors.accent)
    if over_play:
        fill = fill.lighter(115)
    painter.setBrush(fill)
    grow = 2 if over_play else 0
    painter.drawEllipse(QRectF(play).adjusted(-grow, -grow, grow, grow))
    triangle = QPainterPath()
    c = QPointF(play.center()) + QPointF(1.5, 0)
    side = PLAY_DIAMETER * 0.34
    triangle.moveTo(c + QPointF(-side * 0.45, -side * 0.55))
    triangle.lineTo(c + QPointF(side * 0.6, 0))
    triangle.lineTo(c + QPointF(-side * 0.45, side * 0.55))
    triangle.closeSubpath()
    painter.setBrush(QColor(colors.accent_text))
    painter.drawPath(triangle)

    painter.setBrush(QColor(0, 0, 0, 170 if over_more else 120))
    painter.drawEllipse(QRectF(more))
    painter.setBrush(QColor("#ffffff"))
    center = QPointF(more.center())
    for dx in (-6.0, 0.0, 6.0):
        painter.drawEllipse(center + QPointF(dx, 0.5), 1.8, 1.8)


def _paint_text(
    painter: QPainter,
    option: QStyleOptionViewItem,
    look: CardLook,
    art: QRect,
    colors: Colors,
    selected: bool,
) -> None:
    title_font = font_for(option.font, "subtitle")
    caption_font = font_for(option.font, "caption")
    top = art.bottom() + 1 + GAP
    width = art.width()
    for font, color, text in (
        (title_font, QColor(colors.accent if selected else colors.text), look.title),
        (caption_font, QColor(colors.text_muted), look.subtitle),
    ):
        metrics = QFontMetrics(font)
        if text:
            painter.setFont(font)
            painter.setPen(color)
            line = QRect(art.left(), top, width, metrics.height())
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(
                line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
            )
        top += metrics.height()


class CardDelegate(QStyledItemDelegate):
    """Paints `RowItemsModel` rows as cards; clicks on the hover buttons become signals.

    `art_height`: None gives every card its kind's theme size; a number makes every card that
    tall (widths still follow each kind's shape), so a row mixing kinds stays aligned.
    """

    playClicked = Signal(int)
    moreClicked = Signal(int, QPoint)  # item id, global position for a menu

    def __init__(self, view: QAbstractItemView, art: ArtProvider | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.art = art
        self.art_height: int | None = None
        self.playing_id: int | None = None
        if art is not None:
            art.changed.connect(view.viewport().update)

    def art_size(self, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return card_art_size(index.data(RowItemsModel.KindRole), self.art_height)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return card_size(self.art_size(index), option.font)

    def over_button(
        self, rect: QRect, index: QModelIndex | QPersistentModelIndex, pos: QPoint
    ) -> bool:
        """Whether `pos` is on the Play or More button of the card at `rect`."""
        play, more = hover_buttons(art_rect(rect, self.art_size(index)))
        return play.contains(pos) or more.contains(pos)

    def look(self, index: QModelIndex | QPersistentModelIndex) -> CardLook:
        title = str(index.data(RowItemsModel.TitleRole) or "")
        show = str(index.data(RowItemsModel.ShowRole) or "")
        kind = index.data(RowItemsModel.KindRole)
        duration = str(index.data(RowItemsModel.DurationTextRole) or "")
        item_id = index.data(RowItemsModel.ItemIdRole)
        path = index.data(RowItemsModel.ArtworkRole)
        progress = index.data(RowItemsModel.ProgressRole)
        return CardLook(
            art=Art(path=str(path) if path else None, title=title, show=show, kind=kind),
            title=title,
            subtitle=" · ".join(p for p in (show, duration) if p),
            progress=progress if isinstance(progress, float) else None,
            finished=bool(index.data(RowItemsModel.FinishedRole)),
            playing=item_id is not None and item_id == self.playing_id,
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        paint_card(painter, opt, self.look(index), self.art_size(index), self.art)

    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            play, more = hover_buttons(art_rect(option.rect, self.art_size(index)))
            pos = event.position().toPoint()
            item_id = index.data(RowItemsModel.ItemIdRole)
            if item_id is not None and play.contains(pos):
                self.playClicked.emit(int(item_id))
                return True
            if item_id is not None and more.contains(pos):
                self.moreClicked.emit(int(item_id), event.globalPosition().toPoint())
                return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]


AUDIO_KINDS = frozenset({"podcast", "audio"})  # played and finished; every other kind watched


def mark_finished_text(kind: object) -> str:
    """The Mark action's words for a card of `kind`: podcasts and audio are played, video
    watched. The Browse page's strings, so one translation serves both."""
    if str(kind or "") in AUDIO_KINDS:
        return QCoreApplication.translate("BrowsePage", "Mark p&layed")
    return QCoreApplication.translate("BrowsePage", "Mark &watched")


class CardActions(QObject):
    """Play, Mark played/watched, Not interested and More like this for the current card of
    `view`; the Mark action is worded for the current card's kind (`mark_finished_text`).

    Keyboard: Enter plays, W marks played or watched, Delete dismisses, M finds similar, and the
    Menu key or Shift+F10 opens the menu. The actions only say what was asked (signals); the
    owner acts.
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
            mark_finished_text(None), [QKeySequence(Qt.Key.Key_W)], self.markWatchedRequested
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
        # Worded when it opens: by then the card it is for is current.
        self.menu.aboutToShow.connect(self.update_wording)
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

        delegate = view.itemDelegate()
        if isinstance(delegate, CardDelegate):
            # The buttons on a hovered card: the press already made that card current.
            delegate.playClicked.connect(self.playRequested)
            delegate.moreClicked.connect(lambda _item_id, pos: self.menu.popup(pos))

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

    def update_wording(self) -> None:
        """Word the Mark action for the current card's kind (played or watched)."""
        index = self.view.currentIndex()
        kind = index.data(RowItemsModel.KindRole) if index.isValid() else None
        self.mark_watched_action.setText(mark_finished_text(kind))

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
