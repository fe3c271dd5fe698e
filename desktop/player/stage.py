"""Where playback shows: the video, or for audio the episode's artwork (a podcast would
otherwise leave an empty black box above the controls); with no artwork, the generated cover
every other view shows for it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget

from desktop.art import generated_cover


class Stage(QStackedWidget):
    def __init__(self, video: QVideoWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.video = video
        self.art = QLabel(self)
        self.art.setAccessibleName(self.tr("Artwork"))
        self.art.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.art.setMinimumSize(QSize(160, 90))
        self.art.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._image: QImage | None = None
        self._title = ""
        self._show = ""
        self.addWidget(video)
        self.addWidget(self.art)

    def show_video(self) -> None:
        self.setCurrentWidget(self.video)

    def put_video_back(self) -> None:
        """After full screen: the video is the stage's page again, sized by the stage."""
        self.insertWidget(0, self.video)
        self.setCurrentWidget(self.video)
        self.video.show()

    def show_art(self, image: QImage | None, title: str = "", show: str = "") -> None:
        """Audio: the artwork scaled to fit, or the generated cover when there is none."""
        self._image = image if image is not None and not image.isNull() else None
        self._title, self._show = title, show
        self._fit()
        self.setCurrentWidget(self.art)

    def showing_art(self) -> bool:
        return self.currentWidget() is self.art

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        size = self.art.size()
        ratio = self.devicePixelRatioF()
        if self._image is None:
            side = max(1, min(size.width(), size.height()))
            cover = generated_cover(self._title, self._show, QSize(side, side), ratio)
            pixmap = QPixmap.fromImage(cover)
        else:
            scaled = self._image.scaled(
                size * ratio,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self.art.setPixmap(pixmap)
