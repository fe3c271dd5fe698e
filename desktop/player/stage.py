"""Where playback shows: the video, or for audio the episode's artwork (a podcast would
otherwise leave an empty black box above the controls)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget


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
        self.addWidget(video)
        self.addWidget(self.art)

    def show_video(self) -> None:
        self.setCurrentWidget(self.video)

    def show_art(self, image: QImage | None) -> None:
        """Audio: the artwork scaled to fit, or the title alone when there is none."""
        self._image = image if image is not None and not image.isNull() else None
        self._fit()
        self.setCurrentWidget(self.art)

    def showing_art(self) -> bool:
        return self.currentWidget() is self.art

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._image is None:
            self.art.setPixmap(QPixmap())
            self.art.setText(self.tr("Audio"))
            return
        size = self.art.size()
        scaled = self._image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.art.setPixmap(QPixmap.fromImage(scaled))
