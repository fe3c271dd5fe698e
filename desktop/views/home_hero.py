"""Home's hero band: the one thing to play now, large, with its art as a soft backdrop.

It shows what is in progress (with how much is left), else what is next, else the top pick:
art at its own shape, an overline naming why (the row's title), the title, a quiet line, a
progress bar, and Play/Resume and More like this buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop.art import Art, ArtProvider, cover_colors
from desktop.models.formatting import length_text
from desktop.models.rows import CardInfo
from desktop.theme import RADIUS, SPACE, art_shape, font_for
from desktop.views.cards import theme_colors

__all__ = ["HeroBand"]

ART_HEIGHT = 216
# The art decoded this small and scaled up is a wash of its colours, for free. Any larger and
# a poster's lettering survives as a light streak across the band.
BACKDROP = QSize(4, 2)


class HeroBand(QWidget):
    playRequested = Signal(int)
    moreLikeThisRequested = Signal(int)

    def __init__(self, art: ArtProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.art_provider = art
        self.item_id: int | None = None
        self.art: Art | None = None
        self.kind = ""
        self.progress: float | None = None
        art.changed.connect(self.update)
        self.setAccessibleName(self.tr("Featured"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(ART_HEIGHT + 2 * SPACE["xl"])

        self.overline = QLabel(self)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.subtitle = QLabel(self)
        for label, role in (
            (self.overline, "overline"),
            (self.title, "display"),
            (self.subtitle, "body"),
        ):
            label.setFont(font_for(self.font(), role))
        self.title.setMaximumHeight(self.title.fontMetrics().lineSpacing() * 2 + 4)
        self.play = QPushButton(self)
        self.play.setObjectName("heroPlay")
        self.play.setCursor(Qt.CursorShape.PointingHandCursor)
        self.play.clicked.connect(self._play)
        self.more = QPushButton(self.tr("More like this"), self)
        self.more.setObjectName("heroMore")
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.clicked.connect(self._more)

        text = QVBoxLayout()
        text.setSpacing(SPACE["xs"])
        text.addStretch(1)
        text.addWidget(self.overline)
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        text.addSpacing(SPACE["l"] + 6)  # room for the progress bar painted here
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACE["s"])
        buttons.addWidget(self.play)
        buttons.addWidget(self.more)
        buttons.addStretch(1)
        text.addLayout(buttons)
        text.addStretch(1)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(SPACE["xl"], SPACE["xl"], SPACE["xl"], SPACE["xl"])
        self._layout.addLayout(text, 1)  # the art is painted to its left (see _place_text)
        self._style()

    def _style(self) -> None:
        colors = theme_colors(self.palette())
        hover = QColor(colors.accent).lighter(112).name()
        self.setStyleSheet(
            f"""
            QLabel {{ color: #ffffff; background: transparent; }}
            QPushButton#heroPlay {{
                background: {colors.accent}; color: {colors.accent_text}; border: none;
                border-radius: 18px; padding: 8px 22px; font-weight: 600;
            }}
            QPushButton#heroPlay:hover {{ background: {hover}; }}
            QPushButton#heroMore {{
                background: rgba(255, 255, 255, 38); color: #ffffff; border: none;
                border-radius: 18px; padding: 8px 18px; font-weight: 600;
            }}
            QPushButton#heroMore:hover {{ background: rgba(255, 255, 255, 64); }}
            QPushButton:focus {{ outline: none; border: 2px solid {colors.focus_ring}; }}
            """
        )
        self.overline.setStyleSheet("color: rgba(255, 255, 255, 190); letter-spacing: 1px;")
        self.subtitle.setStyleSheet("color: rgba(255, 255, 255, 200);")

    def set_item(self, item_id: int, row_kind: str, why: str, card: CardInfo) -> None:
        self.item_id = item_id
        self.kind = card.kind
        self.art = Art(card.artwork, card.title, card.show, card.kind, None)
        self.progress = card.progress
        self.overline.setText(why.upper())
        self.title.setText(card.title)
        parts = [card.show, length_text(card.duration)]
        if card.progress is not None and card.duration:
            left = card.duration * (1.0 - card.progress)
            parts[-1] = self.tr("%1 left").replace("%1", length_text(left))
        self.subtitle.setText(" · ".join(p for p in parts if p))
        resume = row_kind == "continue" and card.progress is not None
        self.play.setText("▶  " + (self.tr("Resume") if resume else self.tr("Play")))
        self._place_text()
        self.update()

    def _place_text(self) -> None:
        left = self._art_rect().right() + 1 + SPACE["xxl"]
        self._layout.setContentsMargins(left, SPACE["xl"], SPACE["xl"], SPACE["xl"])

    def _art_rect(self) -> QRect:
        base = {"square": (1, 1), "poster": (2, 3), "landscape": (16, 9)}[art_shape(self.kind)]
        width = round(ART_HEIGHT * base[0] / base[1])
        return QRect(SPACE["xl"], SPACE["xl"], width, ART_HEIGHT)

    def _play(self) -> None:
        if self.item_id is not None:
            self.playRequested.emit(self.item_id)

    def _more(self) -> None:
        if self.item_id is not None:
            self.moreLikeThisRequested.emit(self.item_id)

    def backdrop(self) -> QPixmap | None:
        """Real art, tiny, to be stretched across the band; None for a generated cover (its
        colours are painted as a gradient) or no art."""
        if self.art is None or self.art.path is None:
            return None
        return self.art_provider.pixmap(self.art, BACKDROP, 1.0, text=False)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        band = QRectF(self.rect())
        radius = float(RADIUS["card"]) + 4
        clip = QPainterPath()
        clip.addRoundedRect(band, radius, radius)
        painter.setClipPath(clip)
        if self.art is not None and self.art.path is None:
            # A generated cover: its colours as a gradient (blurred, its lettering smeared).
            first, second = cover_colors(self.art.show or self.art.title)
            wash = QLinearGradient(0, 0, band.width(), band.height())
            wash.setColorAt(0.0, first)
            wash.setColorAt(1.0, second)
            painter.fillRect(band, wash)
        elif (small := self.backdrop()) is not None:
            painter.drawPixmap(self.rect(), small)
        shade = QLinearGradient(0, 0, band.width(), 0)
        shade.setColorAt(0.0, QColor(0, 0, 0, 120))
        shade.setColorAt(1.0, QColor(0, 0, 0, 190))
        painter.fillRect(band, shade)
        if self.art is not None:
            art = self._art_rect()
            painter.setClipping(False)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 70))
            painter.drawRoundedRect(QRectF(art).translated(0, 4), RADIUS["art"], RADIUS["art"])
            self.art_provider.paint(painter, art, self.art)
            if self.progress is not None:
                self._paint_progress(painter)
        painter.end()

    def _paint_progress(self, painter: QPainter) -> None:
        colors = theme_colors(self.palette())
        left = self.subtitle.geometry().left()
        top = self.subtitle.geometry().bottom() + SPACE["s"] + 2
        width = min(320, self.width() - left - SPACE["xl"])
        track = QRectF(left, top, width, 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 60))
        painter.drawRoundedRect(track, 2.5, 2.5)
        done = QRectF(track)
        done.setWidth(max(5.0, width * float(self.progress or 0.0)))
        painter.setBrush(QColor(colors.focus_ring if colors.dark else colors.accent).lighter(120))
        painter.drawRoundedRect(done, 2.5, 2.5)
