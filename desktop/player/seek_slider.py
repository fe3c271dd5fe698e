"""A seek bar that jumps to the point clicked.

QSlider's left click on the groove moves by a page step (30 s here), which is not what anyone
expects of a timeline: every media app jumps there. The press sets the value under the pointer
first, so the handle is under it and the same press goes on as a drag."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

__all__ = ["SeekSlider"]


class SeekSlider(QSlider):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, 0)

    def value_at(self, x: float) -> int:
        """The value whose handle centre is at `x` (widget coordinates), clamped to the range."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        Control = QStyle.ComplexControl.CC_Slider
        groove = style.subControlRect(Control, option, QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(Control, option, QStyle.SubControl.SC_SliderHandle, self)
        span = max(1, groove.width() - handle.width())
        offset = round(x - groove.x() - handle.width() / 2)
        return QStyle.sliderValueFromPosition(
            self.minimum(), self.maximum(), max(0, min(offset, span)), span, option.upsideDown
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.isEnabled()
            and self.maximum() > self.minimum()
        ):
            # valueChanged with the slider not down: the player seeks now, then the press
            # below starts a drag from the handle now under the pointer.
            self.setValue(self.value_at(event.position().x()))
        super().mousePressEvent(event)
